"""Reading a measurements file for the import preview: every row's problems, or the file's."""

import dataclasses
import zipfile
from datetime import date, datetime
from io import BytesIO

import pytest
from openpyxl import Workbook

from workshop.core.values import parse_date, parse_number
from workshop.monitor.imports import FILE_PROBLEMS, ROW_PROBLEMS, Preview, Row, read

TODAY = date(2026, 6, 1)
INDICATORS = {
    "Aantal bezoekers": 1,
    "1": 1,
    "CO2-uitstoot": 2,
    "2": 2,
    "Tevredenheid": 3,
    "12": 3,
}
HEADER = "indicator,date,value,note\n"


def csv_read(text, *, encoding="utf-8", existing=frozenset(), max_rows=5000, name="m.csv"):
    return read(text.encode(encoding), name, INDICATORS, set(existing), max_rows, today=TODAY)


def one(text, **kwargs):
    """The single row of a comma-separated file with the English header."""
    preview = csv_read(HEADER + text + "\n", **kwargs)
    assert preview.file_problem is None
    (row,) = preview.rows
    return row


def xlsx(*rows, sheets=()):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    for title, extra in sheets:
        other = workbook.create_sheet(title)
        for row in extra:
            other.append(list(row))
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_read(data, *, existing=frozenset(), max_rows=5000, name="m.xlsx"):
    return read(data, name, INDICATORS, set(existing), max_rows, today=TODAY)


# --- clean files ----------------------------------------------------------------------


def test_clean_english_csv():
    preview = csv_read(
        HEADER
        + "Aantal bezoekers,2026-03-31,1234.5,first quarter\n"
        + "CO2-uitstoot,2026-04-01,-3,\n"
    )
    assert preview.file_problem is None
    assert preview.rows == (
        Row(2, 1, "Aantal bezoekers", date(2026, 3, 31), 1234.5, "first quarter", ()),
        Row(3, 2, "CO2-uitstoot", date(2026, 4, 1), -3.0, "", ()),
    )
    assert preview.good == preview.rows
    assert preview.bad == ()


def test_dutch_excel_csv_semicolons_decimal_comma_and_cp1252():
    text = (
        "Indicator;Datum;Waarde;Opmerking\r\n"
        "Aantal bezoekers;31-03-2026;1.234,5;Café – € 5 subsidie\r\n"
        "Tevredenheid;1-4-2026;7,25;\r\n"
        "CO2-uitstoot;15/04/2026;12 %;\r\n"
    )
    preview = csv_read(text, encoding="cp1252")
    assert preview.file_problem is None
    assert [(r.indicator_id, r.date, r.value, r.note) for r in preview.rows] == [
        (1, date(2026, 3, 31), 1234.5, "Café – € 5 subsidie"),
        (3, date(2026, 4, 1), 7.25, ""),
        (2, date(2026, 4, 15), 12.0, ""),
    ]
    assert preview.bad == ()


def test_semicolons_are_not_mistaken_for_commas_in_values():
    # Both ';' and ',' occur on data lines; the header decides.
    preview = csv_read("indicator;date;value\nTevredenheid;2026-01-01;1,5\n")
    assert preview.rows[0].value == 1.5
    assert preview.rows[0].problems == ()


def test_tab_separated():
    preview = csv_read("Indicator\tDatum\tWaarde\nTevredenheid\t2026-01-01\t1,5\n")
    assert (preview.rows[0].indicator_id, preview.rows[0].value) == (3, 1.5)


def test_excel_sep_line_is_honoured_and_not_counted():
    preview = csv_read("sep=;\nindicator;date;value\nTevredenheid;2026-01-01;1,5\n")
    assert preview.file_problem is None
    assert (preview.rows[0].line, preview.rows[0].value) == (2, 1.5)


def test_utf8_bom_is_stripped_so_the_first_header_is_found():
    data = "\ufeffIndicator;Datum;Waarde\nTevredenheid;2026-01-01;7\n".encode()
    assert data.startswith(b"\xef\xbb\xbf")
    preview = read(data, "m.csv", INDICATORS, set(), today=TODAY)
    assert preview.file_problem is None
    assert preview.rows[0].indicator_id == 3


def test_utf8_is_preferred_over_cp1252():
    row = one("Tevredenheid,2026-01-01,7,café €")
    assert row.note == "café €"


