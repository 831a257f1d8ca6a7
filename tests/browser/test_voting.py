"""A dot vote on three phones, the presenter chart following live, then revealed to all."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import LAPTOP, PHONE, log_in

PROJECTOR = {"width": 1920, "height": 1080}
IDEAS = [("Bedrijventerreinen en ruimte voor ondernemen", "Meer ruimte"),
         ("Bedrijventerreinen en ruimte voor ondernemen", "Zuinig ruimtegebruik"),
         ("Logistiek", "Slimme hubs")]


def _phone(new_page, server, code, name, group):
    page = new_page(PHONE)
    page.goto(f"{server.url}/j/{code}")
    page.get_by_label("Your name").fill(name)
    page.get_by_text(group, exact=True).click()
    page.get_by_role("button", name="Join").click()
    expect(page).to_have_url(re.compile(r"/w/"))
    return page


def _bar(presenter, text):
    return presenter.locator(".result-row", has_text=text).locator(".bar.total .bar-value")


def test_dot_voting_with_a_live_chart_then_revealed_to_everyone(live_server,
                                                               facilitator_account, new_page):
    result = live_server.flask("koers", "demo")
    code = re.search(r"join code (\w{8})", result.stdout).group(1)
    console = new_page(LAPTOP)
    log_in(console, live_server, facilitator_account)
    console.goto(live_server.url + "/")
    console.get_by_role("link", name="Strategisch plan 2027–2032").click()
    console.get_by_role("link", name="Ambities per werkdomein").click()
    console.get_by_role("link", name="+ Vote step").click()
    console.get_by_label("Title").fill("Wat weegt het zwaarst?")
    console.get_by_label("Dots per person").fill("3")
    console.get_by_label("Most dots on one item").fill("2")
    console.get_by_role("button", name="Add step").click()
    console.get_by_role("link", name="Open the live console").click()

    phones = [_phone(new_page, live_server, code, name, group) for name, group in (
        ("Piet", "Medewerkers"), ("Anna", "Externe belanghebbenden"), ("Jan", "Medewerkers"))]
    console.get_by_role("button", name="Start: Waar staan we in 2032?").click()
    for phone, (domain, text) in zip(phones, IDEAS, strict=True):
        phone.get_by_role("button", name=domain).click()
        phone.get_by_label(re.compile("Your proposal for")).fill(text)
        phone.get_by_role("button", name="Send").click()
        expect(phone.locator(".own-item:not(.is-sending)")).to_have_count(1)

    with console.expect_popup() as popup:
        console.get_by_role("link", name="Open presenter screen").click()
    presenter = popup.value
    presenter.set_viewport_size(PROJECTOR)
    console.get_by_role("button", name="Start: Wat weegt het zwaarst?").click()
    for phone in phones:
        expect(phone.get_by_text("Dots left: 3 of 3")).to_be_visible()
    expect(presenter.get_by_text("Voting is open. The results follow.")).to_be_visible()

    # Results on the projector only: phones keep seeing no numbers.
    console.get_by_label("On the projector").check()
    expect(presenter.locator(".result-row")).to_have_count(3)
    piet, anna, jan = phones
    piet.get_by_role("button", name="Put a dot on: Meer ruimte").click()
    expect(_bar(presenter, "Meer ruimte")).to_have_text("1")
    piet.get_by_role("button", name="Put a dot on: Meer ruimte").click()
    expect(piet.get_by_text("Dots left: 1 of 3")).to_be_visible()
    expect(piet.get_by_role("button", name="Put a dot on: Meer ruimte")).to_be_disabled()
    anna.get_by_role("button", name="Put a dot on: Zuinig ruimtegebruik").click()
    jan.get_by_role("button", name="Put a dot on: Meer ruimte").click()
    expect(_bar(presenter, "Meer ruimte")).to_have_text("3")
    expect(_bar(presenter, "Zuinig ruimtegebruik")).to_have_text("1")
    # Sorted by value, and readable as a table by a screen reader.
    expect(presenter.locator(".result-domain").first.locator(".result-text")).to_have_text(
        ["Meer ruimte", "Zuinig ruimtegebruik"])
    expect(presenter.locator("table.results-table").first).to_contain_text("Meer ruimte")
    for phone in phones:
        expect(phone.locator(".results")).to_have_count(0)

    console.get_by_label("For everyone").check()
    for phone in phones:
        expect(phone.get_by_role("heading", name="Results")).to_be_visible()
        expect(phone.locator(".result-row", has_text="Meer ruimte").locator(
            ".bar.total .bar-value")).to_have_text("3")
