"""Read an uploaded measurements file in a separate process, with a time and memory cap.

Parsing a workbook is CPU work that gevent cannot interrupt: done in the server process it
holds the one event loop every live workshop shares (a 2 MB hostile workbook held it for
60 s). `read_isolated` (called by the import route) starts this file as a script, writes
the request and the file's bytes to its stdin and waits for plain JSON on its stdout:
under gunicorn's gevent patching the wait is cooperative, under the threading test
server it blocks one thread. The child lowers its own limits first (RLIMIT_AS for
memory, RLIMIT_CPU as a backstop) and the parent kills it at the wall-clock timeout.

Why a fresh process per upload and not a pool: nothing stays behind after a hostile file
(a killed child frees all its memory), there is no pool to keep alive under gunicorn's
forking, and an upload is rare (seconds, not per event). The child loads only the pure
modules (imports, guard, values) and openpyxl, not the Flask app: about 0.2 s to start.
"""

from __future__ import annotations

import datetime
import json
import logging
import math
import os
import signal
import subprocess
import sys
import threading
import types
from pathlib import Path

HERE = Path(__file__).resolve().parent
log = logging.getLogger(__name__)
# Children reading at once in this server process (each may take IMPORT_MEMORY_MB);
# gevent patches threading, so a waiting upload yields to the live workshops.
_slots: dict[int, threading.BoundedSemaphore] = {}
_slots_lock = threading.Lock()


def _slot(size):
    with _slots_lock:
        return _slots.setdefault(size, threading.BoundedSemaphore(size))


# ---------------------------------------------------------------- parent side


def read_isolated(data: bytes, filename: str, indicators: dict[str, int],
                  existing: set[tuple[int, datetime.date]], limits, *,
                  today: datetime.date | None = None):
    """`imports.read` in a child process; a Preview, with too_slow or too_much_memory
    as its file problem when the child ran out of time or memory."""
    from workshop.monitor.imports import Preview, Row

    request = {
        "filename": filename,
        "indicators": indicators,
        "existing": [[id_, day.isoformat()] for id_, day in existing],
        "today": (today or datetime.date.today()).isoformat(),
        "limits": limits.as_dict(),
    }
    message = json.dumps(request).encode() + b"\n" + data
    slot = _slot(max(limits.max_parallel, 1))
    if not slot.acquire(timeout=limits.timeout_seconds):
        return Preview((), "busy")
    try:
        return _run(message, filename, limits, Preview, Row)
    finally:
        slot.release()


def _run(message, filename, limits, Preview, Row):  # noqa: N803 (the classes, passed in)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
    try:
        child = subprocess.Popen(  # noqa: S603 (our own interpreter and file)
            [sys.executable, str(HERE / "parse_worker.py")], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=HERE)
    except OSError:
        log.exception("could not start the import parse worker")
        return Preview((), "unreadable")
    try:
        out, err = child.communicate(message, timeout=limits.timeout_seconds)
    except subprocess.TimeoutExpired:
        log.warning("import of %r stopped after %s s", filename, limits.timeout_seconds)
        return Preview((), "too_slow")
    finally:
        # However the wait ended (time out, a cancelled request), no child outlives it.
        if child.poll() is None:
            child.kill()
            child.wait()
    if child.returncode != 0:
        if child.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
            return Preview((), "too_slow")
        if b"MemoryError" in err:
            return Preview((), "too_much_memory")
        log.error("import parse worker failed (%s): %s", child.returncode,
                  err.decode(errors="replace")[-2000:])
        return Preview((), "unreadable")
    try:
        result = json.loads(out)
    except ValueError:
        log.error("import parse worker answered no JSON: %r", out[:200])
        return Preview((), "unreadable")
    rows = tuple(Row(line=r["line"], indicator_id=r["indicator_id"], indicator=r["indicator"],
                     date=r["date"] and datetime.date.fromisoformat(r["date"]),
                     value=r["value"], note=r["note"], problems=tuple(r["problems"]))
                 for r in result["rows"])
    return Preview(rows, result["file_problem"])


# ---------------------------------------------------------------- child side


def _cap(limits: dict) -> None:
    import resource

    # Below the server's priority: on a busy machine the live workshops get the CPU first.
    os.nice(10)

    memory = limits["memory_mb"] * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = math.ceil(limits["timeout_seconds"]) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))


def _pure_modules() -> None:
    """Make `workshop.monitor.imports` importable without running workshop/__init__.py
    (the Flask app, 1.2 s): the pure modules need nothing from it."""
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
    for name, path in (("workshop", HERE.parent), ("workshop.monitor", HERE)):
        if name not in sys.modules:
            package = types.ModuleType(name)
            package.__path__ = [str(path)]
            sys.modules[name] = package


def main() -> int:
    request = json.loads(sys.stdin.buffer.readline())
    data = sys.stdin.buffer.read()
    _cap(request["limits"])
    _pure_modules()
    from workshop.monitor.guard import Limits
    from workshop.monitor.imports import Preview, read

    try:
        preview = read(data, request["filename"], request["indicators"],
                       {(i, datetime.date.fromisoformat(d)) for i, d in request["existing"]},
                       today=datetime.date.fromisoformat(request["today"]),
                       limits=Limits(**request["limits"]))
    except MemoryError:
        preview = Preview((), "too_much_memory")
    rows = [{"line": r.line, "indicator_id": r.indicator_id, "indicator": r.indicator,
             "date": r.date and r.date.isoformat(), "value": r.value, "note": r.note,
             "problems": list(r.problems)} for r in preview.rows]
    sys.stdout.write(json.dumps({"file_problem": preview.file_problem, "rows": rows}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
