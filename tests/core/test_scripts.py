"""The front end's shape (docs/development.md, "Front end"): static/js holds native ES
modules, served as written (no bundler); pages load them with type=module and preload what
they import; only the vendored Socket.IO bundle is a classic script; and one module,
outbox.js, sends writes and sends them again: no page keeps a copy of that logic.

tests/browser/test_modules.py runs the same scripts in Chromium under the real
Content-Security-Policy."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
JS = ROOT / "static" / "js"
TEMPLATES = ROOT / "templates"
SOCKET_IO = "vendor/socket.io-4.8.4/socket.io.min.js"

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.S)
PRELOAD_TAG = re.compile(r'<link rel="modulepreload" href="([^"]*)">')
STATIC_FILE = re.compile(r"url_for\('static', filename='([^']+)'\)")
IMPORT = re.compile(r'^\s*import\b[^;"]*?(?:\bfrom\s*)?"([^"]+)"\s*;', re.M | re.S)


def _scripts():
    return sorted(JS.glob("*.js"))


def _templates():
    return sorted(TEMPLATES.rglob("*.html"))


def _code(path):
    """The script without its comments (enough for these files: no string holds //)."""
    text = re.sub(r"/\*.*?\*/", "", path.read_text(), flags=re.S)
    return re.sub(r"(^|\s)//.*", r"\1", text)


def _imports(name):
    found = IMPORT.findall(_code(JS / name))
    assert all(spec.startswith("./") for spec in found), f"{name}: {found}"
    return [spec[2:] for spec in found]


def _closure(names):
    seen, todo = set(), list(names)
    while todo:
        for dependency in _imports(todo.pop()):
            if dependency not in seen:
                seen.add(dependency)
                todo.append(dependency)
    return seen


def _script_tags(template):
    for match in SCRIPT_TAG.finditer(template.read_text()):
        attrs = match.group(1)
        src = STATIC_FILE.search(attrs)
        yield attrs, src.group(1) if src else None


def _modules(template):
    return [src[len("js/"):] for attrs, src in _script_tags(template)
            if src and 'type="module"' in attrs]


def test_pages_load_their_scripts_as_modules_and_only_socket_io_classically():
    loaded = set()
    for template in _templates():
        for attrs, src in _script_tags(template):
            where = f"{template.relative_to(ROOT)}: <script{attrs}>"
            if src is None:  # inline: only data for the scripts, which never runs
                assert 'type="application/json"' in attrs, where
            elif src == SOCKET_IO:  # a classic script that sets window.io
                assert "defer" in attrs and "type=" not in attrs, where
            else:
                assert src.startswith("js/") and 'type="module"' in attrs, where
                assert "defer" not in attrs and "async" not in attrs, where  # deferred anyway
                loaded.add(src[len("js/"):])
    every = {path.name for path in _scripts()}
    # Each module is a page's script or imported by one; none is left over.
    assert loaded | _closure(loaded) == every
    assert not loaded & _closure(loaded), "a module loaded by a page and imported as well"


def test_imports_name_scripts_that_exist_without_cycles():
    def visit(name, path):
        assert name not in path, f"import cycle: {' -> '.join([*path, name])}"
        for dependency in _imports(name):
            assert (JS / dependency).is_file(), f"{name} imports a missing {dependency}"
            visit(dependency, [*path, name])

    for script in _scripts():
        visit(script.name, [])


def test_each_page_preloads_exactly_what_its_modules_import():
    # Without the preloads the browser finds an import only once the importer has arrived:
    # one round trip more per level on the venue's Wi-Fi.
    for template in _templates():
        preloaded = [STATIC_FILE.search(href).group(1)[len("js/"):]
                     for href in PRELOAD_TAG.findall(template.read_text())]
        assert len(preloaded) == len(set(preloaded)), template
        assert set(preloaded) == _closure(_modules(template)), template.relative_to(ROOT)


def test_scripts_share_through_imports_not_globals():
    for script in _scripts():
        code = _code(script)
        assert "window.Koers" not in code, script.name
        # Always null in a module: ownScript(import.meta.url) finds the element.
        assert "currentScript" not in code, script.name
        assert not re.search(r"\bwindow\.\w+\s*=[^=]", code), f"{script.name} sets a global"


def test_only_the_outbox_gives_writes_a_client_id_and_sends_them():
    """A page that calls the connection's send(), or makes a cid, has grown its own
    outbox again: it goes through createOutbox instead."""
    rules = {"sends a write": r"\.send\(", "makes a client id": r"\bcid\b",
             "calls uid()": r"(?<!function )\buid\(\)"}
    outbox = _code(JS / "outbox.js")
    for what, pattern in rules.items():
        assert re.search(pattern, outbox), f"outbox.js no longer {what}: update this test"
    for script in _scripts():
        if script.name == "outbox.js":
            continue
        code = _code(script)
        for what, pattern in rules.items():
            assert not re.search(pattern, code), f"{script.name} {what}: use outbox.js"
    for page in ("console.js", "participant.js"):
        assert "outbox.js" in _imports(page), page
