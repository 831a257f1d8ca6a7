"""docs/realtime.md and the server agree: the event tables, payload fields, roles and the
codes a client can get, in both directions (nothing undocumented, nothing documented that
the server does not do). The tables are read from the document itself."""

import ast
import re
from pathlib import Path

import pytest

from workshop.core.errors import DomainError
from workshop.extensions import socketio

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "realtime.md").read_text()
CODE = ROOT / "workshop"
RESERVED = {"connect", "disconnect", "connect_error"}
CATCH_ALL = "*"  # python-socketio's catch-all handler, should one ignore unknown events
ROLES = {"participant", "console", "presenter"}


def table(first_header):
    """The rows (lists of cells) of the table whose header row starts with `first_header`
    cells, e.g. ("Event", "Sent by")."""
    lines = DOC.splitlines()
    for n, line in enumerate(lines):
        cells = _cells(line) if line.startswith("|") else []
        if cells[:len(first_header)] == list(first_header):
            rows = []
            for row in lines[n + 2:]:
                if not row.startswith("|"):
                    break
                rows.append(_cells(row))
            assert rows, f"table {first_header} is empty"
            return rows
    raise AssertionError(f"docs/realtime.md has no table starting with {first_header}")


def _cells(line):
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip().strip("|"))]


def ticked(cell):
    """The `code` spans of a cell, in order."""
    return re.findall(r"`([^`]+)`", cell)


def first_name(cell):
    names = ticked(cell)
    assert names, f"no `name` in {cell!r}"
    return names[0]


def python_files():
    return [(path, ast.parse(path.read_text())) for path in sorted(CODE.rglob("*.py"))]


def literal(node):
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


# --------------------------------------------------------------- client → server events

def documented_client_events():
    events = {}
    for name, sent_by, payload, _ack, _broadcast in table(("Event", "Sent by")):
        event = first_name(name)
        roles = ROLES if sent_by == "all roles" else set(re.findall(r"\w+", sent_by))
        if payload.startswith("none"):
            fields = {}
        else:
            fields = {first_name(part): "optional" in part for part in payload.split(";")}
        events[event] = {"roles": roles, "fields": fields, "cid": "no `cid`" not in payload}
    return events


@pytest.fixture
def registry(app):
    from workshop.realtime.executor import EVENTS

    return EVENTS


def test_every_registered_handler_is_documented_and_every_documented_event_exists(
        app, registry):
    handlers = set(socketio.server.handlers["/"]) - RESERVED - {CATCH_ALL}
    documented = set(documented_client_events())
    assert handlers == set(registry), "every handler goes through live_event"
    assert handlers - documented == set(), "undocumented events"
    assert documented - handlers == set(), "documented events the server does not have"


def test_documented_roles_and_payload_fields_are_the_servers(registry):
    for event, doc in documented_client_events().items():
        roles, spec = registry[event]
        assert set(roles) == doc["roles"], event
        fields = {name: not field.required for name, field in spec.items() if name != "cid"}
        assert fields == doc["fields"], f"{event}: fields and whether each is optional"
        assert ("cid" in spec and spec["cid"].required) == doc["cid"], f"{event}: cid"


def test_the_vote_event_table_names_vote_events_the_server_has(registry):
    names = {first_name(row[0]) for row in table(("Event", "Payload (besides `cid`)"))}
    assert names <= set(registry)
    assert {"add_dot", "move_dot", "set_score", "set_ranking", "set_reveal"} <= names


# --------------------------------------------------------------- server → client events

def emitted_events():
    """Names in every emit(…)/socketio.emit(…) call of the server."""
    names = set()
    for _path, tree in python_files():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.args:
                func = node.func
                called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if called == "emit" and (name := literal(node.args[0])) is not None:
                    names.add(name)
    return names


def test_server_events_are_documented_and_every_documented_one_is_sent():
    documented = {first_name(row[0]) for row in table(("Event", "Sent to"))}
    sent = emitted_events()
    assert sent, "the scan found no emit calls"
    assert sent - documented == set(), "undocumented server events"
    assert documented - sent == set(), "documented server events nothing sends"


# --------------------------------------------------------------- codes

def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def socket_codes():
    """Every `code` a Socket.IO acknowledgement can carry: DomainError codes (services
    raise them, live_event passes their code on), `_fail(message, code)` calls and
    literal {"code": …} answers of the socket modules."""
    codes = {DomainError.code, *(cls.code for cls in _subclasses(DomainError))}
    for path, tree in python_files():
        socket_module = path.name == "events.py" or path.name == "socket_limits.py"
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "_fail"
                    and len(node.args) > 1 and literal(node.args[1])):
                codes.add(literal(node.args[1]))
            if socket_module and isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if key is not None and literal(key) == "code" and literal(value):
                        codes.add(literal(value))
    return codes


def test_the_write_code_table_is_every_code_a_socket_answer_can_carry(app):
    documented = {first_name(row[0]) for row in table(("`code`", "Meaning"))}
    codes = socket_codes()
    assert {"rate_limited", "bad_payload", "internal", "forbidden"} <= codes  # the scan works
    assert codes - documented == set(), "codes the document does not explain"
    assert documented - codes == set(), "documented codes the server never sends"


def test_connect_refusal_reasons_are_the_servers():
    reasons = set()
    for path in ("realtime/connect.py", "live/events.py", "review/events.py"):
        tree = ast.parse((CODE / path).read_text())
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", "") in (
                    "refuse", "ConnectionRefusedError") and node.args
                    and literal(node.args[0])):
                reasons.add(literal(node.args[0]))
    assert {"bad_auth", "unknown_review", "unavailable"} <= reasons  # the scan works
    documented = {first_name(row[0]) for row in table(("Reason", "Cause"))}
    assert reasons and documented == reasons


def _join_codes():
    """Codes POST /api/join can answer: literal codes in its jsonify calls, and the codes
    of the domain errors that participation.join (and what it calls) raises."""
    codes = set()
    join_tree = ast.parse((CODE / "live" / "join.py").read_text())
    api = next(n for n in ast.walk(join_tree)
               if isinstance(n, ast.FunctionDef) and n.name == "api_join")
    passes_domain_code = False
    for node in ast.walk(api):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "jsonify":
            for keyword in node.keywords:
                if keyword.arg == "code":
                    if literal(keyword.value):
                        codes.add(literal(keyword.value))
                    elif isinstance(keyword.value, ast.Attribute) and keyword.value.attr == "code":
                        passes_domain_code = True
    assert passes_domain_code, "api_join answers error.code of other domain errors"
    errors = {cls.__name__: cls.code for cls in [DomainError, *_subclasses(DomainError)]}
    tree = ast.parse((CODE / "live" / "participation.py").read_text())
    for function in (n for n in tree.body if isinstance(n, ast.FunctionDef)
                     and n.name in ("join", "rejoin")):
        for node in ast.walk(function):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                name = getattr(node.exc.func, "id", "")
                if name in errors and name != "NotFound":  # NotFound is answered unknown_code
                    codes.add(errors[name])
    return codes


def test_the_join_error_table_is_every_code_api_join_answers(app):
    documented = set()
    for row in table(("HTTP", "Body")):
        found = re.search(r'"code": "(\w+)"', row[1])
        if found:
            documented.add(found.group(1))
    assert documented == _join_codes()