def test_cp1252_fallback():
    row = one("Tevredenheid,2026-01-01,7,café €", encoding="cp1252")
    assert row.note == "café €"


def test_quoted_fields_with_delimiters_and_newlines():
    preview = csv_read(
        'indicator;date;value;note\n"Tevredenheid";2026-01-01;"1,5";"a; b\nc"\n'
        "Tevredenheid;2026-01-02;2;\n"
    )
    assert [(r.line, r.value, r.note) for r in preview.rows] == [
        (2, 1.5, "a; b\nc"),
        (3, 2.0, ""),
    ]


def test_columns_in_any_order_extra_columns_ignored_note_optional():
    preview = csv_read("Waarde,Remarks,DATUM,  Indicator  \n3,x,2026-01-01,Tevredenheid\n")
    assert preview.rows == (Row(2, 3, "Tevredenheid", date(2026, 1, 1), 3.0, "", ()),)


def test_fully_empty_lines_are_ignored_but_line_numbers_match_the_file():
    preview = csv_read(
        "\n"
        "indicator;date;value\n"
        "\n"
        ";;\n"
        "Tevredenheid;2026-01-01;1\n"
        " ; ; \n"
        "Tevredenheid;2026-01-02;x\n"
    )
    assert [(r.line, r.problems) for r in preview.rows] == [(5, ()), (7, ("bad_number",))]


def test_short_rows_are_missing_their_last_cells():
    row = one("Tevredenheid,2026-01-01")
    assert row.problems == ("missing_value",)


# --- indicators -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Aantal bezoekers", 1),
        ("aantal BEZOEKERS", 1),
        ("  Aantal    bezoekers ", 1),
        ("co2-UITSTOOT", 2),
        ("12", 3),
        ("2", 2),
    ],
)
def test_indicator_by_name_any_case_or_by_number(written, expected):
    row = one(f'"{written}",2026-01-01,1')
    assert row.indicator_id == expected
    assert row.problems == ()
    assert row.indicator == written.strip()


def test_indicator_mapping_keys_are_compared_loosely_too():
    preview = read(
        b"indicator,date,value\nwater quality,2026-01-01,1\n",
        "m.csv",
        {"  Water   Quality ": 9},
        set(),
        today=TODAY,
    )
    assert preview.rows[0].indicator_id == 9


def test_unknown_and_missing_indicator():
    assert one("Aantal bezoekerz,2026-01-01,1").problems == ("unknown_indicator",)
    assert one("13,2026-01-01,1").problems == ("unknown_indicator",)
    row = one(" ,2026-01-01,1")
    assert (row.indicator_id, row.problems) == (None, ("missing_indicator",))


# --- dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-31", date(2026, 3, 31)),
        ("2026-3-1", date(2026, 3, 1)),
        ("2026-03-31 00:00:00", date(2026, 3, 31)),
        ("2026-03-31T14:30", date(2026, 3, 31)),
        ("31-03-2026", date(2026, 3, 31)),
        ("31/03/2026", date(2026, 3, 31)),
        ("1/3/2026", date(2026, 3, 1)),
        ("01-3-2026", date(2026, 3, 1)),
        (" 29-02-2024 ", date(2024, 2, 29)),
    ],
)
def test_dates_accepted(text, expected):
    assert parse_date(text) == expected
    row = one(f"Tevredenheid,{text},1")
    assert (row.date, row.problems) == (expected, ())


@pytest.mark.parametrize(
    "text",
    [
        "31-02-2026",
        "29-02-2026",
        "2026-13-01",
        "00-01-2026",
        "1-3-26",
        "2026/03/31",
        "31.03.2026",
        "31-03/2026",
        "March 31, 2026",
        "2026-03-31x",
        "45000",
    ],
)
def test_bad_dates(text):
    row = one(f"Tevredenheid,{text},1")
    assert (row.date, row.problems) == (None, ("bad_date",))


def test_missing_date():
    assert one("Tevredenheid,,1").problems == ("missing_date",)
    assert one("Tevredenheid,  ,1").problems == ("missing_date",)


def test_future_date_today_is_fine():
    assert one("Tevredenheid,2026-06-01,1").problems == ()
    row = one("Tevredenheid,2026-06-02,1")
    assert row.problems == ("future_date",)
    assert row.date == date(2026, 6, 2)


