"""Reading a measurements file into numbered lines of cells: CSV or the first sheet of a
workbook, within the limits of workshop/monitor/guard.py. What the lines mean is
workshop/monitor/imports.py's business."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence

from openpyxl import load_workbook

from workshop.monitor.guard import Limits, Refused, check_csv, check_xlsx

MAX_COLUMNS = 100
DELIMITERS = (";", ",", "\t")

HEADERS = {
    "indicator": ("indicator",),
    "date": ("date", "datum"),
    "value": ("value", "waarde"),
    "note": ("note", "notes", "opmerking", "opmerkingen"),
}

Line = tuple[int, Sequence[object]]  # (line number, cells)


class FileProblem(Exception):
    """The whole file is refused; `code` is one of imports.FILE_PROBLEMS."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise FileProblem("unreadable") from None
    if "\x00" in text:
        raise FileProblem("unreadable")
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
        known = sum(1 for cell in header if header_key(cell) is not None)
        return known, len(header)

    return max(DELIMITERS, key=score)


_SEP_LINE = re.compile(r"sep=([,;\t|])[ \t]*\r?\n")


def csv_lines(data: bytes, limits: Limits) -> Iterator[Line]:
    text = _decode(data)
    check_csv(text, limits)
    if match := _SEP_LINE.match(text):
        # Excel's "sep=;" hint: Excel hides this line, so the header stays line 1.
        text, delimiter = text[match.end() :], match.group(1)
    else:
        delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error:
        raise FileProblem("unreadable") from None


def xlsx_lines(data: bytes, limits: Limits) -> Iterator[Line]:
    """The first sheet's rows; the workbook stays open while they are read."""
    check_xlsx(data, limits)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except MemoryError:
        raise  # the parse worker's cap: its own answer, not "unreadable"
    except Exception:
        raise FileProblem("unreadable") from None
    try:
        if not workbook.worksheets:
            raise FileProblem("empty")
        sheet = workbook.worksheets[0]
        yield from guarded(enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS),
                                     start=1))
    finally:
        workbook.close()


def guarded(lines: Iterable[Line]) -> Iterator[Line]:
    """Turn any error while reading a damaged workbook into 'unreadable'."""
    try:
        yield from lines
    except (FileProblem, Refused, MemoryError):
        raise
    except Exception:
        raise FileProblem("unreadable") from None


# --- cells ------------------------------------------------------------------------


def normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def header_key(cell: object) -> str | None:
    name = normal(text_of(cell)).rstrip(":").strip()
    for key, names in HEADERS.items():
        if name in names:
            return key
    return None


def text_of(cell: object) -> str:
    """A cell as text: numbers without a useless '.0', None as ''."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()
