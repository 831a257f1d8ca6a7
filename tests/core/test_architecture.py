"""The layer rules that an import graph cannot see: who commits, and what services touch.

The import contract itself is `.importlinter` (run by `make lint`); these tests read the
source for calls that are legal imports but break the rules of docs/development.md.
"""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CODE = ROOT / "workshop"
# The one place a transaction ends: the edge executors (execute, run_once).
COMMITTERS = {"realtime/executor.py"}
EDGE_NAMES = {"routes.py", "public.py", "events.py", "cli.py", "join.py"}
# The log-in's cookie session itself (its key, and the signals when it ends).
WEB_GLUE = {"accounts/sessions.py"}


def _calls(path, attribute):
    tree = ast.parse(path.read_text(), filename=str(path))
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == attribute]


def _modules():
    return sorted(p for p in CODE.rglob("*.py") if "translations" not in p.parts)


def test_only_the_executor_commits():
    found = {}
    for path in _modules():
        name = str(path.relative_to(CODE))
        lines = _calls(path, "commit")
        if lines and name not in COMMITTERS:
            found[name] = lines
    assert found == {}, "commit() outside realtime/executor.py: hand the change to execute()"
    assert _calls(CODE / "realtime" / "executor.py", "commit")  # the scan works


def test_services_do_not_emit_or_read_the_request():
    """Only edges (pages, socket events, commands) and delivery speak to sockets."""
    found = {}
    for path in _modules():
        name = str(path.relative_to(CODE))
        if (path.name in EDGE_NAMES or name in WEB_GLUE or "/" not in name
                or name.startswith(("realtime/", "core/"))):
            continue
        source = path.read_text()
        tree = ast.parse(source)
        bad = [node.lineno for node in ast.walk(tree)
               if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "emit"]
        bad += [node.lineno for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and node.module == "flask"
                and {a.name for a in node.names} & {"request", "session"}]
        if bad:
            found[name] = bad
    assert found == {}


def test_the_import_contract_holds():
    """`.importlinter`: edges only entered from the app factory, the executor only used by
    edges, models without web imports, no cycles inside an area or between areas."""
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, env={"PYTHONPATH": str(ROOT),
                                                         "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "broken" in result.stdout and " 0 broken" in result.stdout
