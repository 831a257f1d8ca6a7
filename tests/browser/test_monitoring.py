"""A plan owner adds an indicator to a goal, enters measurements and sees the status and
chart change; the public link shows it, and stops working once switched off."""

import datetime as dt
from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.browser.conftest import LAPTOP, PHONE, log_in


def test_indicator_measurements_status_and_public_link(live_server, facilitator_account,
                                                       new_page):
    live_server.flask("koers", "demo")
    page = new_page(LAPTOP)
    log_in(page, live_server, facilitator_account)
    page.get_by_role("link", name="Strategisch plan 2027–2032").click()
    page.get_by_role("link", name="Progress").click()
    expect(page.get_by_role("heading", name="Progress", exact=True)).to_be_visible()
    page.get_by_role("link", name="Add an indicator").first.click()

    today = dt.date.today()
    start = today.replace(year=today.year - 1)
    target = today.replace(year=today.year + 1)
    page.get_by_label("Name").fill("Begeleide starters")
    page.get_by_label("Unit").fill("starters")
    page.get_by_label("Baseline value").fill("0")
    page.get_by_label("Baseline date").fill(start.isoformat())
    page.get_by_label("Target value").fill("100")
    page.get_by_label("Target date").fill(target.isoformat())
    page.get_by_label("Measured").select_option("quarterly")
    page.get_by_role("button", name="Add indicator").click()
    expect(page.get_by_text("No measurements yet.")).to_be_visible()
    expect(page.locator(".status-line")).to_contain_text("No data yet")

    # Halfway in time, 20 of 100: 30 points behind the path → off track.
    page.get_by_label("Date").fill(today.isoformat())
    page.get_by_label("Value").fill("20")
    page.get_by_role("button", name="Save measurement").click()
    expect(page.locator(".status-line")).to_contain_text("Off track")
    expect(page.locator(".chart-point")).to_have_count(1)
    # A correction, earlier in the year and a better one now: on track.
    page.get_by_label("Date").fill((today - dt.timedelta(days=90)).isoformat())
    page.get_by_label("Value").fill("30")
    page.get_by_role("button", name="Save measurement").click()
    page.get_by_role("link", name="Change").first.click()
    page.locator("input[name=value]").last.fill("52")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".status-line")).to_contain_text("On track")
    expect(page.locator(".chart-point")).to_have_count(2)
    expect(page.locator("polyline.chart-line")).to_have_count(1)
    page.get_by_text("The same as a table").click()
    expect(page.locator(".chart-table td", has_text="52")).to_be_visible()
    expect(page.get_by_text("changed:")).to_be_visible()

    # The public link, on a phone without an account.
    page.get_by_role("link", name="Progress").first.click()
    # The link shows the address phones use (PUBLIC_URL or the LAN address); the test
    # server listens on 127.0.0.1, so the phone opens the same path there.
    def public_url():
        return live_server.url + urlsplit(page.locator("#public-url").input_value()).path

    old_url = public_url()  # the demo made one already
    page.get_by_role("button", name="Replace the link").click()
    expect(page.get_by_text("the old one no longer works")).to_be_visible()
    url = public_url()
    assert url != old_url and "/p/" in url
    phone = new_page(PHONE)
    phone.goto(url)
    expect(phone.get_by_role("heading", name="Strategisch plan 2027–2032")).to_be_visible()
    starters = phone.locator("article.public-indicator", has_text="Begeleide starters")
    expect(starters).to_contain_text("On track")
    expect(starters.locator("svg")).to_be_visible()
    # Fits the phone: charts scroll inside their frame, the page never sideways.
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    expect(phone.get_by_role("link", name="Add an indicator")).to_have_count(0)
    phone.goto(old_url)
    expect(phone.get_by_text("This link does not work (any more)")).to_be_visible()
    phone.goto(url)

    # The dashboard on a phone-sized window fits too.
    page.set_viewport_size(PHONE)
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size(LAPTOP)
    page.get_by_role("button", name="Switch off").click()
    expect(page.get_by_text("The public progress page is off")).to_be_visible()
    phone.reload()
    expect(phone.get_by_text("This link does not work (any more)")).to_be_visible()
    expect(phone.get_by_text("Begeleide starters")).to_have_count(0)