def test_today_defaults_to_the_real_today():
    soon = date.today().replace(year=date.today().year + 1).isoformat()
    data = f"indicator,date,value\n12,{date.today().isoformat()},1\n12,{soon},2\n".encode()
    preview = read(data, "m.csv", INDICATORS, set())
    assert [r.problems for r in preview.rows] == [(), ("future_date",)]


def test_values_and_dates_past_sane_limits_are_problems():
    data = b"indicator;date;value\n12;2025-05-01;1e26\n12;1850-01-01;3\n12;2025-06-01;-1e15\n"
    preview = read(data, "m.csv", INDICATORS, set(), today=date(2026, 1, 1))
    assert [r.problems for r in preview.rows] == [("bad_number",), ("bad_date",), ()]


# --- values ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234.5", 1234.5),
        ("1234,5", 1234.5),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("1.234.567,89", 1234567.89),
        ("1,234,567.89", 1234567.89),
        ("1.234.567", 1234567.0),
        ("1,234,567", 1234567.0),
        ("1,5", 1.5),
        ("12 %", 12.0),
        ("12%", 12.0),
        (" 1 234,5 ", 1234.5),
        ("1\u00a0234,5", 1234.5),
        ("-3,5", -3.5),
        ("\u22123,5", -3.5),
        ("+7", 7.0),
        ("0", 0.0),
        (",5", 0.5),
        ("1,5E+06", 1_500_000.0),
    ],
)
def test_numbers_accepted(text, expected):
    assert parse_number(text) == pytest.approx(expected)
    row = one(f'Tevredenheid,2026-01-01,"{text}"')
    assert row.problems == ()
    assert row.value == pytest.approx(expected)


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "12a",
        "%",
        "1,2.3",
        "12,34,5",
        "1.234,5,6",
        "1.23.456",
        "1,2,3",
        "nan",
        "NaN",
        "inf",
        "-Infinity",
        "1e999",
        "1_000",
        "€ 12",
        "12 % %",
        "--1",
        "0x10",
    ],
)
def test_bad_numbers(text):
    assert parse_number(text) is None
    row = one(f'Tevredenheid,2026-01-01,"{text}"')
    assert (row.value, row.problems) == (None, ("bad_number",))


def test_missing_value():
    assert one("Tevredenheid,2026-01-01,").problems == ("missing_value",)
    assert one('Tevredenheid,2026-01-01," "').problems == ("missing_value",)


def test_number_cells_as_is_but_not_nan_inf_or_booleans():
    assert parse_number(3) == 3.0
    assert parse_number(0.125) == 0.125
    assert parse_number(float("nan")) is None
    assert parse_number(float("inf")) is None
    assert parse_number(True) is None
    assert parse_number(datetime(2026, 1, 1)) is None


# --- notes ----------------------------------------------------------------------------


def test_note_up_to_500_characters():
    assert one("Tevredenheid,2026-01-01,1," + "x" * 500).problems == ()
    row = one("Tevredenheid,2026-01-01,1," + "x" * 501)
    assert row.problems == ("note_too_long",)
    assert len(row.note) == 501


# --- duplicates -----------------------------------------------------------------------


def test_duplicate_of_an_existing_measurement():
    existing = {(3, date(2026, 1, 1)), (1, date(2026, 1, 2))}
    preview = csv_read(
        HEADER + "Tevredenheid,2026-01-01,1\n12,2026-01-02,1\nAantal bezoekers,2026-01-02,1\n",
        existing=existing,
    )
    assert [r.problems for r in preview.rows] == [("duplicate_date",), (), ("duplicate_date",)]


def test_same_indicator_and_date_twice_in_the_file_flags_both_rows():
    preview = csv_read(
        HEADER
        + "Tevredenheid,2026-01-01,1\n"  # 2
        + "Tevredenheid,2026-01-02,1\n"  # 3
        + "12,01-01-2026,2\n"  # 4: same as line 2, written differently
        + "CO2-uitstoot,2026-01-01,3\n"  # 5: other indicator, same date
        + "tevredenheid,1/1/2026,4\n"  # 6: a third time
    )
    assert [(r.line, r.problems) for r in preview.rows] == [
        (2, ("duplicate_in_file",)),
        (3, ()),
        (4, ("duplicate_in_file",)),
        (5, ()),
        (6, ("duplicate_in_file",)),
    ]


