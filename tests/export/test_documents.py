"""Each export format read back with a real reader and checked against the database."""

import csv
import io
import re
import zipfile

import docx
import openpyxl
import pypdf
import pytest

from workshop.export import services
from workshop.export.pdf import StaticOnlyFetcher


def _export(app, plan, fmt, lang="en", number=None):
    with app.test_request_context():
        data, name, media_type = services.export(plan, fmt, number=number, lang=lang)
    return data


def _number(text):
    return float(text.replace(",", "")) if text not in ("", "–") else None


def test_docx_has_word_headings_every_goal_and_the_appendix_figures(app, demo):
    document = docx.Document(io.BytesIO(_export(app, demo["plan"], "docx")))
    paragraphs = document.paragraphs
    headings = [(p.style.name, p.text) for p in paragraphs if p.style.name.startswith("Heading")]
    # Title page: organisation, title, status line.
    assert paragraphs[1].style.name == "Title"
    assert paragraphs[1].text == demo["plan"].title
    assert document.core_properties.title == demo["plan"].title
    # A table of contents field over the heading styles, refreshed when Word opens it.
    body = document.element.body.xml
    assert 'TOC \\o "1-3"' in body
    assert "w:updateFields" in document.settings.element.xml
    # One Heading 1 per work domain, in the plan's order.
    level_one = [text for style, text in headings if style == "Heading 1"]
    assert [t for t in level_one if t in demo["domains"]] == demo["domains"]
    # Every item of the plan is a heading of its level, under its domain.
    expected_style = {"ambition": "Heading 2", "strategic_goal": "Heading 3",
                      "operational_goal": "Heading 4"}
    for item in demo["items"]:
        assert any(style == expected_style[item.level] and text.endswith(item.text)
                   for style, text in headings), item.text
    operational = next(i for i in demo["items"] if i.level == "operational_goal" and i.owner)
    assert any(operational.owner in p.text and operational.deadline in p.text
               for p in paragraphs)
    # Appendix: participants per workshop and the dots per item equal the database's.
    assert "Appendix: how this plan was made" in level_one
    text = "\n".join(p.text for p in paragraphs)
    for title, count in demo["participants"].items():
        assert title in text
        assert f"Participants: {count}" in text
    cells = {}
    for table in document.tables:
        rows = [[c.text for c in row.cells] for row in table.rows]
        if rows[0][:3] == ["Item", "Dots", "Votes"]:
            for row in rows[1:]:
                cells[row[0]] = _number(row[1])
    assert cells == {text: float(total) for text, total in demo["dots"].items()}
    comment_tables = [t for t in document.tables if t.rows[0].cells[0].text == "Goal"]
    assert sum(len(t.rows) - 1 for t in comment_tables) == len(demo["comments"])
    comment_text = "\n".join(c.text for t in comment_tables for r in t.rows for c in r.cells)
    for comment in demo["comments"]:
        assert comment.text in comment_text
        assert comment.reply in comment_text


def test_pdf_text_holds_every_domain_goal_and_comment(app, demo):
    data = _export(app, demo["plan"], "pdf")
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 5
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    # Words are hyphenated at line ends in narrow table columns ("bedrijven- terreinen").
    text = re.sub(r"(\w)[-\u2010] (\w)", r"\1\2", text)
    assert demo["plan"].title in text
    for name in demo["domains"]:
        assert name in text
    for item in demo["items"]:
        assert " ".join(item.text.split()) in text, item.text
    for comment in demo["comments"]:
        assert " ".join(comment.reply.split())[:40] in text
    assert "Appendix: how this plan was made" in text
    fonts = {str(font.get_object()["/BaseFont"]) for page in reader.pages
             for font in page["/Resources"].get_object()["/Font"].get_object().values()}
    # The fonts are embedded from static/vendor (named after their @font-face family).
    assert {f.split("+")[1] for f in fonts} == {"Koers-Sans", "Koers-Sans-Bold",
                                                 "Koers-Sans-Italic"}


