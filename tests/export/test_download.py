"""The download buttons and `flask koers export` / `flask koers import`."""

import json
import os

import pytest
from sqlalchemy import func, select

from workshop.export import report, services
from workshop.extensions import db
from workshop.plans.models import Plan


@pytest.mark.parametrize("fmt", report.FORMATS)
def test_each_format_downloads_as_an_attachment(logged_in, demo, fmt):
    response = logged_in.get(f"/plans/{demo['plan'].id}/export?format={fmt}&lang=en")
    assert response.status_code == 200
    assert response.mimetype == report.MEDIA_TYPES[fmt].split(";")[0]
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="strategisch-plan-2027-2032')
    assert len(response.data) > 500


def test_plan_and_versions_pages_offer_the_downloads(logged_in, demo):
    plan = demo["plan"]
    page = logged_in.get(f"/plans/{plan.id}").get_data(as_text=True)
    assert f'action="/plans/{plan.id}/export"' in page
    assert 'value="docx"' in page and 'value="json"' in page
    versions = logged_in.get(f"/plans/{plan.id}/versions").get_data(as_text=True)
    assert 'name="version" value="1"' in versions


def test_a_version_downloads_as_saved(logged_in, demo):
    response = logged_in.get(f"/plans/{demo['plan'].id}/export?format=md&version=1&lang=en")
    assert "Version 1" in response.get_data(as_text=True)
    assert 'filename="strategisch-plan-2027-2032-v1.md"' in response.headers[
        "Content-Disposition"]


@pytest.mark.parametrize("query, status, text", [
    ("format=rtf", 400, "Unknown format"),
    ("format=", 400, "Unknown format"),
    ("format=docx&lang=fr", 400, "Unknown language"),
    ("format=docx&version=99", 404, "version does not exist"),
])
def test_bad_requests_get_a_clear_error(logged_in, demo, query, status, text):
    response = logged_in.get(f"/plans/{demo['plan'].id}/export?{query}")
    assert response.status_code == status
    assert text in response.get_data(as_text=True)


def test_unknown_plan_is_404_and_anonymous_visitors_log_in_first(client, logged_in, demo):
    assert logged_in.get("/plans/999/export?format=docx").status_code == 404
    logged_in.post("/logout")
    response = client.get(f"/plans/{demo['plan'].id}/export?format=json")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_cli_exports_every_format_to_a_file(runner, demo, tmp_path):
    for fmt in report.FORMATS:
        target = tmp_path / f"plan.{fmt}"
        result = runner.invoke(args=["koers", "export", str(demo["plan"].id), "--format", fmt,
                                     "-o", str(target), "--lang", "en"])
        assert result.exit_code == 0, result.output
        assert target.stat().st_size > 500
    assert json.loads((tmp_path / "plan.json").read_text())["schema"] == "koers-plan"


def test_cli_refuses_unknown_plan_version_and_format_without_writing(runner, demo, tmp_path):
    target = tmp_path / "out.docx"
    for args, text in ((["999", "--format", "docx"], "There is no plan 999"),
                       ([str(demo["plan"].id), "--format", "docx", "--version", "42"],
                        "version does not exist"),
                       ([str(demo["plan"].id), "--format", "rtf"], "Invalid value")):
        result = runner.invoke(args=["koers", "export", *args, "-o", str(target)])
        assert result.exit_code != 0
        assert text in result.output
    assert not target.exists()


def test_an_export_never_half_writes_a_file(app, demo, tmp_path, monkeypatch):
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "plan.docx"
    target.write_bytes(b"the previous export")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        services.write_file(target, b"x" * 100_000)
    assert target.read_bytes() == b"the previous export"
    assert os.listdir(folder) == ["plan.docx"]  # no temporary file left behind


def test_cli_import_restores_and_refuses_a_bad_file(runner, demo, tmp_path):
    exported = tmp_path / "plan.json"
    runner.invoke(args=["koers", "export", str(demo["plan"].id), "--format", "json",
                        "-o", str(exported)])
    result = runner.invoke(args=["koers", "import", str(exported)])
    assert result.exit_code == 0, result.output
    assert "Restored" in result.output
    assert db.session.scalar(select(func.count(Plan.id))) == 2
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    result = runner.invoke(args=["koers", "import", str(broken)])
    assert result.exit_code != 0 and "not a JSON file" in result.output
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"schema": "koers-plan", "version": 7}))
    result = runner.invoke(args=["koers", "import", str(other)])
    assert result.exit_code != 0 and "schema version 7" in result.output
    assert db.session.scalar(select(func.count(Plan.id))) == 2


def _document_text(response, fmt):
    import io

    import docx
    import pypdf

    if fmt == "docx":
        return "\n".join(p.text for p in docx.Document(io.BytesIO(response.data)).paragraphs)
    return " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.data)).pages)


def _form_language(page):
    """The document language the download form submits unless the user changes it."""
    import re

    select = re.search(r'<select id="downloads-lang" name="lang">(.*?)</select>', page, re.S)
    return re.search(r'<option value="(\w+)" selected>', select.group(1)).group(1)


@pytest.mark.parametrize("ui, present, absent", [
    ("nl", ("Missie", "Bijlage"), ("Mission statement", "Appendix")),
    ("en", ("Mission statement", "Appendix"), ("Missie", "Bijlage")),
])
@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_document_language_defaults_to_the_interface_language(logged_in, demo, ui, present,
                                                             absent, fmt):
    logged_in.get(f"/language/{ui}")
    plan_id = demo["plan"].id
    page = logged_in.get(f"/plans/{plan_id}").get_data(as_text=True)
    assert _form_language(page) == ui
    # As the form submits it, and as a bare link without a language.
    for query in (f"format={fmt}&lang={_form_language(page)}", f"format={fmt}"):
        text = _document_text(logged_in.get(f"/plans/{plan_id}/export?{query}"), fmt)
        assert all(word in text for word in present), query
        assert not any(word in text for word in absent), query


def test_versions_page_form_defaults_to_the_interface_language(logged_in, demo):
    logged_in.get("/language/nl")
    page = logged_in.get(f"/plans/{demo['plan'].id}/versions").get_data(as_text=True)
    assert '<option value="nl" selected>' in page and '<option value="en" selected>' not in page


@pytest.mark.parametrize("default, word", [("nl", "Missie"), ("en", "Mission statement")])
def test_cli_without_lang_uses_the_default_language(app, runner, demo, default, word):
    app.config["BABEL_DEFAULT_LOCALE"] = default
    result = runner.invoke(args=["koers", "export", str(demo["plan"].id), "--format", "md",
                                 "-o", "-"])
    assert result.exit_code == 0, result.output
    assert word in result.output