def test_rows_without_indicator_or_date_are_not_duplicates():
    preview = csv_read(HEADER + "Onbekend,2026-01-01,1\nOnbekend,2026-01-01,1\n12,x,1\n12,x,1\n")
    assert [r.problems for r in preview.rows] == [
        ("unknown_indicator",),
        ("unknown_indicator",),
        ("bad_date",),
        ("bad_date",),
    ]


def test_existing_and_in_file_duplicates_together():
    preview = csv_read(
        HEADER + "12,2026-01-01,1\n12,2026-01-01,2\n", existing={(3, date(2026, 1, 1))}
    )
    assert [r.problems for r in preview.rows] == [("duplicate_date", "duplicate_in_file")] * 2


# --- several problems, order ----------------------------------------------------------


def test_several_problems_in_a_stable_order():
    preview = csv_read(
        HEADER
        + ",,,\n"  # fully empty: ignored
        + ",x,\n"
        + "Onbekend,,abc,"
        + "n" * 501
        + "\n"
        + "12,2027-01-01,abc\n"
        + "12,2027-01-01,1\n",
        existing={(3, date(2027, 1, 1))},
    )
    assert [(r.line, r.problems) for r in preview.rows] == [
        (3, ("missing_indicator", "bad_date", "missing_value")),
        (4, ("unknown_indicator", "missing_date", "bad_number", "note_too_long")),
        (5, ("future_date", "bad_number", "duplicate_date", "duplicate_in_file")),
        (6, ("future_date", "duplicate_date", "duplicate_in_file")),
    ]
    for row in preview.rows:
        assert list(row.problems) == sorted(row.problems, key=ROW_PROBLEMS.index)


def test_every_row_problem_code_is_documented():
    import workshop.monitor.imports as module

    for code in ROW_PROBLEMS + FILE_PROBLEMS:
        assert f"  {code}  " in module.__doc__


# --- good and bad ---------------------------------------------------------------------


def test_good_and_bad_split_keeps_file_order():
    preview = csv_read(
        HEADER
        + "12,2026-01-01,1\n"
        + "12,2026-01-02,x\n"
        + "12,2026-01-03,3\n"
        + "Onbekend,2026-01-04,4\n"
    )
    assert [r.line for r in preview.good] == [2, 4]
    assert [r.line for r in preview.bad] == [3, 5]
    assert {r.line for r in preview.good} | {r.line for r in preview.bad} == {2, 3, 4, 5}
    assert all(not r.problems for r in preview.good)
    assert all(r.problems for r in preview.bad)


def test_preview_and_rows_are_frozen():
    preview = csv_read(HEADER + "12,2026-01-01,1\n")
    with pytest.raises(dataclasses.FrozenInstanceError):
        preview.rows[0].value = 2.0  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        preview.file_problem = "empty"  # type: ignore[misc]


def test_preview_good_and_bad_on_its_own():
    good = Row(2, 1, "x", date(2026, 1, 1), 1.0, "", ())
    bad = Row(3, None, "y", None, None, "", ("unknown_indicator", "missing_date"))
    preview = Preview((good, bad), None)
    assert (preview.good, preview.bad) == ((good,), (bad,))


# --- whole-file problems --------------------------------------------------------------


@pytest.mark.parametrize("name", ["m.xls", "m.txt", "m.ods", "m", "", "csv", "m.csv.pdf"])
def test_unsupported_type(name):
    preview = read(HEADER.encode(), name, INDICATORS, set(), today=TODAY)
    assert (preview.rows, preview.file_problem) == ((), "unsupported_type")


def test_extension_is_case_insensitive():
    assert csv_read(HEADER + "12,2026-01-01,1\n", name="M.CSV").file_problem is None
    data = xlsx(["indicator", "date", "value"], [12, date(2026, 1, 1), 1])
    assert xlsx_read(data, name="Meting.XLSX").file_problem is None


@pytest.mark.parametrize(
    "text",
    ["", "\n\n", "  \r\n", HEADER, HEADER + "\n,,,\n , ,\n", "Indicator;Datum;Waarde\n\n"],
)
def test_empty(text):
    preview = csv_read(text)
    assert (preview.rows, preview.file_problem) == ((), "empty")


