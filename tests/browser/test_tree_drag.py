"""Dragging a goal above its sibling in the plan tree saves the new order."""

from playwright.sync_api import expect

from tests.browser.conftest import LAPTOP, log_in


def test_drag_a_goal_above_its_sibling(live_server, facilitator_account, new_page):
    live_server.flask("koers", "demo")
    page = new_page(LAPTOP)
    log_in(page, live_server, facilitator_account)
    page.get_by_role("link", name="Strategisch plan 2027–2032").click()
    page.get_by_role("link", name="Plan tree").click()

    def goals():
        # The demo's first domain has two operational goals under one strategic goal.
        return page.locator(".tree-item.level-operational_goal").filter(
            has=page.locator(".tree-text"))

    first, second = goals().nth(0), goals().nth(1)
    first_text = first.locator(".tree-text").inner_text()
    second_text = second.locator(".tree-text").inner_text()
    assert first.locator("xpath=..").evaluate("el => el.className") == \
        second.locator("xpath=..").evaluate("el => el.className")  # one list
    with page.expect_navigation():
        second.locator(".tree-row").drag_to(first.locator(".tree-row"))
    expect(goals().nth(0).locator(".tree-text")).to_have_text(second_text)
    expect(goals().nth(1).locator(".tree-text")).to_have_text(first_text)
    page.reload()  # saved, not just moved on screen
    expect(goals().nth(0).locator(".tree-text")).to_have_text(second_text)
