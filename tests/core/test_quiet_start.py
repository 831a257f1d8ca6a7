"""`make run` starts quietly: no warning or traceback from the server, none from installing."""

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.browser.conftest import LiveServer

ROOT = Path(__file__).resolve().parents[2]
NOISE = ("Warning", "MonkeyPatchWarning", "Traceback", "deprecated", "[WARNING]", "[ERROR]")


def test_the_server_starts_as_make_run_starts_it_without_a_warning(tmp_path):
    """The same steps as `make run`: `flask db upgrade`, then gunicorn with the gevent worker
    and the project's settings; /healthz answers; SIGTERM ends it."""
    server = LiveServer(tmp_path)
    server.env.pop("PYTHONWARNINGS", None)
    makefile = (ROOT / "Makefile").read_text()
    assert "$(BIN)/gunicorn -c gunicorn.conf.py wsgi:app" in makefile
    assert server.command == ["gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]
    upgrade = server.flask("db", "upgrade")
    server.start(upgrade=False)
    server.stop()
    assert server.process.returncode == 0
    output = upgrade.stdout + upgrade.stderr + server.log.read_text()
    assert "Koers is running." in output
    assert "Using worker: gevent" in output
    noisy = [line for line in output.splitlines() if any(word in line for word in NOISE)]
    assert noisy == [], "\n".join(noisy)


def test_building_the_package_emits_no_setuptools_warning(tmp_path):
    """A real build with the build backend pyproject.toml asks for (isolated, as pip installs
    Koers): no SetuptoolsDeprecationWarning about the licence, and the licence lands in the
    metadata as an SPDX expression."""
    source = tmp_path / "koers"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "config.py", "wsgi.py"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "workshop", source / "workshop",
                    ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONWARNINGS"}
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path),
         str(source)],
        env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    output = "\n".join(line for line in (result.stdout + result.stderr).splitlines()
                       if "is ignored: it is neither a file nor a directory" not in line)
    assert "SetuptoolsDeprecationWarning" not in output
    assert "BuildBackendWarning" not in output, output
    assert "deprecated" not in output, output
    (wheel,) = tmp_path.glob("koers-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read("koers-0.1.0.dist-info/METADATA").decode()
    assert "License-Expression: AGPL-3.0-or-later" in metadata
