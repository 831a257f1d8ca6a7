"""What a new facilitator does first, in a real browser on a laptop and a phone."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import LAPTOP, PASSWORD, PHONE, log_in

DOMAINS = ["Bedrijventerreinen", "Logistiek", "Kenniseconomie", "Energietransitie"]


def _no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"page is {width}px wide"


def test_first_visit_creates_the_first_account_then_logs_in_again(live_server, new_page):
    page = new_page(LAPTOP)
    page.goto(live_server.url + "/")
    expect(page).to_have_url(live_server.url + "/setup")
    expect(page.get_by_role("heading", name="Welcome to Koers")).to_be_visible()

    page.get_by_label("Name").fill("Anna")
    page.get_by_label("E-mail address").fill("anna@example.org")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Password again").fill("short")
    page.get_by_label("Your organisation").fill("POM West-Vlaanderen")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Use at least 10 characters.")).to_be_visible()
    expect(page.get_by_label("E-mail address")).to_have_value("anna@example.org")

    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(live_server.url + "/plans/new")
    expect(page.get_by_text("Welcome to Koers. Start by creating your first plan.")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    page.get_by_label("E-mail address").fill("anna@example.org")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("That e-mail address and password do not match.")).to_be_visible()
    log_in(page, live_server, {"email": "anna@example.org", "password": PASSWORD})
    expect(page.get_by_role("heading", name="Plans", exact=True)).to_be_visible()


def test_create_a_plan_with_four_domains_and_reorder_them_by_keyboard(
    live_server, facilitator_account, new_page
):
    page = new_page(LAPTOP)
    log_in(page, live_server, facilitator_account)
    page.get_by_role("link", name="Create your first plan").click()
    page.get_by_label("Title").fill("Strategisch plan 2027–2032")
    page.get_by_label("Organisation").fill("POM Oost-Vlaanderen")
    page.get_by_label("Mission statement").fill("Wij versterken de regio.")
    page.get_by_label("Horizon from (year)").fill("2027")
    page.get_by_label("Horizon to (year)").fill("2032")
    page.get_by_role("button", name="Create plan").click()
    expect(page.get_by_role("heading", name="Strategisch plan 2027–2032")).to_be_visible()

    for name in DOMAINS:
        page.locator("#name").fill(name)
        page.get_by_role("button", name="Add work domain").click()
        expect(page.locator(".domain-name", has_text=name)).to_be_visible()
    expect(page.locator(".domain-name")).to_have_text(DOMAINS)

    # Keyboard only: focus "move up" of the last domain and press Enter twice.
    page.get_by_role("button", name="Move “Energietransitie” up").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".domain-name")).to_have_text(
        ["Bedrijventerreinen", "Logistiek", "Energietransitie", "Kenniseconomie"])
    expect(page.get_by_role("button", name="Move “Energietransitie” up")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".domain-name")).to_have_text(
        ["Bedrijventerreinen", "Energietransitie", "Logistiek", "Kenniseconomie"])

    # Removing asks once; "keep it" changes nothing, "remove" removes.
    page.get_by_role("link", name="Remove “Logistiek”").click()
    page.get_by_role("link", name="No, keep it").click()
    expect(page.locator(".domain-name")).to_have_count(4)
    page.get_by_role("link", name="Remove “Logistiek”").click()
    page.get_by_role("button", name="Yes, remove it").click()
    expect(page.locator(".domain-name")).to_have_text(
        ["Bedrijventerreinen", "Energietransitie", "Kenniseconomie"])


def test_phone_switches_language_and_remembers_it(live_server, facilitator_account, new_page):
    page = new_page(PHONE, locale="nl-BE")
    page.goto(live_server.url + "/login")
    expect(page.get_by_role("heading", name="Aanmelden")).to_be_visible()
    _no_sideways_scroll(page)
    page.get_by_role("link", name="EN").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.get_by_role("link", name="NL").click()
    expect(page.get_by_role("heading", name="Aanmelden")).to_be_visible()


def test_plan_pages_fit_a_phone(live_server, facilitator_account, new_page):
    live_server.flask("koers", "demo")
    page = new_page(PHONE)
    log_in(page, live_server, facilitator_account)
    _no_sideways_scroll(page)
    page.get_by_role("link", name="Strategisch plan 2027–2032").click()
    expect(page.locator(".domain-name")).to_have_count(4)
    _no_sideways_scroll(page)
    box = page.get_by_role("button", name=re.compile("Move .* down")).first.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    page.get_by_role("link", name=re.compile("Edit “Logistiek”")).click()
    _no_sideways_scroll(page)
    expect(page.get_by_label("Name")).to_have_value("Logistiek")
