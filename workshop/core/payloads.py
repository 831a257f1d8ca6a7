"""Strict validation of Socket.IO payloads: exact types, sizes and no unknown keys."""

import re

from flask_babel import lazy_gettext as _l

MAX_INT = 2**31 - 1


def storable(text):
    """True when `text` can be stored and sent on: no lone surrogate, no NUL.

    JSON may carry an escaped lone surrogate ("\\ud800") that no database can encode as
    UTF-8, and PostgreSQL text columns refuse NUL characters.
    """
    return "\x00" not in text and not _UNSTORABLE.search(text)


_UNSTORABLE = re.compile("[\ud800-\udfff]")


class PayloadError(Exception):
    """The payload is malformed; nothing was changed."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class Field:
    def __init__(self, required=True):
        self.required = required

    def check(self, value):
        """True when `value` fits; each field type below narrows this."""
        return value is not None


class Int(Field):
    def __init__(self, minimum=1, maximum=MAX_INT, required=True):
        super().__init__(required)
        self.minimum, self.maximum = minimum, maximum

    def check(self, value):
        # bool is an int in Python; a JSON true is not an id.
        return (isinstance(value, int) and not isinstance(value, bool)
                and self.minimum <= value <= self.maximum)


class Str(Field):
    def __init__(self, max_length, min_length=0, required=True):
        super().__init__(required)
        self.min_length, self.max_length = min_length, max_length

    def check(self, value):
        return (isinstance(value, str) and self.min_length <= len(value) <= self.max_length
                and storable(value))


class Bool(Field):
    def check(self, value):
        return isinstance(value, bool)


class IntList(Field):
    def __init__(self, max_items, min_items=1, required=True):
        super().__init__(required)
        self.min_items, self.max_items = min_items, max_items
        self._item = Int()

    def check(self, value):
        return (isinstance(value, list) and self.min_items <= len(value) <= self.max_items
                and all(self._item.check(v) for v in value))


# A client-made id: 8–64 ASCII letters, digits, dashes or underscores (a UUID fits).
CLIENT_ID = Str(max_length=64, min_length=8)


def parse(payload, **spec):
    """Return the payload's fields as a dict, or raise PayloadError."""
    if not isinstance(payload, dict):
        raise PayloadError(_l("The message was not understood."))
    unknown = set(payload) - set(spec)
    if unknown:
        raise PayloadError(_l("The message was not understood."))
    values = {}
    for name, field in spec.items():
        if name not in payload or payload[name] is None:
            if field.required:
                raise PayloadError(_l("The message was not understood."))
            values[name] = None
            continue
        if not field.check(payload[name]):
            raise PayloadError(_l("The message was not understood."))
        values[name] = payload[name]
    if "cid" in values and values["cid"] is not None and not all(
        c.isascii() and (c.isalnum() or c in "-_") for c in values["cid"]
    ):
        raise PayloadError(_l("The message was not understood."))
    return values
