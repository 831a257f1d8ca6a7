"""Read a file of indicator measurements and report every row's problem, for a preview.

Pure: bytes in, a Preview out; no Flask app, no database. Nothing is stored here: the
preview screen shows every row with its problems, and only a clean file, or the good rows
with the bad ones left out, is saved by the caller.

The file
  A .csv or .xlsx file (the first sheet of a workbook). The first non-empty line is the
  header; each later non-empty line is one measurement. Fully empty lines are ignored.
  Columns are found by their header, in any order and any case, English or Dutch:
    indicator  indicator                 (required) the indicator's name or its number
    date       datum                     (required)
    value      waarde                    (required)
    note       opmerking                 (optional; also "notes", "opmerkingen")
  Other columns are ignored, as are columns after the 100th, and so is a line with text
  only in such columns.
  A CSV file is read as UTF-8 (with or without a BOM), else as Windows-1252; its
  delimiter is a comma, a semicolon (Dutch Excel) or a tab, chosen from the header line
  (or given by an Excel "sep=;" first line, which is then skipped).

Line numbers (Row.line)
  The row number as a spreadsheet shows it: a header in the first line is line 1; empty
  lines are counted, so the numbers match the file; a quoted CSV cell spanning several
  lines stays within one row, as in a spreadsheet.

Indicator
  The name (compared case-insensitively, surrounding and repeated spaces ignored) or the
  indicator's number, as given in the `indicators` mapping.

Date
  A date cell in a workbook, or text as 2026-03-31 (ISO, optionally followed by a time),
  31-03-2026, 31/03/2026 or 1/3/2026 (day first). Impossible dates such as 31-02-2026
  are rejected. Dates after today are rejected.

Value
  A number cell in a workbook is taken as is. Text may use a decimal comma or point:
  1234.5, 1234,5, 1.234,5, 1,234.5, 12 % (the % is dropped, giving 12). When both a
  comma and a point occur, the last one is the decimal separator and the other one must
  group the thousands by three; a single comma is a decimal comma. Spaces, non-breaking
  spaces and a trailing % are ignored. NaN and infinity are rejected.

Note
  Optional text of at most 500 characters.

Problem codes for a row (Row.problems, in this order; a row may have several)
  missing_indicator  the indicator cell is empty
  unknown_indicator  no indicator with that name or number
  missing_date       the date cell is empty
  bad_date           not a date in one of the accepted forms, or an impossible date
  future_date        the date is after today
  missing_value      the value cell is empty
  bad_number         the value is not a (finite) number, or beyond ±10^15
  ambiguous_number   "1.234" or "1,234" (written as text): a thousand and more in one
                     language, one and a bit in the other; write 1234 or 1,2 instead
  note_too_long      the note is longer than 500 characters
  duplicate_date     the indicator already has a measurement on that date
  duplicate_in_file  the same indicator and date occur more than once in the file
                     (every one of those rows gets this code)

Problem codes for the whole file (Preview.file_problem; then Preview.rows is empty)
  unsupported_type   not a .csv or .xlsx file name
  unreadable         cannot be decoded as text, or is not a real workbook
  empty              no header, or a header without any data rows
  missing_columns    the header lacks the indicator, date or value column
  too_many_rows      more data rows than allowed (max_rows, 5000 by default)
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import PurePath

from openpyxl import load_workbook

ROW_PROBLEMS = (
    "missing_indicator",
    "unknown_indicator",
    "missing_date",
    "bad_date",
    "future_date",
    "missing_value",
    "bad_number",
    "ambiguous_number",
    "note_too_long",
    "duplicate_date",
    "duplicate_in_file",
)
FILE_PROBLEMS = ("unsupported_type", "unreadable", "empty", "missing_columns", "too_many_rows")

MAX_NOTE = 500
MAX_COLUMNS = 100
DELIMITERS = (";", ",", "\t")

HEADERS = {
    "indicator": ("indicator",),
    "date": ("date", "datum"),
    "value": ("value", "waarde"),
    "note": ("note", "notes", "opmerking", "opmerkingen"),
}
REQUIRED = ("indicator", "date", "value")

Line = tuple[int, Sequence[object]]  # (line number, cells)


@dataclass(frozen=True)
class Row:
    line: int
    indicator_id: int | None
    indicator: str
    date: datetime.date | None
    value: float | None
    note: str
    problems: tuple[str, ...]


@dataclass(frozen=True)
class Preview:
    rows: tuple[Row, ...]
    file_problem: str | None

    @property
    def good(self) -> tuple[Row, ...]:
        return tuple(row for row in self.rows if not row.problems)

    @property
    def bad(self) -> tuple[Row, ...]:
        return tuple(row for row in self.rows if row.problems)


class _FileProblem(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def read(
    data: bytes,
    filename: str,
    indicators: dict[str, int],
    existing: set[tuple[int, datetime.date]],
    max_rows: int = 5000,
    *,
    today: datetime.date | None = None,
) -> Preview:
    """Read and check every row of `data`; see the module docstring for the rules."""
    today = today or datetime.date.today()
    suffix = PurePath(filename or "").suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        return Preview((), "unsupported_type")
    if not data.strip():
        return Preview((), "empty")
    try:
        if suffix == ".csv":
            parsed = _check(_csv_lines(data), indicators, existing, max_rows, today)
        else:
            parsed = _read_xlsx(data, indicators, existing, max_rows, today)
    except _FileProblem as problem:
        return Preview((), problem.code)
    return Preview(parsed, None)


# --- reading the file ---------------------------------------------------------------


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise _FileProblem("unreadable") from None
    if "\x00" in text:
        raise _FileProblem("unreadable")
    return text


def _first_row(text: str, delimiter: str) -> list[str]:
    try:
        for cells in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if any(cell.strip() for cell in cells):
                return cells
    except csv.Error:
        return []
    return []


def _delimiter(text: str) -> str:
    """The delimiter whose header line names the most known columns, then has most cells."""

    def score(delimiter: str) -> tuple[int, int]:
        header = _first_row(text, delimiter)
        known = sum(1 for cell in header if _header_key(cell) is not None)
        return known, len(header)

    return max(DELIMITERS, key=score)


_SEP_LINE = re.compile(r"sep=([,;\t|])[ \t]*\r?\n")


def _csv_lines(data: bytes) -> Iterator[Line]:
    text = _decode(data)
    if match := _SEP_LINE.match(text):
        # Excel's "sep=;" hint: Excel hides this line, so the header stays line 1.
        text, delimiter = text[match.end() :], match.group(1)
    else:
        delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error:
        raise _FileProblem("unreadable") from None


def _read_xlsx(
    data: bytes,
    indicators: dict[str, int],
    existing: set[tuple[int, datetime.date]],
    max_rows: int,
    today: datetime.date,
) -> tuple[Row, ...]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise _FileProblem("unreadable") from None
    try:
        if not workbook.worksheets:
            raise _FileProblem("empty")
        sheet = workbook.worksheets[0]
        lines = enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1)
        return _check(_guarded(lines), indicators, existing, max_rows, today)
    finally:
        workbook.close()


def _guarded(lines: Iterable[Line]) -> Iterator[Line]:
    """Turn any error while reading a damaged workbook into 'unreadable'."""
    try:
        yield from lines
    except _FileProblem:
        raise
    except Exception:
        raise _FileProblem("unreadable") from None


# --- checking the rows --------------------------------------------------------------


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def _header_key(cell: object) -> str | None:
    name = _normal(_text(cell)).rstrip(":").strip()
    for key, names in HEADERS.items():
        if name in names:
            return key
    return None


def _text(cell: object) -> str:
    """A cell as text: numbers without a useless '.0', None as ''."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _is_empty(cells: Sequence[object]) -> bool:
    return all(not _text(cell) for cell in cells)