@pytest.mark.parametrize(
    "text",
    [
        "indicator,date,note\n12,2026-01-01,x\n",
        "indicator,value\n12,1\n",
        "datum;waarde\n2026-01-01;1\n",
        "naam;dag;getal\nx;2026-01-01;1\n",
        "12,2026-01-01,1\n",
        "indicator date value\n12 2026-01-01 1\n",
    ],
)
def test_missing_columns(text):
    preview = csv_read(text)
    assert (preview.rows, preview.file_problem) == ((), "missing_columns")


def test_too_many_rows_counts_data_rows_only():
    body = "".join(f"12,2026-01-{day:02},{day}\n\n" for day in range(1, 4))
    assert len(csv_read(HEADER + body, max_rows=3).rows) == 3
    preview = csv_read(HEADER + body + "12,2026-01-04,4\n", max_rows=3)
    assert (preview.rows, preview.file_problem) == ((), "too_many_rows")


def test_too_many_rows_default_is_5000():
    body = "".join("12,2026-01-01,1\n" for _ in range(5001))
    assert csv_read(HEADER + body).file_problem == "too_many_rows"
    assert len(csv_read(HEADER + body[16:]).rows) == 5000


@pytest.mark.parametrize(
    "data",
    [
        b"\x81\x8d\x8f\x90\x9d",  # neither UTF-8 nor Windows-1252
        b"indicator,date,value\n12,2026-01-01,\x00\x01\x02\n",  # binary
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    ],
)
def test_unreadable_csv(data):
    preview = read(data, "m.csv", INDICATORS, set(), today=TODAY)
    assert (preview.rows, preview.file_problem) == ((), "unreadable")


def test_a_workbook_renamed_to_csv_is_unreadable():
    data = xlsx(["indicator", "date", "value"], [12, date(2026, 1, 1), 1])
    assert read(data, "m.csv", INDICATORS, set(), today=TODAY).file_problem == "unreadable"


def _zip(**files):
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        HEADER.encode() + b"12,2026-01-01,1\n",  # a CSV renamed to .xlsx
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,  # old .xls / encrypted
        _zip(**{"hello.txt": "not a workbook"}),
        _zip(**{"[Content_Types].xml": "<broken"}),
    ],
)
def test_unreadable_xlsx(data):
    preview = xlsx_read(data)
    assert (preview.rows, preview.file_problem) == ((), "unreadable")


# --- workbooks ------------------------------------------------------------------------


def test_xlsx_numbers_date_cells_and_text():
    data = xlsx(
        ["Indicator", "Datum", "Waarde", "Opmerking"],
        ["Aantal bezoekers", date(2026, 3, 31), 1234, "int"],
        [12, datetime(2026, 4, 1, 13, 45), 7.25, None],
        [12.0, "1-4-2026", "1.234,5", 42],
        ["co2-uitstoot", "2026-04-02", 0.125, "  spaced  "],
    )
    preview = xlsx_read(data)
    assert preview.file_problem is None
    assert preview.rows == (
        Row(2, 1, "Aantal bezoekers", date(2026, 3, 31), 1234.0, "int", ()),
        Row(3, 3, "12", date(2026, 4, 1), 7.25, "", ("duplicate_in_file",)),
        Row(4, 3, "12", date(2026, 4, 1), 1234.5, "42", ("duplicate_in_file",)),
        Row(5, 2, "co2-uitstoot", date(2026, 4, 2), 0.125, "spaced", ()),
    )
    assert all(isinstance(r.value, float) for r in preview.rows)
    assert all(type(r.date) is date for r in preview.rows)


def test_xlsx_wrong_cell_types():
    data = xlsx(
        ["indicator", "date", "value"],
        [12, 45000, 1],  # a plain number is not a date
        [12, date(2026, 1, 1), datetime(2026, 1, 1)],  # a date is not a number
        [12, date(2026, 1, 2), True],
        [12, date(2026, 7, 1), 1],
        [None, None, None, "a remark beside the table"],  # ignored: no column is read
        [None, None, 5, "x"],
    )
    preview = xlsx_read(data)
    assert [(r.line, r.problems) for r in preview.rows] == [
        (2, ("bad_date",)),
        (3, ("bad_number",)),
        (4, ("bad_number",)),
        (5, ("future_date",)),
        (7, ("missing_indicator", "missing_date")),
    ]


