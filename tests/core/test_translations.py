"""Dutch and English are complete: every user-facing string has a Dutch translation."""

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "workshop/translations/nl/LC_MESSAGES/messages.po"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]")


def _source_messages():
    found = set()
    for folder, method_map, options in (
        ("workshop", [("**.py", "python")], {}),
        ("templates", [("**.html", "jinja2")], {"**.html": {"extensions": "jinja2.ext.do"}}),
    ):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / folder, method_map, options_map=options, keywords=KEYWORDS
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def _catalogue():
    with PO.open("rb") as handle:
        return read_po(handle, locale="nl")


def test_every_source_string_has_a_dutch_translation():
    source = _source_messages()
    assert "Log in" in source and "Page not found" in source  # extraction sees both kinds
    catalogue = _catalogue()
    translated = {
        m.id if isinstance(m.id, str) else m.id[0]
        for m in catalogue
        if m.id and (m.string if isinstance(m.string, str) else all(m.string))
        and "fuzzy" not in m.flags
    }
    missing = sorted(source - translated)
    assert missing == [], "run `make messages` and translate these in nl:\n" + "\n".join(missing)


def test_dutch_translations_keep_every_placeholder():
    for message in _catalogue():
        if not (message.id and message.string):
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        expected = sorted(PLACEHOLDER.findall(ids[-1]))
        for text in strings:
            assert sorted(PLACEHOLDER.findall(text)) == expected, message.id
