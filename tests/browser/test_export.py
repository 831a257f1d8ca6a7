"""A facilitator downloads the draft plan for the board with one click, in Dutch."""


import docx
from playwright.sync_api import expect

from tests.browser.conftest import LAPTOP, PHONE, log_in


def test_one_click_gives_the_board_document(live_server, facilitator_account, new_page):
    live_server.flask("koers", "demo")
    page = new_page(LAPTOP)
    log_in(page, live_server, facilitator_account)
    page.get_by_role("link", name="Strategisch plan 2027–2032").click()
    page.get_by_text("Download the draft plan: Word, PDF, Markdown, Excel, CSV or JSON").click()
    page.get_by_label("Language of the document").select_option("nl")
    with page.expect_download() as download:
        page.get_by_role("button", name="Word").click()
    assert download.value.suggested_filename == "strategisch-plan-2027-2032.docx"
    document = docx.Document(str(download.value.path()))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "Logistiek" in headings
    assert "Bijlage: hoe dit plan tot stand kwam" in headings

    # The same from a phone, for one saved version.
    phone = new_page(PHONE)
    log_in(phone, live_server, facilitator_account)
    phone.goto(f"{live_server.url}/plans/1/versions")
    phone.get_by_text("Download", exact=True).first.click()
    with phone.expect_download() as download:
        phone.get_by_role("button", name="PDF").first.click()
    assert download.value.suggested_filename == "strategisch-plan-2027-2032-v1.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    expect(phone.get_by_role("heading", name="Versions")).to_be_visible()
