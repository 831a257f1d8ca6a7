"""Hostile measurement files are refused quickly, with the limit named, and honest ones
still read (issue 13, point 1). Service tests: bytes in, a Preview out, no HTTP."""

import dataclasses
import time
from datetime import date
from io import BytesIO

from openpyxl import Workbook

from tests.monitor import hostile
from workshop.monitor.guard import Limits
from workshop.monitor.imports import read
from workshop.monitor.parse_worker import read_isolated

TODAY = date(2026, 6, 1)
INDICATORS = {"Bezoekers": 1, "1": 1}
QUICK = 3.0  # seconds: before the fix each of these took from 20 s to over a minute


def refused(data, name="m.xlsx", limits=None):
    started = time.monotonic()
    preview = read(data, name, INDICATORS, set(), today=TODAY, limits=limits)
    elapsed = time.monotonic() - started
    assert preview.rows == ()
    assert elapsed < QUICK, f"took {elapsed:.1f} s"
    return preview.file_problem


def honest_workbook(rows=300):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Indicator", "Datum", "Waarde", "Opmerking"])
    for n in range(rows):
        sheet.append(["Bezoekers", date(2020, 1, 1).replace(year=2000 + n // 365 % 25,
                                                           day=n % 28 + 1), n, "een notitie"])
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- workbooks ------------------------------------------------------------------------


def test_fourteen_million_empty_rows_are_refused_before_parsing():
    data = hostile.empty_rows(14_000_000)
    assert len(data) < 2 * 1024 * 1024  # small enough to pass the upload limit
    assert refused(data) == "too_large"  # its sheet unpacks to 84 MB


def test_empty_rows_count_towards_the_row_limit():
    # 30,000 numbered empty rows unpack to 0.6 MB (within the part limit): the rows
    # themselves are counted while unpacking, before openpyxl parses anything.
    assert refused(hostile.empty_rows(30_000, numbered=True)) == "too_many_lines"
    # Not counted by the scan? openpyxl's own rows (empty ones filled in) still are.
    lax = dataclasses.replace(Limits(), max_cells=10**9)
    assert refused(hostile.far_row(10_000_000), limits=lax) == "too_many_lines"


def test_one_enormous_shared_string_is_refused():
    assert refused(hostile.huge_shared_string(100_000_000)) == "too_large"
    # Within the part limit, the scan finds the long text before openpyxl loads it.
    assert refused(hostile.huge_shared_string(1_000_000)) == "text_too_long"


def test_a_text_just_over_the_limit_is_refused_exactly():
    limits = dataclasses.replace(Limits(), max_text=500)
    cell = "x" * 501
    data = hostile.workbook([hostile.HEADER_ROW,
                             f'<row r="2"><c r="A2" t="inlineStr"><is><t>{cell}</t></is></c>'
                             "</row>"])
    assert refused(data, limits=limits) == "text_too_long"


def test_a_zip_bomb_part_is_refused_by_its_declared_size():
    data = hostile.zip_bomb(200)
    assert len(data) < 300 * 1024
    assert refused(data) == "too_large"


def test_a_workbook_of_thousands_of_parts_is_refused():
    assert refused(hostile.many_members(500)) == "too_large"


def test_a_highly_compressed_part_is_refused_by_its_ratio():
    limits = dataclasses.replace(Limits(), max_part_bytes=100 * 1024 * 1024,
                                 max_unpacked_bytes=200 * 1024 * 1024)
    assert refused(hostile.zip_bomb(20), limits=limits) == "too_large"


def test_too_many_cells_are_refused():
    cells = "".join(f'<c r="A{n}"><v>{n}</v></c>' for n in range(2000))
    rows = [hostile.HEADER_ROW] + [f'<row r="{n}">{cells}</row>' for n in range(2, 150)]
    assert refused(hostile.workbook(rows)) == "too_many_cells"


# --- CSV ------------------------------------------------------------------------------


def test_a_csv_file_of_empty_lines_is_refused():
    assert refused(hostile.empty_csv_lines(1_000_000), name="m.csv") == "too_many_lines"


def test_a_csv_file_with_an_endless_line_is_refused():
    data = b"indicator,date,value,note\n1,2026-01-01,1," + b"x" * 100_000 + b"\n"
    assert refused(data, name="m.csv") == "line_too_long"


def test_a_file_over_the_upload_limit_is_refused():
    limits = dataclasses.replace(Limits(), max_upload_bytes=1000)
    assert refused(b"indicator,date,value\n" + b"1,2026-01-01,1\n" * 100, name="m.csv",
                   limits=limits) == "too_large"


# --- honest files still read ----------------------------------------------------------


def test_an_honest_workbook_and_csv_read_in_the_worker():
    preview = read_isolated(honest_workbook(300), "m.xlsx", INDICATORS, set(), Limits(),
                            today=TODAY)
    assert preview.file_problem is None
    assert len(preview.rows) == 300
    assert preview.rows[0].value == 0.0 and preview.rows[0].note == "een notitie"
    text = "indicator;datum;waarde\n" + "".join(f"1;2026-01-{d:02};{d},5\n"
                                                for d in range(1, 29))
    preview = read_isolated(text.encode(), "m.csv", INDICATORS, {(1, date(2026, 1, 1))},
                            Limits(), today=TODAY)
    assert len(preview.good) == 27
    assert preview.rows[0].problems == ("duplicate_date",)
    assert preview.rows[1].value == 2.5 and preview.rows[1].date == date(2026, 1, 2)


def test_the_worker_stops_at_the_time_limit():
    limits = dataclasses.replace(Limits(), timeout_seconds=0.05)
    started = time.monotonic()
    preview = read_isolated(honest_workbook(300), "m.xlsx", INDICATORS, set(), limits)
    assert preview.file_problem == "too_slow"
    assert time.monotonic() - started < QUICK


def test_the_worker_stops_at_the_memory_limit():
    # Every other limit lifted: only the memory cap stands between this file and the server.
    limits = dataclasses.replace(Limits(), max_text=10**9, max_ratio=10**6, memory_mb=60)
    preview = read_isolated(hostile.huge_shared_string(9_000_000), "m.xlsx", INDICATORS,
                            set(), limits)
    assert preview.file_problem == "too_much_memory"


def test_the_worker_answers_a_damaged_workbook_as_unreadable():
    preview = read_isolated(b"PK\x03\x04garbage" * 10, "m.xlsx", INDICATORS, set(), Limits())
    assert preview.file_problem == "unreadable"


def test_uploads_beyond_the_parallel_limit_wait_then_give_up():
    from workshop.monitor import parse_worker

    limits = dataclasses.replace(Limits(), max_parallel=1, timeout_seconds=0.5)
    slot = parse_worker._slot(1)
    slot.acquire()  # another upload is being read
    try:
        started = time.monotonic()
        preview = read_isolated(honest_workbook(5), "m.xlsx", INDICATORS, set(), limits)
        assert preview.file_problem == "busy"
        assert 0.4 < time.monotonic() - started < QUICK
    finally:
        slot.release()
    limits = dataclasses.replace(limits, timeout_seconds=20)
    assert read_isolated(honest_workbook(5), "m.xlsx", INDICATORS, set(), limits,
                         today=TODAY).file_problem is None


def test_a_declared_dimension_of_millions_of_rows_is_refused_unread():
    data = hostile.workbook(['</sheetData><dimension ref="A1:C14000000"/><sheetData>',
                             hostile.HEADER_ROW])
    assert refused(data) == "too_many_lines"
