"""Hostile workbooks and CSV files, built by hand with zipfile: what issue 13 was attacked with.

Each builder returns the file's bytes. They are small to send and to build (a few MB at
most) but large, slow or deep to parse; tests/monitor/test_hostile_files.py and
tests/hardening/test_hostile_upload.py use them.
"""

import io
import zipfile

OOXML = "http://schemas.openxmlformats.org"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
RELATION = OOXML + "/officeDocument/2006/relationships"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{SHEET_TYPE}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SHEET_TYPE}.worksheet+xml"/>'
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHEET_TYPE}.sharedStrings+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{RELATION}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{RELATION}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{RELATION}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
SHEET_START = ('<?xml version="1.0" encoding="UTF-8"?>'
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               "<sheetData>")
SHEET_END = "</sheetData></worksheet>"
HEADER_ROW = ('<row r="1"><c r="A1" t="inlineStr"><is><t>indicator</t></is></c>'
              '<c r="B1" t="inlineStr"><is><t>date</t></is></c>'
              '<c r="C1" t="inlineStr"><is><t>value</t></is></c></row>')
NO_STRINGS = ('<?xml version="1.0" encoding="UTF-8"?>'
              '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
              'count="0" uniqueCount="0"/>')


def workbook(sheet_chunks, strings=NO_STRINGS, extra=()):
    """A minimal .xlsx; `sheet_chunks` (str pieces of sheetData) are streamed into the
    archive, so millions of rows never sit in memory as one string."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(SHEET_START.encode())
            for chunk in sheet_chunks:
                sheet.write(chunk.encode())
            sheet.write(SHEET_END.encode())
        if isinstance(strings, str):
            archive.writestr("xl/sharedStrings.xml", strings)
        else:
            with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
                for chunk in strings:
                    part.write(chunk.encode())
        for name, content in extra:
            archive.writestr(name, content)
    return out.getvalue()


def empty_rows(count, batch=100_000, numbered=False):
    """A header and `count` empty rows: 14 million `<row/>` make 1.96 MB; numbered ones
    (<row r="…"/>) compress less well (3 million: 7 MB)."""
    def chunks():
        yield HEADER_ROW
        for start in range(2, count + 2, batch):
            end = min(start + batch, count + 2)
            yield ("".join(f'<row r="{n}"/>' for n in range(start, end)) if numbered
                   else "<row/>" * (end - start))
    return workbook(chunks())


def far_row(row=10_000_000):
    """A header and one measurement on row 10 million: openpyxl fills the gap."""
    return workbook([HEADER_ROW, f'<row r="{row}"><c r="A{row}"><v>1</v></c></row>'])


def huge_shared_string(characters, batch=1_000_000):
    """A header and one cell holding a shared string of `characters` letters."""
    def strings():
        yield ('<?xml version="1.0" encoding="UTF-8"?>'
               '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
               'count="1" uniqueCount="1"><si><t>')
        for start in range(0, characters, batch):
            yield "A" * min(batch, characters - start)
        yield "</t></si></sst>"
    return workbook([HEADER_ROW, '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'],
                    strings=strings())


def zip_bomb(megabytes=200):
    """A header, then `megabytes` MB of blanks inside the sheet (valid XML that openpyxl
    parses in full), a thousand times compressed."""
    return workbook([HEADER_ROW] + [" " * (1024 * 1024)] * megabytes)


def many_members(count=500):
    """A workbook with `count` extra tiny parts."""
    return workbook([HEADER_ROW], extra=[(f"xl/junk/{n}.xml", "<a/>") for n in range(count)])


def empty_csv_lines(count):
    return ("indicator,date,value\n" + "\n" * count + "1,2026-01-01,1\n").encode()
