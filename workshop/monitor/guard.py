"""Limits on an uploaded measurements file, checked before anything parses it.

Pure: bytes in, `Refused(code)` out; no Flask app, no database, and nothing outside the
standard library, so the parse worker (workshop/monitor/parse_worker.py) loads it cheaply.

A workbook (.xlsx) is a ZIP archive of XML parts. Before openpyxl sees it, every part is
unpacked as a stream with a cap — declared sizes in the archive's directory can lie — and
the worksheets and shared strings are scanned on the way for what would make the parse
slow or large: the number of rows (empty ones included: `<row r="…"/>` costs as much as a
full one) and cells, the sheet's declared dimension, and the longest text. A CSV file is
checked for its number and length of lines. docs/operating.md lists the settings.

Problem codes (the import page shows each as a sentence, with the limit):
  too_large       more parts than `max_members`, a part (or all together) larger than
                  allowed once unpacked, or a part compressed more than `max_ratio` times
  too_many_lines  more than `max_lines` rows or lines, empty ones included
  too_many_cells  more than `max_cells` cells
  text_too_long   a text longer than `max_text` characters
  line_too_long   a line of a CSV file longer than `max_line` characters
  unreadable      not a ZIP archive, a damaged one, or XML with a DTD (entities)
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import asdict, dataclass

CHUNK = 64 * 1024
# Below this unpacked size a part's compression ratio is not judged: small XML with
# repeated markup compresses well and costs nothing.
RATIO_FLOOR = 1024 * 1024
# A UTF-8 character takes at most 4 bytes: a run of text bytes may be this much longer
# than `max_text` before it is certainly too long (the exact check is on the cells).
UTF8_MAX = 4


@dataclass(frozen=True)
class Limits:
    """What one upload may hold and cost; `from_config` reads the IMPORT_* settings."""

    max_rows: int = 5000  # data rows (measurements)
    max_lines: int = 20_000  # rows or lines, empty ones included
    max_cells: int = 200_000
    max_text: int = 10_000  # characters in one cell or shared string
    max_line: int = 20_000  # characters in one CSV line
    max_upload_bytes: int = 2 * 1024 * 1024
    max_members: int = 100
    max_part_bytes: int = 10 * 1024 * 1024
    max_unpacked_bytes: int = 25 * 1024 * 1024
    max_ratio: int = 100
    timeout_seconds: float = 20.0
    memory_mb: int = 512
    max_parallel: int = 2  # files read at once per server process; more wait

    SETTINGS = {
        "max_rows": "IMPORT_MAX_ROWS", "max_lines": "IMPORT_MAX_LINES",
        "max_cells": "IMPORT_MAX_CELLS", "max_text": "IMPORT_MAX_TEXT",
        "max_line": "IMPORT_MAX_LINE", "max_upload_bytes": "IMPORT_MAX_UPLOAD_BYTES",
        "max_members": "IMPORT_MAX_MEMBERS", "max_part_bytes": "IMPORT_MAX_PART_BYTES",
        "max_unpacked_bytes": "IMPORT_MAX_UNPACKED_BYTES", "max_ratio": "IMPORT_MAX_RATIO",
        "timeout_seconds": "IMPORT_TIMEOUT_SECONDS", "memory_mb": "IMPORT_MEMORY_MB",
        "max_parallel": "IMPORT_MAX_PARALLEL",
    }

    @classmethod
    def from_config(cls, config) -> Limits:
        defaults = cls()
        return cls(**{field: config.get(name, getattr(defaults, field))
                      for field, name in cls.SETTINGS.items()})

    def as_dict(self) -> dict:
        return asdict(self)


class Refused(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


_PREFIX = rb"<(?:[A-Za-z_][\w.-]*:)?"
_ROW = re.compile(_PREFIX + rb"row[\s/>]")
_CELL = re.compile(_PREFIX + rb"c[\s/>]")
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_DIMENSION = re.compile(_PREFIX + rb"dimension\s+ref=\"([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?\"")
OVERLAP = 256  # longer than any tag the patterns above look for


class _Scan:
    """Counts rows and cells and the longest text of one part, fed in chunks."""

    def __init__(self, limits: Limits, sheet: bool):
        self.limits, self.sheet = limits, sheet
        self.rows = self.cells = 0
        self.run = 0  # bytes since the last "<"
        self.buffer = b""

    def feed(self, chunk: bytes, last: bool = False) -> None:
        parts = chunk.split(b"<")
        if len(parts) == 1:
            self.run += len(chunk)
            longest = self.run
        else:
            longest = max(self.run + len(parts[0]), *map(len, parts[1:]))
            self.run = len(parts[-1])
        if longest > self.limits.max_text * UTF8_MAX + 1024:
            raise Refused("text_too_long")
        buffer = self.buffer + chunk
        cut = len(buffer) if last else max(len(buffer) - OVERLAP, 0)
        if _DTD.search(buffer):
            raise Refused("unreadable")
        if self.sheet:
            self.rows += sum(1 for m in _ROW.finditer(buffer) if m.start() < cut)
            self.cells += sum(1 for m in _CELL.finditer(buffer) if m.start() < cut)
            if match := _DIMENSION.search(buffer):
                self._dimension(match)
            if self.rows > self.limits.max_lines:
                raise Refused("too_many_lines")
            if self.cells > self.limits.max_cells:
                raise Refused("too_many_cells")
        self.buffer = buffer[cut:]

    def _dimension(self, match: re.Match) -> None:
        """The declared size (A1:D14000000): refused early if it has too many rows. (Its
        columns are not judged: cells are counted one by one, and a dimension may span
        empty ones.)"""
        _first_col, first_row, _last_col, last_row = match.groups()
        if int(last_row or first_row or 1) > self.limits.max_lines:
            raise Refused("too_many_lines")


def check_xlsx(data: bytes, limits: Limits) -> None:
    """Refuse a workbook whose parts are too many, too large or too full to parse."""
    if len(data) > limits.max_upload_bytes:
        raise Refused("too_large")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise Refused("unreadable") from None
    if len(members) > limits.max_members:
        raise Refused("too_large")
    for info in members:
        declared = info.file_size
        if declared > limits.max_part_bytes:
            raise Refused("too_large")
        if declared > RATIO_FLOOR and declared > limits.max_ratio * max(info.compress_size, 1):
            raise Refused("too_large")
    if sum(info.file_size for info in members) > limits.max_unpacked_bytes:
        raise Refused("too_large")
    total = 0
    for info in members:
        total += _unpack(archive, info, limits, limits.max_unpacked_bytes - total)


def _unpack(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits,
            room: int) -> int:
    """Unpack one part as a stream with a cap; returns its real size."""
    name = info.filename.lower()
    scan = None
    if name.endswith(".xml"):
        sheet = name.startswith("xl/worksheets/")
        strings = "sharedstrings" in name
        scan = _Scan(limits, sheet=sheet) if sheet or strings else None
    size = 0
    try:
        with archive.open(info) as part:
            while chunk := part.read(CHUNK):
                size += len(chunk)
                if size > limits.max_part_bytes or size > room:
                    raise Refused("too_large")
                if size > RATIO_FLOOR and size > limits.max_ratio * max(info.compress_size, 1):
                    raise Refused("too_large")
                if scan:
                    scan.feed(chunk)
            if scan:
                scan.feed(b"", last=True)
    except Refused:
        raise
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError,
            NotImplementedError, ValueError):
        raise Refused("unreadable") from None
    return size


def check_csv(text: str, limits: Limits) -> None:
    """Refuse a text file with too many or too long lines."""
    lines = text.splitlines()
    if len(lines) > limits.max_lines + 1:  # + an Excel "sep=;" line
        raise Refused("too_many_lines")
    if lines and max(map(len, lines)) > limits.max_line:
        raise Refused("line_too_long")
