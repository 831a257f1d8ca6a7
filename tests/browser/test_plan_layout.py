"""The promote page, the workshop agenda and the plan tree as a facilitator sees them,
at laptop and phone sizes (issue 12)."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import LAPTOP, PHONE, log_in

LONG = "Duurzaamheidsverbeteringstrajectbegeleidingscommissievergadering " * 5


def _open_demo(page, live_server, account):
    log_in(page, live_server, account)
    page.get_by_role("link", name="Strategisch plan 2027–2032").click()
    plan_url = page.url
    hrefs = page.eval_on_selector_all("a", "els => els.map(e => e.getAttribute('href'))")
    workshop = next(h for h in hrefs if h and re.fullmatch(r"/workshops/\d+", h))
    return plan_url, live_server.url + workshop


def _titles_have_room(page):
    """Every agenda row: the title spans the row, the buttons sit below it."""
    rows = page.locator(".step-row")
    assert rows.count() >= 2
    for n in range(rows.count()):
        row = rows.nth(n).bounding_box()
        title = rows.nth(n).locator(".step-title").bounding_box()
        actions = rows.nth(n).locator(".step-actions").bounding_box()
        assert title["width"] >= 0.7 * row["width"] or title["width"] >= 0.7 * (
            row["width"] - 60), (title, row)
        assert actions["y"] >= title["y"] + title["height"]


def test_agenda_and_promote_page_on_a_laptop(live_server, facilitator_account, new_page):
    live_server.flask("koers", "demo")
    page = new_page(LAPTOP)
    _plan, workshop_url = _open_demo(page, live_server, facilitator_account)
    page.goto(workshop_url)
    _titles_have_room(page)
    # Only the vote (it has results) offers "Into the plan"; the collect step does not.
    expect(page.get_by_role("link", name=re.compile("into the plan"))).to_have_count(1)
    page.get_by_role("link", name=re.compile("into the plan")).click()

    boxes = page.locator("input[name=picked]")
    assert boxes.count() >= 8
    for n in range(boxes.count()):
        expect(boxes.nth(n)).to_be_disabled()
    expect(page.get_by_label("From this score on")).to_be_hidden()
    page.get_by_label("The ones I tick").check()
    expect(page.get_by_label("How many per domain")).to_be_hidden()
    fresh = page.locator("input[name=picked]:not([data-done])")
    for n in range(fresh.count()):
        expect(fresh.nth(n)).to_be_enabled()
    expect(page.locator("input[name=picked][data-done]").first).to_be_disabled()

    # A very long text wraps; the box keeps its size and the scores stay in one column.
    page.locator(".promote-row:not(.promote-head) label").nth(1).evaluate(
        "(el, text) => { el.firstChild.textContent = text; }", LONG)
    sizes = {round(boxes.nth(n).bounding_box()["width"]) for n in range(boxes.count())}
    assert len(sizes) == 1 and sizes.pop() >= 18
    scores = page.locator(".promote-domain").first.locator(".promote-score")
    rights = {round(b["x"] + b["width"]) for b in
              (scores.nth(n).bounding_box() for n in range(scores.count()))}
    assert len(rights) == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"]

    fresh.first.check()
    page.get_by_role("button", name="Add to the plan").click()
    expect(page.get_by_text("1 item added to the plan.")).to_be_visible()


def test_tree_item_page_and_agenda_on_a_phone(live_server, facilitator_account, new_page):
    live_server.flask("koers", "demo")
    page = new_page(PHONE)
    plan_url, workshop_url = _open_demo(page, live_server, facilitator_account)
    page.goto(workshop_url)
    _titles_have_room(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.goto(plan_url + "/tree")
    expect(page.locator("input[name=text]:visible")).to_have_count(0)  # no empty boxes
    for badge in page.locator(".badge").all():  # each badge and button on one line
        assert badge.evaluate("el => el.getClientRects().length") == 1
        assert badge.bounding_box()["height"] < 24
    final = page.get_by_role("button", name="Make final")
    assert final.bounding_box()["height"] <= 46
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    first_ambition = page.locator(".tree-item.level-ambition").first
    adder = first_ambition.locator(":scope > details.add-child > summary")
    expect(adder).to_contain_text("+ strategic goal")
    adder.focus()
    page.keyboard.press("Enter")
    box = first_ambition.get_by_label(re.compile("New strategic goal under"))
    expect(box).to_be_visible()
    box.fill("Twee nieuwe hubs")
    page.keyboard.press("Enter")
    expect(page.locator(".tree-text", has_text="Twee nieuwe hubs")).to_be_visible()

    page.locator(".tree-text").first.click()
    summary = page.locator("details.more-actions > summary")
    expect(summary.locator(".chevron")).to_be_visible()
    assert summary.evaluate("el => getComputedStyle(el).cursor") == "pointer"
    summary.focus()
    assert summary.evaluate("el => getComputedStyle(el).outlineStyle") == "solid"
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Split")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