def test_pdf_rendering_fetches_nothing_outside_static(app):
    fetcher = StaticOnlyFetcher(app.static_folder)
    for url in ("http://example.org/logo.png", "https://example.org/x.css",
                "file:///etc/passwd", "data:text/plain,hi"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    css = fetcher.fetch(f"file://{app.static_folder}/css/plan-print.css")
    assert css.headers["Content-Type"] == "text/css"


def test_markdown_has_the_same_structure(app, demo):
    text = _export(app, demo["plan"], "md").decode()
    lines = text.splitlines()
    assert lines[0] == f"# {demo['plan'].title}"
    assert [line[3:] for line in lines if line.startswith("## ")
            and line[3:] in demo["domains"]] == demo["domains"]
    prefix = {"ambition": "### Ambition: ", "strategic_goal": "#### Strategic goal: ",
              "operational_goal": "##### Operational goal: "}
    for item in demo["items"]:
        assert prefix[item.level] + item.text in lines
    rows = [line for line in lines if line.startswith("| ")]
    for text_, total in demo["dots"].items():
        assert any(row.startswith(f"| {text_} | {total} |") for row in rows), text_


def test_markdown_keeps_hostile_text_as_text(app, make_plan):
    plan = make_plan(title="# Not a heading <script>", domains=["1. Not a list | pipe"])
    text = _export(app, plan, "md").decode()
    assert "\\<script>" in text  # a Markdown viewer shows it, never runs it
    assert re.search(r"(?<!\\)<script", text) is None
    assert "## 1\\. Not a list | pipe" in text


def test_spreadsheet_has_a_sheet_per_level_and_the_vote_and_comment_tables(app, demo):
    book = openpyxl.load_workbook(io.BytesIO(_export(app, demo["plan"], "xlsx")))
    assert book.sheetnames == ["ambitions", "strategic_goals", "operational_goals",
                               "indicators", "vote_results", "review_comments"]
    for sheet, level in (("ambitions", "ambition"), ("strategic_goals", "strategic_goal"),
                         ("operational_goals", "operational_goal")):
        rows = list(book[sheet].iter_rows(values_only=True))
        assert rows[0][:3] == ("Work domain", "Under", "Text")
        assert sorted(r[2] for r in rows[1:]) == sorted(
            i.text for i in demo["items"] if i.level == level)
    votes = list(book["vote_results"].iter_rows(values_only=True))
    totals = {r[4]: r[5] for r in votes[1:] if r[7] == "Total" and r[2] == "Dot voting"}
    assert totals == {text: total for text, total in demo["dots"].items()}
    comments = list(book["review_comments"].iter_rows(values_only=True))
    assert len(comments) - 1 == len(demo["comments"])


def test_csv_zip_holds_one_file_per_table_with_the_same_rows(app, demo):
    archive = zipfile.ZipFile(io.BytesIO(_export(app, demo["plan"], "csv")))
    assert sorted(archive.namelist()) == sorted(
        ["ambitions.csv", "strategic_goals.csv", "operational_goals.csv", "indicators.csv",
         "vote_results.csv", "review_comments.csv"])
    raw = archive.read("ambitions.csv").decode("utf-8")
    assert raw.startswith("\ufeff")  # Excel reads the accents right
    rows = list(csv.reader(io.StringIO(raw.lstrip("\ufeff"))))
    assert sorted(r[2] for r in rows[1:]) == sorted(
        i.text for i in demo["items"] if i.level == "ambition")
    comments = list(csv.reader(io.StringIO(archive.read("review_comments.csv").decode())))
    assert len(comments) - 1 == len(demo["comments"])


def test_spreadsheet_text_is_never_a_formula(app, make_plan):
    plan = make_plan(domains=["=HYPERLINK(\"http://evil\")"])
    from workshop.tree import services as tree
    tree.add_item(plan, "ambition", plan.domains[0].id, "-10 % CO2 tegen 2030")
    book = openpyxl.load_workbook(io.BytesIO(_export(app, plan, "xlsx")))
    first, _parent, text = list(book["ambitions"].iter_rows())[1][:3]
    # Excel shows the text as written and never runs it: a text cell, no apostrophe.
    assert first.value == "=HYPERLINK(\"http://evil\")" and first.data_type == "s"
    assert text.value == "-10 % CO2 tegen 2030"
    rows = list(csv.reader(io.StringIO(zipfile.ZipFile(io.BytesIO(_export(app, plan, "csv")))
                                       .read("ambitions.csv").decode("utf-8-sig"))))
    assert rows[1][0] == "'=HYPERLINK(\"http://evil\")"  # CSV: the usual apostrophe guard
    assert rows[1][2] == "'-10 % CO2 tegen 2030"


def test_control_characters_in_old_text_do_not_break_word_or_excel(app, demo):
    from workshop.extensions import db
    comment = demo["comments"][0]
    comment.text = "Zie\x02 bijlage\x1b"  # stored before input was cleaned
    db.session.commit()
    document = docx.Document(io.BytesIO(_export(app, demo["plan"], "docx")))
    assert any("Zie bijlage" in c.text for t in document.tables for r in t.rows
               for c in r.cells)
    book = openpyxl.load_workbook(io.BytesIO(_export(app, demo["plan"], "xlsx")))
    assert any(r[8] == "Zie bijlage" for r in book["review_comments"].iter_rows(values_only=True))


@pytest.mark.parametrize("fmt", ["docx", "md", "pdf"])
def test_fixed_texts_follow_the_chosen_language(app, demo, fmt):
    def text_of(lang):
        data = _export(app, demo["plan"], fmt, lang=lang)
        if fmt == "docx":
            return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
        if fmt == "pdf":
            return " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
        return data.decode()
    dutch, english = text_of("nl"), text_of("en")
    assert "Bijlage" in dutch and "Appendix" not in dutch
    assert "Missie" in dutch and "Mission statement" not in dutch
    assert "Mission statement" in english and "Appendix" in english


def test_a_version_exports_as_it_was_saved(app, demo):
    from workshop.tree import services as tree
    from workshop.tree import versions
    plan = demo["plan"]
    numbers = [v.number for v in versions.list_versions(plan)]
    item = demo["items"][0]
    tree.edit_item(plan, item, {"text": "Changed after the version"})
    now = _export(app, plan, "md").decode()
    saved = _export(app, plan, "md", number=numbers[-1]).decode()
    assert "Changed after the version" in now
    assert "Changed after the version" not in saved
    assert f"Version {numbers[-1]}" in saved


def test_indicators_appear_with_latest_value_and_status(app, demo):
    from workshop.monitor import services as monitor
    goal = next(i for i in demo["items"] if i.level == "operational_goal")
    indicator = monitor.add_indicator(demo["plan"], goal.id, {
        "name": "Bedrijven begeleid", "unit": "bedrijven", "baseline_value": 0,
        "baseline_date": "2025-01-01", "target_value": 100, "target_date": "2027-01-01"})
    monitor.add_measurement(indicator, {"date": "2025-12-31", "value": 20})
    document = docx.Document(io.BytesIO(_export(app, demo["plan"], "docx")))
    line = next(p.text for p in document.paragraphs if "Bedrijven begeleid" in p.text)
    # A year into two, 20 % of the way where 50 % was expected: 30 points behind.
    assert line.startswith("Indicator: Bedrijven begeleid: 20\u00a0bedrijven")
    assert "Target 100\u00a0bedrijven, January 1, 2027" in line and "Off track" in line
    assert "· 20% ·" in line
    book = openpyxl.load_workbook(io.BytesIO(_export(app, demo["plan"], "xlsx")))
    rows = [r for r in book["indicators"].iter_rows(values_only=True)
            if r[2] and r[2].startswith("Bedrijven begeleid")]
    assert rows[0][1] == goal.text and rows[0][8] == 20 and rows[0][11] == "Off track"
    assert "Bedrijven begeleid" in _export(app, demo["plan"], "md").decode()
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(
        io.BytesIO(_export(app, demo["plan"], "pdf"))).pages)
    assert "Bedrijven begeleid" in " ".join(text.split())


