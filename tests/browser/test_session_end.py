"""A console left open in another tab follows the log-out: it lands on the log-in page."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import LAPTOP, log_in


def test_an_open_console_ends_with_the_log_out(live_server, facilitator_account, new_page):
    live_server.flask("koers", "demo")
    page = new_page(LAPTOP)
    log_in(page, live_server, facilitator_account)
    page.get_by_role("link", name="Strategisch plan 2027–2032").click()
    page.get_by_role("link", name="Ambities per werkdomein").click()
    page.get_by_role("link", name="Open the live console").click()
    expect(page.locator("#presence")).to_contain_text("Connected")
    other = page.context.new_page()  # a second tab of the same browser session
    other.goto(live_server.url + "/")
    other.get_by_role("button", name="Log out").click()
    expect(other).to_have_url(re.compile(r"/login"))
    expect(page).to_have_url(re.compile(r"/login"), timeout=10_000)