def _check(
    lines: Iterable[Line],
    indicators: dict[str, int],
    existing: set[tuple[int, datetime.date]],
    max_rows: int,
    today: datetime.date,
) -> tuple[Row, ...]:
    columns: dict[str, int] | None = None
    raw: list[Line] = []
    for line, cells in lines:
        if _is_empty(cells):
            continue
        if columns is None:
            columns = {}
            for index, cell in enumerate(cells):
                key = _header_key(cell)
                if key is not None and key not in columns:
                    columns[key] = index
            if any(key not in columns for key in REQUIRED):
                raise _FileProblem("missing_columns")
            continue
        if _is_empty([_cell(cells, index) for index in columns.values()]):
            continue  # only text in columns that are not read, e.g. a remark beside the table
        if len(raw) >= max_rows:
            raise _FileProblem("too_many_rows")
        raw.append((line, cells))
    if columns is None or not raw:
        raise _FileProblem("empty")

    lookup = {_normal(str(name)): id_ for name, id_ in indicators.items()}
    rows = [_row(line, cells, columns, lookup, existing, today) for line, cells in raw]

    keys = Counter(
        (row.indicator_id, row.date)
        for row in rows
        if row.indicator_id is not None and row.date is not None
    )
    result = []
    for row in rows:
        key = (row.indicator_id, row.date)
        if row.indicator_id is not None and row.date is not None and keys[key] > 1:
            row = _with_problem(row, "duplicate_in_file")
        result.append(row)
    return tuple(result)


def _with_problem(row: Row, code: str) -> Row:
    problems = sorted({*row.problems, code}, key=ROW_PROBLEMS.index)
    return Row(
        line=row.line,
        indicator_id=row.indicator_id,
        indicator=row.indicator,
        date=row.date,
        value=row.value,
        note=row.note,
        problems=tuple(problems),
    )


def _cell(cells: Sequence[object], index: int | None) -> object:
    if index is None or index >= len(cells):
        return None
    return cells[index]


def _row(
    line: int,
    cells: Sequence[object],
    columns: dict[str, int],
    lookup: dict[str, int],
    existing: set[tuple[int, datetime.date]],
    today: datetime.date,
) -> Row:
    problems: list[str] = []

    indicator = _text(_cell(cells, columns["indicator"]))
    indicator_id = lookup.get(_normal(indicator)) if indicator else None
    if not indicator:
        problems.append("missing_indicator")
    elif indicator_id is None:
        problems.append("unknown_indicator")

    raw_date = _cell(cells, columns["date"])
    day: datetime.date | None = None
    if not _text(raw_date):
        problems.append("missing_date")
    else:
        day = parse_date(raw_date)
        if day is None:
            problems.append("bad_date")
        elif day > today:
            problems.append("future_date")

    raw_value = _cell(cells, columns["value"])
    value: float | None = None
    if not _text(raw_value):
        problems.append("missing_value")
    else:
        value = parse_number(raw_value)
        if value is None:
            problems.append("bad_number")
        elif isinstance(raw_value, str) and _AMBIGUOUS.fullmatch(_normalised(raw_value)):
            problems.append("ambiguous_number")

    note = _text(_cell(cells, columns.get("note")))
    if len(note) > MAX_NOTE:
        problems.append("note_too_long")

    if indicator_id is not None and day is not None and (indicator_id, day) in existing:
        problems.append("duplicate_date")

    return Row(
        line=line,
        indicator_id=indicator_id,
        indicator=indicator,
        date=day,
        value=value,
        note=note,
        problems=tuple(problems),
    )


# --- dates and numbers --------------------------------------------------------------

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
