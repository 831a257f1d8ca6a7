"""Scores and a ranking on a phone; the console's results follow (the dot vote has its own
test)."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import LAPTOP, log_in
from tests.browser.test_voting import _phone


def _vote_step(console, title, method, **fields):
    console.get_by_role("link", name="+ Vote step").click()
    console.get_by_label("Title").fill(title)
    console.get_by_label("How people vote").select_option(method)
    for label, value in fields.items():
        console.get_by_label(label).fill(value)
    console.get_by_role("button", name="Add step").click()


def test_scores_and_a_ranking_from_a_phone(live_server, facilitator_account, new_page):
    result = live_server.flask("koers", "demo")
    code = re.search(r"join code (\w{8})", result.stdout).group(1)
    console = new_page(LAPTOP)
    log_in(console, live_server, facilitator_account)
    console.get_by_role("link", name="Strategisch plan 2027–2032").click()
    console.get_by_role("link", name="Ambities per werkdomein").click()
    _vote_step(console, "Geef punten", "score")
    _vote_step(console, "Rangschik", "rank", **{"Rank the top": "2"})
    console.get_by_role("link", name="Open the live console").click()

    phone = _phone(new_page, live_server, code, "Piet", "Medewerkers")
    console.get_by_role("button", name="Start: Waar staan we in 2032?").click()
    domain = "Bedrijventerreinen en ruimte voor ondernemen"
    for text in ("Meer ruimte", "Zuinig ruimtegebruik", "Slim parkeren"):
        phone.get_by_role("button", name=domain).click()
        phone.get_by_label(re.compile("Your proposal for")).fill(text)
        phone.get_by_role("button", name="Send").click()
    expect(phone.locator(".own-item:not(.is-sending)")).to_have_count(3)  # all stored

    # Scores 1–5: one tap sets, a second tap on the same score clears.
    console.get_by_role("button", name="Start: Geef punten").click()
    phone.get_by_role("button", name="Score 4: Meer ruimte").click()
    expect(phone.get_by_role("button", name="Score 4: Meer ruimte")).to_have_attribute(
        "aria-pressed", "true")
    phone.get_by_role("button", name="Score 2: Slim parkeren").click()
    row = console.locator(".result-row", has_text="Meer ruimte").first
    expect(row.locator(".bar.total .bar-value")).to_have_text("4")
    phone.get_by_role("button", name="Score 2: Slim parkeren").click()  # cleared
    expect(phone.get_by_role("button", name="Score 2: Slim parkeren")).to_have_attribute(
        "aria-pressed", "false")

    # A top 2 by Borda: first place 2 points, second 1.
    console.get_by_role("button", name="Start: Rangschik").click()
    phone.locator(".ballot-item", has_text="Zuinig ruimtegebruik").get_by_role(
        "button", name="Add to my top").click()
    phone.locator(".ballot-item", has_text="Slim parkeren").get_by_role(
        "button", name="Add to my top").click()
    phone.get_by_role("button", name="Move up: Slim parkeren").click()
    expect(phone.locator(".rank-list li").first).to_contain_text("Slim parkeren")
    expect(console.locator(".result-row", has_text="Slim parkeren").first.locator(
        ".bar.total .bar-value")).to_have_text("2")
    expect(console.locator(".result-row", has_text="Zuinig ruimtegebruik").first.locator(
        ".bar.total .bar-value")).to_have_text("1")
