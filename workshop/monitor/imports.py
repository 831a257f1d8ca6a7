"""Read a file of indicator measurements and report every row's problem, for a preview.

Pure: bytes in, a Preview out; no Flask app, no database. Reading the file into numbered
lines of cells is workshop/monitor/sheet.py; this module gives them meaning. Nothing is
stored here: the preview screen shows every row with its problems, and only a clean file,
or the good rows with the bad ones left out, is saved by the caller.

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

Date and value
  Read as workshop/core/values.py describes (the forms read them the same way); a
  date after today is rejected.

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
  too_large          larger than allowed, or (a workbook) more parts, or a part larger
                     or more compressed than allowed once unpacked
  too_many_lines     more rows or lines than allowed, empty ones included
  too_many_cells     more cells than allowed
  text_too_long      a cell or shared string longer than allowed
  line_too_long      a line of a CSV file longer than allowed
  (the limits are a guard.Limits; workshop/monitor/guard.py checks a workbook's parts
  before openpyxl reads it)
  too_slow           the parse worker ran out of time (workshop/monitor/parse_worker.py:
                     the server parses in a separate process with a time and memory cap)
  too_much_memory    the parse worker ran out of memory
  busy               other files kept every parse worker busy for the whole time limit
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import PurePath

from workshop.core.values import ambiguous, parse_date, parse_number
from workshop.monitor.guard import Limits, Refused
from workshop.monitor.sheet import (
    FileProblem,
    Line,
    csv_lines,
    header_key,
    normal,
    text_of,
    xlsx_lines,
)

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
FILE_PROBLEMS = ("unsupported_type", "unreadable", "empty", "missing_columns", "too_many_rows",
                 "too_large", "too_many_lines", "too_many_cells", "text_too_long",
                 "line_too_long", "too_slow", "too_much_memory", "busy")

MAX_NOTE = 500
REQUIRED = ("indicator", "date", "value")


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


def read(
    data: bytes,
    filename: str,
    indicators: dict[str, int],
    existing: set[tuple[int, datetime.date]],
    max_rows: int | None = None,
    *,
    today: datetime.date | None = None,
    limits: Limits | None = None,
) -> Preview:
    """Read and check every row of `data`; see the module docstring for the rules."""
    today = today or datetime.date.today()
    limits = limits or Limits()
    if max_rows is not None:
        limits = replace(limits, max_rows=max_rows)
    suffix = PurePath(filename or "").suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        return Preview((), "unsupported_type")
    if len(data) > limits.max_upload_bytes:
        return Preview((), "too_large")
    if not data.strip():
        return Preview((), "empty")
    try:
        lines = csv_lines(data, limits) if suffix == ".csv" else xlsx_lines(data, limits)
        parsed = _check(lines, indicators, existing, limits, today)
    except (FileProblem, Refused) as problem:
        return Preview((), problem.code)
    return Preview(parsed, None)


# --- checking the rows --------------------------------------------------------------


def _width(cells: Sequence[object]) -> int:
    """The cells up to the last filled one (a workbook's rows come padded with None)."""
    width = len(cells)
    while width and cells[width - 1] is None:
        width -= 1
    return width


def _is_empty(cells: Sequence[object]) -> bool:
    return all(not text_of(cell) for cell in cells)


def _check(
    lines: Iterable[Line],
    indicators: dict[str, int],
    existing: set[tuple[int, datetime.date]],
    limits: Limits,
    today: datetime.date,
) -> tuple[Row, ...]:
    columns: dict[str, int] | None = None
    raw: list[Line] = []
    cell_count = 0
    for line, cells in lines:
        # Empty rows count: a sheet of millions of them costs as much time as full ones.
        if line > limits.max_lines:
            raise FileProblem("too_many_lines")
        cell_count += _width(cells)
        if cell_count > limits.max_cells:
            raise FileProblem("too_many_cells")
        if any(isinstance(cell, str) and len(cell) > limits.max_text for cell in cells):
            raise FileProblem("text_too_long")
        if _is_empty(cells):
            continue
        if columns is None:
            columns = {}
            for index, cell in enumerate(cells):
                key = header_key(cell)
                if key is not None and key not in columns:
                    columns[key] = index
            if any(key not in columns for key in REQUIRED):
                raise FileProblem("missing_columns")
            continue
        if _is_empty([_cell(cells, index) for index in columns.values()]):
            continue  # only text in columns that are not read, e.g. a remark beside the table
        if len(raw) >= limits.max_rows:
            raise FileProblem("too_many_rows")
        raw.append((line, cells))
    if columns is None or not raw:
        raise FileProblem("empty")

    lookup = {normal(str(name)): id_ for name, id_ in indicators.items()}
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

    indicator = text_of(_cell(cells, columns["indicator"]))
    indicator_id = lookup.get(normal(indicator)) if indicator else None
    if not indicator:
        problems.append("missing_indicator")
    elif indicator_id is None:
        problems.append("unknown_indicator")

    raw_date = _cell(cells, columns["date"])
    day: datetime.date | None = None
    if not text_of(raw_date):
        problems.append("missing_date")
    else:
        day = parse_date(raw_date)
        if day is None:
            problems.append("bad_date")
        elif day > today:
            problems.append("future_date")

    raw_value = _cell(cells, columns["value"])
    value: float | None = None
    if not text_of(raw_value):
        problems.append("missing_value")
    else:
        value = parse_number(raw_value)
        if value is None:
            problems.append("bad_number")
        elif isinstance(raw_value, str) and ambiguous(raw_value):
            problems.append("ambiguous_number")

    note = text_of(_cell(cells, columns.get("note")))
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