DESKTOPS = ({"width": 1366, "height": 768}, {"width": 1920, "height": 1080})

# Everything a board member would see wrong on a progress page, as a list of problems.
LAYOUT_PROBLEMS = """() => {
  const problems = [];
  const inside = (a, b) => a.left >= b.left - 0.5 && a.right <= b.right + 0.5;
  const viewport = {left: 0, right: document.documentElement.clientWidth};
  if (document.documentElement.scrollWidth > window.innerWidth)
    problems.push('page scrolls sideways');
  const figures = [...document.querySelectorAll('figure.chart')];
  if (!figures.length) problems.push('no charts');
  for (const figure of figures) {
    const id = figure.getAttribute('aria-labelledby');
    const svg = figure.querySelector('svg').getBoundingClientRect();
    const column = figure.parentElement.getBoundingClientRect();
    if (!inside(svg, column)) problems.push(`${id}: chart outside its column`);
    if (!inside(svg, viewport)) problems.push(`${id}: chart outside the viewport`);
    if (figure.scrollWidth > figure.clientWidth + 1) problems.push(`${id}: chart scrolls`);
    const target = figure.querySelector('.chart-target');
    if (target) {
      const box = target.getBoundingClientRect();
      if (!box.width || !inside(box, svg) || !inside(box, viewport))
        problems.push(`${id}: target marker hidden`);
    }
  }
  for (const row of document.querySelectorAll('.indicator-row, .public-indicator')) {
    const value = row.querySelector('.latest');
    const badge = row.querySelector('.status-badge').textContent.trim();
    const noData = ['No data yet', 'Nog geen gegevens'].includes(badge);
    if (noData && value && /\\d/.test(value.textContent))
      problems.push(`"${badge}" beside a value: ${value.textContent.trim()}`);
  }
  for (const span of document.querySelectorAll('.nowrap, .value'))
    if (span.getClientRects().length > 1) problems.push(`broken: ${span.textContent}`);
  return problems;
}"""


def test_progress_charts_fit_their_column_at_desktop_sizes(live_server, facilitator_account,
                                                          new_page):
    import re

    output = live_server.flask("koers", "demo").stdout
    public_path = re.search(r"/p/[\w-]+", output).group(0)
    page = new_page(LAPTOP)
    log_in(page, live_server, facilitator_account)
    # A measured indicator without a target: it has a value but no status.
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Strategisch plan 2027–2032").click()
    page.get_by_role("link", name="Progress").click()
    page.get_by_role("link", name="Add an indicator").first.click()
    page.get_by_label("Name").fill("Hectare zonder streefwaarde")
    page.get_by_label("Unit").fill("%")
    page.get_by_role("button", name="Add indicator").click()
    page.get_by_label("Date").fill(dt.date.today().isoformat())
    page.get_by_label("Value").fill("80")
    page.get_by_role("button", name="Save measurement").click()
    expect(page.locator(".status-line")).to_contain_text("No target set")
    dashboard = page.url.rsplit("/indicators/", 1)[0] + "/monitor"

    for size in DESKTOPS:
        page.set_viewport_size(size)
        for lang in ("en", "nl"):
            page.goto(f"{live_server.url}/language/{lang}")
            page.goto(live_server.url + public_path)
            expect(page.locator("figure.chart").first).to_be_visible()
            assert page.evaluate(LAYOUT_PROBLEMS) == [], (size, lang, "public page")
            # The page uses the width: the content column is wider than a phone's.
            width = page.locator(".public-progress").bounding_box()["width"]
            assert width >= min(size["width"] * 0.75, 1200), width
            page.goto(dashboard)
            for summary in page.locator("details.inline-chart > summary").all():
                summary.click()
            assert page.evaluate(LAYOUT_PROBLEMS) == [], (size, lang, "dashboard")
