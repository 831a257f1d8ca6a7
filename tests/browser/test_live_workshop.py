"""A live workshop as people run it: a facilitator's laptop, the projector, three phones."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LAPTOP, PHONE, log_in

PROJECTOR = {"width": 1920, "height": 1080}


def _prepare_workshop(page, server):
    """Through the facilitator's pages: a workshop with a collect step on two domains."""
    page.goto(server.url + "/")
    page.get_by_role("link", name="Strategisch plan 2027–2032").click()
    page.get_by_role("link", name="New workshop").click()
    page.get_by_label("Title").fill("Ambities")
    page.get_by_role("button", name="Create workshop").click()
    page.get_by_role("link", name="+ Collect step").click()
    page.get_by_label("Title").fill("Waar staan we in 2032?")
    page.get_by_label("Kenniseconomie en innovatie").uncheck()
    page.get_by_label("Energietransitie en bio-economie").uncheck()
    page.get_by_label("Time box (minutes)").fill("10")
    page.get_by_role("button", name="Add step").click()
    expect(page.locator(".step-title")).to_have_text(["Waar staan we in 2032?"])
    return page.locator(".code.big").inner_text()


def _join(browser_page, server, code, name, group):
    page = browser_page(PHONE)
    page.goto(server.url + "/j")
    page.get_by_label("Workshop code").fill(code[:4].lower() + " " + code[4:].lower())
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Your name").fill(name)
    page.get_by_text(group, exact=True).click()
    page.get_by_role("button", name="Join").click()
    expect(page).to_have_url(re.compile(r"/w/" + code + "$"))
    expect(page.get_by_text("Welcome! The facilitator will start in a moment.")).to_be_visible()
    return page


def _propose(phone, domain, text):
    phone.get_by_role("button", name=domain).click()
    phone.get_by_label(re.compile("Your proposal for")).fill(text)
    phone.get_by_role("button", name="Send").click()


@pytest.fixture
def room(live_server, facilitator_account, new_page):
    live_server.flask("koers", "demo")
    console = new_page(LAPTOP)
    log_in(console, live_server, facilitator_account)
    code = _prepare_workshop(console, live_server)
    console.get_by_role("link", name="Open the live console").click()
    expect(console.locator("#presence")).to_contain_text("Connected: 0")
    with console.expect_popup() as popup:
        console.get_by_role("link", name="Open presenter screen").click()
    presenter = popup.value
    presenter.set_viewport_size(PROJECTOR)
    expect(presenter.locator(".lobby-code")).to_have_text(code)
    return {"console": console, "presenter": presenter, "code": code}


def test_a_brainstorm_round_with_three_phones(live_server, room, new_page):
    console, presenter, code = room["console"], room["presenter"], room["code"]
    phones = [_join(new_page, live_server, code, name, group) for name, group in (
        ("Piet", "Employees"), ("Anna", "External stakeholders"), ("Jan", "Employees"))]
    expect(console.locator("#presence")).to_contain_text("Connected: 3")
    expect(presenter.locator("#lobby-count")).to_contain_text("Joined: 3")

    console.get_by_role("button", name="Start: Waar staan we in 2032?").click()
    for phone in phones:
        expect(phone.get_by_role("heading", name="Waar staan we in 2032?")).to_be_visible()
    expect(presenter.locator("#timer")).to_have_text(re.compile(r"^(10:00|9:5\d)$"))

    _propose(phones[0], "Bedrijventerreinen en ruimte voor ondernemen", "Meer ruimte")
    _propose(phones[1], "Bedrijventerreinen en ruimte voor ondernemen", "Meer plaats")
    _propose(phones[2], "Logistiek", "<script>alert(1)</script> Slim vervoer")
    wall = presenter.locator(".wall-card")
    expect(wall).to_have_count(3)
    expect(presenter.get_by_text("<script>alert(1)</script> Slim vervoer")).to_be_visible()
    expect(console.locator(".mod-card")).to_have_count(3)
    expect(phones[0].locator(".own-item")).to_have_count(1)
    expect(phones[1].locator(".own-item")).to_have_text(re.compile("Meer plaats"))

    # Merge the two duplicates: the wall shows one card with both authors counted.
    card = {text: console.locator(".mod-card", has_text=text)
            for text in ("Meer ruimte", "Meer plaats")}
    card["Meer plaats"].get_by_label(re.compile("^Select")).check()
    card["Meer ruimte"].get_by_role("button", name="Merge selected into this").click()
    expect(console.locator(".mod-card")).to_have_count(2)
    expect(card["Meer ruimte"]).to_contain_text("Piet, Anna")
    expect(wall).to_have_count(2)
    expect(presenter.locator(".wall-card", has_text="Meer ruimte")).to_contain_text("×2")
    expect(phones[1].get_by_text("merged with a similar proposal")).to_be_visible()

    console.get_by_role("button", name="Close step").click()
    for phone in phones:
        expect(phone.get_by_text("Thanks! This step is closed — wait for the next one.")
               ).to_be_visible()
        expect(phone.get_by_role("button", name="Send")).to_have_count(0)
    expect(presenter.locator(".stage-badge")).to_have_text("Closed")


def test_a_phone_that_goes_offline_sends_its_proposal_once_when_back(live_server, room,
                                                                     new_page):
    console, presenter, code = room["console"], room["presenter"], room["code"]
    phone = _join(new_page, live_server, code, "Piet", "Employees")
    console.get_by_role("button", name="Start: Waar staan we in 2032?").click()
    expect(phone.get_by_role("heading", name="Waar staan we in 2032?")).to_be_visible()

    phone.context.set_offline(True)
    expect(phone.get_by_text("Reconnecting…")).to_be_visible(timeout=30_000)
    _propose(phone, "Logistiek", "Geschreven in de kelder")
    expect(phone.get_by_text("Waiting for the connection…")).to_be_visible()
    phone.context.set_offline(False)
    expect(phone.get_by_text("Reconnecting…")).to_be_hidden(timeout=30_000)
    expect(presenter.locator(".wall-card")).to_have_count(1)
    expect(console.locator(".mod-card")).to_have_text([re.compile("Geschreven in de kelder")])
    expect(phone.locator(".own-item")).to_have_count(1)
    expect(phone.get_by_text("Waiting for the connection…")).to_have_count(0)
    # And once only, even after the page reloads and its outbox would be sent again.
    phone.reload()
    expect(phone.locator(".own-item")).to_have_count(1)
    expect(presenter.locator(".wall-card")).to_have_count(1)