def test_pdf_is_drawn_off_the_event_loop_under_gevent(app, demo, monkeypatch):
    import threading

    from gevent import monkey

    from workshop.export import pdf
    callers = []
    real = pdf.HTML

    def spy(*args, **kwargs):
        callers.append(threading.get_ident())
        return real(*args, **kwargs)

    monkeypatch.setattr(pdf, "HTML", spy)
    monkeypatch.setattr(monkey, "is_module_patched", lambda name: name == "threading")
    data = _export(app, demo["plan"], "pdf")
    assert data.startswith(b"%PDF-")
    assert callers and callers[0] != threading.get_ident()  # a worker thread drew it


def test_dutch_documents_write_decimal_commas_and_unbroken_percentages(app, demo):
    from workshop.monitor import services as monitor
    goal = next(i for i in demo["items"] if i.level == "operational_goal")
    indicator = monitor.add_indicator(demo["plan"], goal.id, {
        "name": "Bezetting kaai", "unit": "%", "baseline_value": "10",
        "baseline_date": "2025-01-01", "target_value": "50", "target_date": "2027-01-01"})
    monitor.add_measurement(indicator, {"date": "2025-12-31", "value": "12,5"})
    markdown = _export(app, demo["plan"], "md", lang="nl").decode()
    line = next(x for x in markdown.splitlines() if "Bezetting kaai" in x)
    assert "12,5\u00a0%" in line and "streefwaarde 50\u00a0%" in line.lower()
    assert "6,2\u00a0%" in line  # 2.5 of 40 points: the share of the way, in Dutch
    english = _export(app, demo["plan"], "md", lang="en").decode()
    assert "6.2%" in next(x for x in english.splitlines() if "Bezetting kaai" in x)


def test_a_measured_indicator_without_a_target_says_so_not_no_data(app, demo):
    from workshop.monitor import services as monitor
    goal = next(i for i in demo["items"] if i.level == "operational_goal")
    indicator = monitor.add_indicator(demo["plan"], goal.id, {
        "name": "Zonder streefwaarde", "unit": "ha", "direction": "up"})
    monitor.add_measurement(indicator, {"date": "2025-12-31", "value": "7"})
    for lang, said, never in (("en", "No target set", "No data yet"),
                              ("nl", "Geen streefwaarde ingesteld", "Nog geen gegevens")):
        markdown = _export(app, demo["plan"], "md", lang=lang).decode()
        line = next(x for x in markdown.splitlines() if "Zonder streefwaarde" in x)
        assert said in line and never not in line
