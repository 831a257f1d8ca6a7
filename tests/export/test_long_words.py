"""The PDF wraps a 60-letter Dutch compound instead of running it off the page."""

import io

import pypdf
import pytest
from flask_babel import force_locale
from weasyprint.formatting_structure import boxes

from tests.browser.long_words import WORD, build
from workshop.export import pdf, report, services
from workshop.extensions import db
from workshop.plans.models import Plan


@pytest.fixture
def long_plan(app):
    with app.test_request_context():
        plan_id = build()["plan"]
    return db.session.get(Plan, plan_id)


def _text_boxes(box):
    if isinstance(box, boxes.MarginBox):  # running header and page number
        return
    if isinstance(box, boxes.TextBox):
        yield box
    for child in getattr(box, "children", []):
        yield from _text_boxes(child)


def test_pdf_wraps_long_words_inside_the_page_margins(app, long_plan):
    with app.test_request_context(), force_locale("nl"):
        document = pdf.layout(report.build(long_plan))
    outside = []
    for number, page in enumerate(document.pages, 1):
        area = page._page_box
        left, right = area.content_box_x(), area.content_box_x() + area.width
        for text in _text_boxes(area):
            if text.position_x < left - 0.5 or text.position_x + text.width > right + 0.5:
                outside.append(f"page {number}: {text.text[:30]!r} ends at "
                               f"{text.position_x + text.width:.0f} of {right:.0f}")
    assert not outside, "\n".join(outside[:10])


def test_pdf_keeps_every_letter_of_long_words(app, long_plan):
    with app.test_request_context():
        data, _name, _type = services.export(long_plan, "pdf", lang="nl")
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    # Broken over lines (with or without a hyphen), the word is still all there.
    joined = "".join(text.split()).replace("-", "").replace("\u2010", "")
    for place in ("Domein 1", "Wij versterken de regio met een", "Tegen 2030 een",
                  "Voorstel 1", "Dit is veel voor"):  # a domain, the mission, a goal and
        # two table cells (the vote results and the stakeholder comments)
        assert "".join(place.split()) + WORD in joined, place
