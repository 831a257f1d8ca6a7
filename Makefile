# Koers — two commands on a fresh machine:
#   make run    set up everything and serve Koers (SQLite, no Redis)
#   make test   set up everything and run lint plus every test, browser tests included

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
export FLASK_APP := wsgi

.PHONY: run test lint pytest setup setup-dev translations messages migration bench bench-export clean

run: setup translations
	$(BIN)/flask db upgrade
	PORT=$(PORT) $(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

test: setup-dev translations lint pytest

lint: setup-dev
	$(BIN)/ruff check workshop tests bench config.py wsgi.py gunicorn.conf.py
	PYTHONPATH=. $(BIN)/lint-imports --no-cache  # the layer contract: .importlinter

# The suite runs in WORKERS processes (pytest-xdist), a test file per process at a time:
# browser tests mostly wait on servers and pages, so three fit two cores. WORKERS=0: one.
WORKERS ?= 3
pytest: setup-dev translations
	$(BIN)/pytest -n $(WORKERS) --dist loadfile $(PYTEST_ARGS)

setup: $(VENV)/.runtime
setup-dev: $(VENV)/.dev

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Koers needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Every dependency is pinned by constraints.txt (regenerate: see docs/operating.md).
# setuptools prints an information-only "Editable installation" notice on every editable
# install (a note for developers, not a problem): the filter keeps `make run` quiet.
QUIET_SETUPTOOLS := PYTHONWARNINGS="ignore:Editable installation"
$(VENV)/.runtime: pyproject.toml constraints.txt | $(VENV)/bin/python
	$(QUIET_SETUPTOOLS) $(BIN)/pip install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.dev: pyproject.toml constraints.txt | $(VENV)/bin/python
	$(QUIET_SETUPTOOLS) $(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(VENV)/.runtime $@

# Compiled catalogues are build output: made from the committed .po files.
PO_FILES := $(wildcard workshop/translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)
translations: $(MO_FILES)
%.mo: %.po | $(VENV)/.runtime
	$(BIN)/pybabel -q compile -i $< -o $@

# Developers: refresh the catalogues after changing user-facing strings.
messages: setup
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 -o workshop/translations/messages.pot --no-location --sort-output --no-wrap --project Koers --copyright-holder "Koers contributors" .
	$(BIN)/pybabel update -i workshop/translations/messages.pot -d workshop/translations --ignore-obsolete --no-wrap

# The live-voting load benchmark (docs/benchmarks.md): `make bench N=1000 R=50 DURATION=60`.
N ?= 2000
R ?= 100
DURATION ?= 60
bench: setup-dev
	$(BIN)/python -m bench.run --participants $(N) --rate $(R) --duration $(DURATION)

# The plan export benchmark (docs/benchmarks.md): 4×5×3×4 plan, 2,000 votes, 200 comments,
# every format five times; fails when the DOCX median is over 5 s.
# `make bench-export VOTES=5000 COMMENTS=500 REPEAT=3 FORMATS=docx,pdf`.
VOTES ?= 2000
COMMENTS ?= 200
REPEAT ?= 5
FORMATS ?= docx,pdf,md,xlsx,csv,json
bench-export: setup-dev translations
	$(BIN)/python -m bench.export --votes $(VOTES) --comments $(COMMENTS) --repeat $(REPEAT) --formats $(FORMATS)

migration: setup
	$(BIN)/flask db migrate -m "$(MSG)"

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache $(MO_FILES)
