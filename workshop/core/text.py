"""Plain text from anyone: NFC, no control or direction-override characters.

Control characters are invisible on screen but break documents (Word and Excel refuse
them) and direction overrides can disguise text; neither belongs in a plan.
"""

import re
import unicodedata

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")


def plain_text(raw, keep_newlines=False):
    """Trimmed plain text; with `keep_newlines`, paragraphs survive (at most one blank line)."""
    text = unicodedata.normalize("NFC", str(raw or ""))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = CONTROL.sub("", text)
    if keep_newlines:
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(" ".join(line.split())
                                                     for line in text.split("\n")))
        return text.strip()
    return " ".join(text.split())


def without_control(value):
    """`value` with control characters removed from every string in it (nested lists and
    dicts too); newlines and tabs are kept. For text stored before input was cleaned."""
    if isinstance(value, str):
        return CONTROL.sub("", value.replace("\t", " ")) if CONTROL.search(value) else value
    if isinstance(value, dict):
        return {key: without_control(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [without_control(item) for item in value]
    return value


def spreadsheet_safe(value):
    """CSV: text a spreadsheet would run as a formula gets a leading apostrophe (the
    usual guard against formula injection; Excel hides it when it opens the file)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
