"""What every HTTP request may carry, checked once for all routes.

- JSON bodies are parsed with a bounded nesting depth (a deeply nested body would
  otherwise end in a RecursionError and a 500);
- `<int:…>` URL parts stop at the largest id a database column holds, so a bigger
  number is a 404 rather than an integer overflow;
- form fields, query arguments and URL parts that hold text no database can store
  (a NUL character, a lone surrogate) are refused with a 400 (404 for URL parts).
"""

import json

from flask import abort, jsonify, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter

from workshop.core.payloads import MAX_INT, storable

# Nothing the app reads is nested more than a few levels; 32 leaves room for any client.
MAX_JSON_DEPTH = 32


class JSONTooDeep(ValueError):
    """A JSON document nested deeper than allowed (a ValueError like any bad JSON)."""


def too_deep(text, limit=MAX_JSON_DEPTH):
    """True when the JSON `text` opens more than `limit` arrays/objects at once."""
    if text.count("[") + text.count("{") <= limit:
        return False  # the usual case, without looking closer
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def loads(data, limit=MAX_JSON_DEPTH, **kwargs):
    """json.loads, refusing documents nested deeper than `limit` with JSONTooDeep."""
    text = data
    if isinstance(data, (bytes, bytearray)):
        text = data.decode(json.detect_encoding(data), "surrogatepass")
    if too_deep(text, limit):
        raise JSONTooDeep(f"JSON nested deeper than {limit} levels")
    return json.loads(text, **kwargs)


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON, with request bodies parsed by the depth-bounded `loads`.

    request.get_json(silent=True) then answers None for a too-deep body, as for any
    invalid JSON; without silent, Flask answers 400.
    """

    def loads(self, s, **kwargs):
        return loads(s, **kwargs)


class IdConverter(IntegerConverter):
    """`<int:…>` bounded to the database's integer range (ids are 32-bit columns)."""

    def __init__(self, map, *args, max=MAX_INT, **kwargs):  # noqa: A002 (werkzeug's names)
        super().__init__(map, *args, max=max, **kwargs)


def _unstorable(values):
    return any(isinstance(v, str) and not storable(v) for v in values)


def _unstorable_fields(multidict):
    return _unstorable(multidict.keys()) or any(
        _unstorable(values) for values in multidict.listvalues())


def refuse_unstorable_text():
    """Before every request: text that cannot be stored never reaches a route."""
    if request.view_args and _unstorable(request.view_args.values()):
        abort(404)
    if _unstorable_fields(request.args) or (
            request.method != "GET" and _unstorable_fields(request.form)):
        if request.path.startswith("/api/"):
            return jsonify(ok=False, code="bad_payload",
                           error=str(_l("The message was not understood."))), 400
        abort(400)
    return None


def init_app(app):
    app.json = JSONProvider(app)
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_unstorable_text)
