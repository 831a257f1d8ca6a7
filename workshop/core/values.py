"""Dates and numbers as people type them, in Dutch or English: the measurement import
and the indicator and measurement forms read them the same way.

Pure: no Flask app, no database.

Dates
  A date (or date-time) object as is, or text as 2026-03-31 (ISO, optionally followed by
  a time), 31-03-2026, 31/03/2026 or 1/3/2026 (day first). Impossible dates such as
  31-02-2026, and dates outside 1900–2200, are not dates.
Numbers
  A number as is; text may use a decimal comma or point and thousands separators in
  proper groups of three ("1.234,5", "1,234.5", "1234,5"), spaces, a Unicode minus and a
  trailing %. Beyond ±10^15 (a typo, not a measurement), NaN and infinity are not numbers.
  "1.234" and "1,234" are numbers (one and a bit) but `ambiguous` says so: the import asks.
"""

from __future__ import annotations

import datetime
import math
import re

_ISO = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?", re.ASCII
)
_DAY_FIRST = re.compile(r"(\d{1,2})([-/])(\d{1,2})\2(\d{4})", re.ASCII)


EARLIEST, LATEST = datetime.date(1900, 1, 1), datetime.date(2200, 12, 31)


def parse_date(cell: object) -> datetime.date | None:
    """A date (1900–2200) from a workbook cell or text; None when it is not an accepted,
    real date."""
    day = _parse_date(cell)
    return day if day is not None and EARLIEST <= day <= LATEST else None


def _parse_date(cell: object) -> datetime.date | None:
    if isinstance(cell, datetime.datetime):
        return cell.date()
    if isinstance(cell, datetime.date):
        return cell
    if not isinstance(cell, str):
        return None
    text = cell.strip()
    if match := _ISO.fullmatch(text):
        year, month, day = match.group(1, 2, 3)
    elif match := _DAY_FIRST.fullmatch(text):
        day, month, year = match.group(1, 3, 4)
    else:
        return None
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None


# "1.234" and "1,234": a thousand and more in one language, one and a bit in the other.
_AMBIGUOUS = re.compile(r"[+-]?[1-9]\d{0,2}[.,]\d{3}")
_PLAIN = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_SPACES = re.compile(r"[\s\u00a0\u202f\u2007]+")


def parse_number(cell: object) -> float | None:
    """A finite number from a workbook cell or text; None when it is not one."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float):
        return _sane(float(cell))
    if not isinstance(cell, str):
        return None
    plain = _plain(_normalised(cell))
    if plain is None or not _PLAIN.fullmatch(plain):
        return None
    return _sane(float(plain))


MAX_ABS = 1e15  # as the measurement form: beyond this a value is a typo, not a measurement


def _sane(number: float) -> float | None:
    return number if math.isfinite(number) and abs(number) <= MAX_ABS else None


def ambiguous(text: str) -> bool:
    """True for text like "1.234" or "1,234 %": thousands or decimals, who can tell?"""
    return bool(_AMBIGUOUS.fullmatch(_normalised(text)))


def _normalised(text: str) -> str:
    """Without spaces (also non-breaking), with an ASCII minus, without a trailing %."""
    return _SPACES.sub("", text).replace("\u2212", "-").removesuffix("%")


def _plain(text: str) -> str | None:
    """Rewrite '1.234,5', '1,234.5', '1234,5' to '1234.5'; None when the grouping is odd."""
    commas, points = text.count(","), text.count(".")
    if commas and points:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        group = "." if decimal == "," else ","
        whole, _, fraction = text.rpartition(decimal)
        if decimal in whole or not _grouped(whole, group):
            return None
        return whole.replace(group, "") + "." + fraction
    if commas == 1:
        return text.replace(",", ".")
    if commas > 1:
        return text.replace(",", "") if _grouped(text, ",") else None
    if points > 1:
        return text.replace(".", "") if _grouped(text, ".") else None
    return text


def _grouped(whole: str, group: str) -> bool:
    """'1.234.567' with group '.': digits in groups of three after the first one to three."""
    sign = whole[:1] if whole[:1] in "+-" else ""
    parts = whole[len(sign) :].split(group)
    return (
        len(parts) > 1
        and 1 <= len(parts[0]) <= 3
        and all(part.isdigit() and part.isascii() for part in parts)
        and all(len(part) == 3 for part in parts[1:])
    )
