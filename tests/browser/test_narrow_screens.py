"""Phones at 360 px: no page scrolls sideways, even when every field holds a 60-letter Dutch
compound; the facilitator's header stays one row with its links in a menu."""

import json
import subprocess

from playwright.sync_api import expect

from tests.browser.conftest import BIN, LAPTOP, PHONE, ROOT, log_in
from tests.browser.long_words import WORD

# Where the page gets too wide: elements sticking out past the right edge whose parent
# does not (the first of them), outside any frame that scrolls or clips on its own.
OVERFLOW_REPORT = """() => {
  const limit = document.documentElement.clientWidth + 0.5;
  const clips = el => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== 'visible') return true;
    }
    return false;
  };
  const sticksOut = el => el.getBoundingClientRect().right > limit;
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (typeof el.className === 'string' && el.className.trim()
      ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  return [...document.body.querySelectorAll('*')]
    .filter(el => sticksOut(el) && !(el.parentElement && sticksOut(el.parentElement)) && !clips(el))
    .slice(0, 4).map(el => name(el) + ' in ' + name(el.parentElement) + ' → ' +
      Math.round(el.getBoundingClientRect().right) + ' px');
}"""


# Text squeezed into a sliver beside wider neighbours (a word broken letter by letter):
# elements with 10 or more letters of their own in a box narrower than 60 px (not the
# 1 px boxes of text for screen readers only).
SQUEEZED_REPORT = """() => {
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const own = [...el.childNodes].filter(n => n.nodeType === 3)
      .map(n => n.textContent).join('').replace(/\\s+/g, '');
    const box = el.getBoundingClientRect();
    if (own.length >= 10 && box.width > 2 && box.width < 60 && el.checkVisibility()) {
      out.push(el.tagName.toLowerCase() + '.' + el.className + ' ' + Math.round(box.width) +
               ' px: ' + own.slice(0, 20));
    }
  }
  return out.slice(0, 3);
}"""


def _build(server):
    """The long-word plan, made through the services in the server's database."""
    done = subprocess.run([str(BIN / "python"), "-m", "tests.browser.long_words"], cwd=ROOT,
                          env=server.env, check=True, capture_output=True, text=True,
                          timeout=120)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _facilitator_pages(d):
    plan, w = f"/plans/{d['plan']}", f"/workshops/{d['workshop']}"
    return [
        ("plans list", "/"), ("new plan", "/plans/new"), ("plan page", plan),
        ("plan edit", f"{plan}/edit"), ("domain edit", f"{plan}/domains/{d['domain']}/edit"),
        ("domain remove", f"{plan}/domains/{d['domain']}/remove"),
        ("new workshop", f"{plan}/workshops/new"), ("workshop page", w),
        ("workshop settings", f"{w}/edit"), ("new step", f"{w}/steps/new?kind=vote"),
        ("collect step form", f"{w}/steps/{d['collect_step']}/edit"),
        ("vote step form", f"{w}/steps/{d['vote_step']}/edit"),
        ("step delete", f"{w}/steps/{d['info_step']}/delete"),
        ("console", f"{w}/console"),
        ("tree editor", f"{plan}/tree"), ("item page", f"{plan}/items/{d['item']}"),
        ("operational item page", f"{plan}/items/{d['operational']}"),
        ("item delete", f"{plan}/items/{d['item']}/delete"),
        ("promote page", f"{w}/steps/{d['vote_step']}/promote"),
        ("versions", f"{plan}/versions"), ("plan document", f"{plan}/document"),
        ("plan document, version 1", f"{plan}/document?version=1"),
        ("review new", f"{plan}/reviews/new"), ("review round", f"{plan}/reviews/{d['round']}"),
        ("monitoring dashboard", f"{plan}/monitor"),
        ("indicator page", f"{plan}/indicators/{d['indicator']}"),
        ("indicator form", f"{plan}/indicators/{d['indicator']}/edit"),
        ("new indicator", f"{plan}/indicators/new?goal={d['item']}"),
        ("import", f"{plan}/monitor/import"),
        ("organisations", "/organisations"), ("organisation", "/organisations/1"),
        ("plan team", f"{plan}/team"),
        ("password", "/account/password"),
    ]


