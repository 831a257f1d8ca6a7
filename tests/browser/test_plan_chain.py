"""From first ideas to a draft plan: ambition → strategic goal → operational goal for one
work domain, with two phones, ending on the draft plan document and an item's provenance."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import LAPTOP, PHONE, log_in

DOMAIN = "Logistiek"
OTHERS = ["Bedrijventerreinen en ruimte voor ondernemen", "Kenniseconomie en innovatie",
          "Energietransitie en bio-economie"]


def _add_step(page, kind, title, item_kind=None, parent=None, source=None):
    page.get_by_role("link", name=f"+ {kind} step").click()
    page.get_by_label("Title").fill(title)
    if item_kind:
        page.get_by_label("Participants propose").select_option(label=item_kind)
    if parent:
        page.get_by_label(parent).check()
    if source:
        page.get_by_label("Vote on").select_option(label=source)
    if not parent:
        for other in OTHERS:
            page.get_by_label(other).uncheck()
    page.get_by_role("button", name="Add step").click()


def _run_round(console, phones, texts, collect, vote):
    console.get_by_role("button", name=f"Start: {collect}").click()
    for phone, text in zip(phones, texts, strict=True):
        expect(phone.get_by_role("heading", name=collect)).to_be_visible()
        phone.get_by_label(re.compile("Your proposal for")).fill(text)
        phone.get_by_role("button", name="Send").click()
        expect(phone.locator(".own-item:not(.is-sending)")).to_have_count(1)
    console.get_by_role("button", name=f"Start: {vote}").click()
    for phone in phones:  # both favour the first phone's idea
        phone.get_by_role("button", name=f"Put a dot on: {texts[0]}").click()
        expect(phone.get_by_text("1 dot", exact=True).first).to_be_visible()
    console.get_by_role("button", name="Close step").click()


def _promote(page, server, workshop_url, vote, level):
    page.goto(workshop_url)
    page.get_by_role("link", name=f"Winners of “{vote}” into the plan").click()
    page.get_by_label("How many per domain").fill("1")
    page.get_by_label("Put them into the plan as").select_option(label=level)
    page.get_by_role("button", name="Add to the plan").click()
    expect(page.get_by_text("1 item added to the plan.")).to_be_visible()


def test_from_first_ideas_to_the_draft_plan(live_server, facilitator_account, new_page):
    live_server.flask("koers", "demo")
    page = new_page(LAPTOP)
    log_in(page, live_server, facilitator_account)
    page.get_by_role("link", name="Strategisch plan 2027–2032").click()
    page.get_by_role("link", name="New workshop").click()
    page.get_by_label("Title").fill("Van idee tot plan")
    page.get_by_role("button", name="Create workshop").click()
    workshop_url = page.url
    code = page.locator(".code.big").inner_text()
    _add_step(page, "Collect", "Ambities", "Ambition")
    _add_step(page, "Vote", "Stem ambities")

    console = new_page(LAPTOP)
    console.context.add_cookies(page.context.cookies())
    console.goto(workshop_url + "/console")
    phones = []
    for name in ("Piet", "Anna"):
        phone = new_page(PHONE)
        phone.goto(f"{live_server.url}/j/{code}")
        phone.get_by_label("Your name").fill(name)
        phone.get_by_text("Employees", exact=True).click()
        phone.get_by_role("button", name="Join").click()
        phones.append(phone)

    _run_round(console, phones, ["Draaischijf voor vervoer over water", "Meer vrachtwagens"],
               "Ambities", "Stem ambities")
    _promote(page, live_server, workshop_url, "Stem ambities", "Ambition")

    page.goto(workshop_url)
    _add_step(page, "Collect", "Doelen", "Strategic goal",
              parent="Ambition: Draaischijf voor vervoer over water")
    _add_step(page, "Vote", "Stem doelen", source="Proposals of “Doelen”")
    console.reload()
    for phone in phones:
        phone.reload()
    _run_round(console, phones, ["Twee nieuwe kaaien tegen 2030", "Een extra parking"],
               "Doelen", "Stem doelen")
    _promote(page, live_server, workshop_url, "Stem doelen", "Strategic goal")

    page.goto(workshop_url)
    _add_step(page, "Collect", "Acties", "Operational goal",
              parent="Strategic goal: Twee nieuwe kaaien tegen 2030")
    _add_step(page, "Vote", "Stem acties", source="Proposals of “Acties”")
    console.reload()
    _run_round(console, phones, ["Studie voor een nieuwe kaai in Zuid", "Folder maken"],
               "Acties", "Stem acties")
    _promote(page, live_server, workshop_url, "Stem acties", "Operational goal")

    # The draft plan shows the chain nested under the domain.
    page.get_by_role("link", name="Draft plan document").click()
    domain = page.locator(".doc-domain", has_text=DOMAIN)
    ambition = domain.locator(".doc-ambition", has_text="Twee nieuwe kaaien tegen 2030")
    expect(ambition.locator("> p")).to_contain_text("Draaischijf voor vervoer over water")
    goal = ambition.locator(".doc-strategic_goal")
    expect(goal.locator("> p")).to_contain_text("Twee nieuwe kaaien tegen 2030")
    expect(goal.locator(".doc-operational_goal")).to_contain_text(
        "Studie voor een nieuwe kaai in Zuid")
    expect(page.get_by_text("Meer vrachtwagens")).to_have_count(0)

    # The operational goal's page says where it came from.
    page.get_by_role("link", name="Back to the plan tree").click()
    page.get_by_role("link", name="Studie voor een nieuwe kaai in Zuid").click()
    provenance = page.locator(".provenance")
    expect(provenance).to_contain_text("Van idee tot plan")
    expect(provenance).to_contain_text("proposed by Piet")
    expect(provenance).to_contain_text("Vote “Stem acties”: 2")
