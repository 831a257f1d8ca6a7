"""What every HTTP request may carry, checked once for all routes.

- JSON bodies are parsed with a bounded nesting depth (a deeply nested body would
  otherwise end in a RecursionError and a 500) and may hold no text a database cannot
  store (`\u0000`, a lone surrogate): both are invalid JSON to every route;
- `<int:…>` URL parts stop at the largest id a database column holds, so a bigger
  number is a 404 rather than an integer overflow;
- `request.args.get(…, type=int)` (and request.form's) gives the default for a number
  beyond that range, as for any other number it cannot read;
- query arguments and URL parts that hold text no database can store (a NUL
  character, a lone surrogate) are refused with a 400 (404 for URL parts); in form
  fields NUL characters are dropped, like the other control characters the text
  cleaning removes (werkzeug decodes form bytes that are not UTF-8 to U+FFFD, so a
  surrogate cannot arrive there).
"""

import json

from flask import Request, abort, jsonify, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter

from workshop.core.payloads import MAX_INT, storable

# Nothing the app reads is nested more than a few levels; 32 leaves room for any client.
MAX_JSON_DEPTH = 32


class JSONTooDeep(ValueError):
    """A JSON document nested deeper than allowed (a ValueError like any bad JSON)."""


class JSONUnstorable(ValueError):
    """A JSON document holding text no database can store (NUL, a lone surrogate)."""


def check_parsed(value, limit=MAX_JSON_DEPTH, text=True):
    """Raise JSONTooDeep (or, with `text`, JSONUnstorable) for a parsed document, walking
    it without recursion (its size is bounded by the request or message size)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, str):
            if text and not storable(node):
                raise JSONUnstorable("JSON text that cannot be stored")
            continue
        if not isinstance(node, (list, dict)):
            continue
        if depth > limit:
            raise JSONTooDeep(f"JSON nested deeper than {limit} levels")
        children = [*node.keys(), *node.values()] if isinstance(node, dict) else node
        stack.extend((child, depth + 1) for child in children)


# Socket.IO packets (at most 64 KiB) are checked before decoding (core/packets.py).
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
    """json.loads (the C parser, fast on any size), then refuse documents nested deeper
    than `limit` (JSONTooDeep) or holding unstorable text (JSONUnstorable). Both are
    ValueErrors, so callers treat them like any invalid JSON."""
    if isinstance(data, (bytes, bytearray)):
        data = data.decode(json.detect_encoding(data), "surrogatepass")
    try:
        value = json.loads(data, **kwargs)
    except RecursionError:
        raise JSONTooDeep(f"JSON nested deeper than {limit} levels") from None
    check_parsed(value, limit)
    return value


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON, with request bodies parsed by the depth-bounded `loads`.

    request.get_json(silent=True) then answers None for a too-deep body, as for any
    invalid JSON; without silent, Flask answers 400.
    """

    def loads(self, s, **kwargs):
        return loads(s, **kwargs)


def to_id(value):
    """int(value) for a number a database integer column holds, else ValueError.

    Ids beyond it cannot exist; SQLite cannot even compare them (OverflowError).
    """
    number = int(value)
    if not -MAX_INT <= number <= MAX_INT:
        raise ValueError(f"{value!r} is beyond any id")
    return number


class Parameters(ImmutableMultiDict):
    """Query and form fields: `get(…, type=int)` reads only numbers an id column holds."""

    def get(self, key, default=None, type=None):  # noqa: A002 (werkzeug's names)
        return super().get(key, default, to_id if type is int else type)


class KoersRequest(Request):
    parameter_storage_class = Parameters

    def _load_form_data(self):
        # Form text has its control characters removed where it is stored (core/text.py);
        # NUL goes here already, from every field, so that fields used as they are (an
        # e-mail address, a join key) never carry one to PostgreSQL, which refuses it.
        super()._load_form_data()
        form = self.__dict__.get("form")
        if form and any("\x00" in key or "\x00" in value
                        for key, value in form.items(multi=True)):
            self.__dict__["form"] = self.parameter_storage_class(
                (key.replace("\x00", ""), value.replace("\x00", ""))
                for key, value in form.items(multi=True))


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
    app.request_class = KoersRequest
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_unstorable_text)