def test_xlsx_text_nan_is_rejected():
    row = xlsx_read(xlsx(["indicator", "date", "value"], [12, date(2026, 1, 1), "NaN"])).rows[0]
    assert row.problems == ("bad_number",)


def test_csv_line_with_text_only_in_unread_columns_is_ignored():
    preview = csv_read("indicator;date;value;;\n;;;;total below\n12;2026-01-01;1;;\n")
    assert [(r.line, r.problems) for r in preview.rows] == [(3, ())]


def test_xlsx_line_numbers_skip_nothing_and_header_may_start_lower():
    workbook = Workbook()
    sheet = workbook.active
    sheet["B3"] = "Indicator"
    sheet["C3"] = "Datum"
    sheet["D3"] = "Waarde"
    sheet["B5"] = "Tevredenheid"
    sheet["C5"] = date(2026, 1, 1)
    sheet["D5"] = 8
    sheet["B9"] = "Tevredenheid"
    sheet["C9"] = date(2026, 1, 2)
    sheet["D9"] = "acht"
    out = BytesIO()
    workbook.save(out)
    preview = xlsx_read(out.getvalue())
    assert [(r.line, r.value, r.problems) for r in preview.rows] == [
        (5, 8.0, ()),
        (9, None, ("bad_number",)),
    ]


def test_xlsx_only_the_first_sheet_is_read():
    data = xlsx(
        ["indicator", "date", "value"],
        [12, date(2026, 1, 1), 1],
        sheets=[("Tweede", [["indicator", "date", "value"], [12, date(2026, 1, 2), 2]])],
    )
    assert [r.date for r in xlsx_read(data).rows] == [date(2026, 1, 1)]


def test_xlsx_duplicates_and_existing():
    data = xlsx(
        ["indicator", "date", "value"],
        ["Tevredenheid", date(2026, 1, 1), 1],
        ["12", "01/01/2026", 2],
        ["Aantal bezoekers", date(2026, 2, 1), 3],
    )
    preview = xlsx_read(data, existing={(1, date(2026, 2, 1))})
    assert [r.problems for r in preview.rows] == [
        ("duplicate_in_file",),
        ("duplicate_in_file",),
        ("duplicate_date",),
    ]


def test_xlsx_empty_missing_columns_and_too_many_rows():
    assert xlsx_read(xlsx()).file_problem == "empty"
    assert xlsx_read(xlsx(["indicator", "date", "value"])).file_problem == "empty"
    assert xlsx_read(xlsx(["indicator", "date"], [12, date(2026, 1, 1)])).file_problem == (
        "missing_columns"
    )
    rows = [[12, date(2026, 1, day), day] for day in range(1, 5)]
    assert xlsx_read(xlsx(["indicator", "date", "value"], *rows), max_rows=4).bad == ()
    preview = xlsx_read(xlsx(["indicator", "date", "value"], *rows), max_rows=3)
    assert (preview.rows, preview.file_problem) == ((), "too_many_rows")


@pytest.mark.parametrize(("text", "ambiguous"), [
    ("1.234", True), ("1,234", True), ("-12.500", True), ("999,000", True),
    ("1.234%", True), ("1,234 %", True), ("\u22121.234", True), ("1 234", False),
    ("0.125", False), ("1234", False), ("1.234,5", False), ("1,234.5", False),
    ("1.5", False), ("12,50", False), ("1.234.567", False),
])
def test_a_thousands_or_decimal_guess_is_asked_not_made(text, ambiguous):
    data = f"indicator\tdate\tvalue\n12\t2025-05-01\t{text}\n".encode()
    preview = read(data, "m.csv", INDICATORS, set(), today=date(2026, 1, 1))
    assert ("ambiguous_number" in preview.rows[0].problems) is ambiguous


def test_numbers_in_workbook_cells_are_never_ambiguous():
    import io

    import openpyxl
    book = openpyxl.Workbook()
    book.active.append(["indicator", "date", "value"])
    book.active.append([12, date(2025, 5, 1), 1.234])
    out = io.BytesIO()
    book.save(out)
    preview = read(out.getvalue(), "m.xlsx", INDICATORS, set(), today=date(2026, 1, 1))
    assert preview.rows[0].problems == () and preview.rows[0].value == 1.234