def _ready(page, name):
    """Wait for what live pages draw after their socket snapshot arrives."""
    if name == "console":
        expect(page.locator("#live-heading")).to_contain_text(WORD)
    elif name == "participant":
        expect(page.locator("#stage")).to_contain_text(WORD)


def _too_wide(page, name, url):
    page.goto(url)
    _ready(page, name)
    # Closed disclosures count too: a facilitator opens them.
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    width = page.evaluate("document.documentElement.scrollWidth")
    squeezed = page.evaluate(SQUEEZED_REPORT)
    if width <= PHONE["width"] and not squeezed:
        return None
    return (f"{name} ({url}): {width} px wide, {page.evaluate(OVERFLOW_REPORT)}"
            + (f", squeezed: {squeezed}" if squeezed else ""))


def test_no_page_scrolls_sideways_at_360_px_with_long_words(live_server, new_page):
    data = _build(live_server)
    base = live_server.url
    failures = []

    # In Dutch: its words and labels are the longer ones.
    public = new_page(PHONE, locale="nl")
    for name, path in [("login", "/login"), ("join by code", "/j"),
                       ("join", f"/j/{data['code']}")]:
        failures.append(_too_wide(public, name, base + path))
    public.locator("#display_name").fill(WORD)
    public.locator(".choice").first.click()
    public.locator("form button[type=submit]").click()
    public.wait_for_url(f"{base}/w/{data['code']}")
    for name, path in [("participant", f"/w/{data['code']}"),
                       ("stakeholder page", f"/r/{data['review_token']}"),
                       ("public progress page", f"/p/{data['progress_token']}")]:
        failures.append(_too_wide(public, name, base + path))

    page = new_page(PHONE, locale="nl")
    page.goto(base + "/login")
    page.locator("input[name=email]").fill(data["email"])
    page.locator("input[name=password]").fill(data["password"])
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(base + "/")
    for name, path in _facilitator_pages(data):
        failures.append(_too_wide(page, name, base + path))

    failures = [f for f in failures if f]
    assert not failures, "pages wider than 360 px or with squeezed text:\n" + "\n".join(failures)


def _is_open(page):
    return page.locator("#navmenu").evaluate("menu => menu.open")


def test_facilitator_header_is_one_row_with_a_menu_on_a_phone(live_server,
                                                               facilitator_account, new_page):
    phone = new_page(PHONE)
    log_in(phone, live_server, facilitator_account)
    header = phone.locator(".topbar")
    menu = phone.locator("#navmenu > summary")
    expect(menu).to_have_text("Menu")
    # One row: no taller than one 44 px touch target plus the bar's padding, with the
    # brand, "Menu" and the languages side by side.
    assert header.bounding_box()["height"] <= 60
    rows = {round(phone.locator(sel).bounding_box()["y"] / 10)
            for sel in (".brand", "#navmenu > summary", ".langswitch")}
    assert len(rows) == 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    expect(phone.get_by_role("link", name="Organisations")).to_be_hidden()
    assert not _is_open(phone)
    menu.click()
    assert _is_open(phone)
    link = phone.get_by_role("link", name="Organisations")
    expect(link).to_be_visible()
    box = link.bounding_box()
    assert box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= 360
    link.click()
    phone.wait_for_url(live_server.url + "/organisations")
    # The keyboard: Enter opens it, Escape closes it and gives focus back to "Menu";
    # a tap outside closes it too.
    menu.focus()
    phone.keyboard.press("Enter")
    expect(phone.get_by_role("link", name="Password")).to_be_visible()
    phone.keyboard.press("Escape")
    expect(phone.get_by_role("link", name="Password")).to_be_hidden()
    expect(menu).to_be_focused()
    menu.click()
    phone.mouse.click(180, 700)  # below the open menu
    expect(phone.get_by_role("link", name="Password")).to_be_hidden()
    menu.click()
    phone.get_by_role("button", name="Log out").click()
    phone.wait_for_url(f"{live_server.url}/login**")

    laptop = new_page(LAPTOP)
    log_in(laptop, live_server, facilitator_account)
    expect(laptop.locator("#navmenu > summary")).to_be_hidden()
    for name in ("Plans", "Organisations", "Password"):
        expect(laptop.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(laptop.get_by_role("button", name="Log out")).to_be_visible()
    assert laptop.locator(".topbar").bounding_box()["height"] <= 70
