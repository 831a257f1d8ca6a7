"""With the Content-Security-Policy on, pages still look and work as before, and no other
site can put Koers in a frame. (Every browser test also fails on any CSP violation: see
conftest.new_page.)"""

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from playwright.sync_api import expect

from tests.browser.conftest import LAPTOP, log_in

# The demo plan's first two work domains (workshop/demo/services.py).
FIRST, SECOND = "rgb(31, 95, 139)", "rgb(181, 84, 28)"  # #1f5f8b, #b5541c


def test_domain_colours_bars_and_print_work_under_the_policy(live_server, facilitator_account,
                                                            new_page):
    live_server.flask("koers", "demo")
    page = new_page(LAPTOP)
    log_in(page, live_server, facilitator_account)

    # Server-rendered colours: classes with a nonced rule, not style= attributes.
    page.goto(live_server.url + "/plans/1")
    swatches = page.locator(".domain .swatch")
    expect(swatches.nth(0)).to_have_css("background-color", FIRST)
    expect(swatches.nth(1)).to_have_css("background-color", SECOND)
    page.goto(live_server.url + "/plans/1/tree")
    expect(page.locator(".tree-domain").first).to_have_css("border-top-color", FIRST)

    # Script-rendered colours and bar lengths (the finished demo workshop's results).
    page.goto(live_server.url + "/workshops/2/console")
    results = page.locator(".result-domain")
    expect(results.nth(0)).to_have_css("border-top-color", FIRST)
    expect(results.nth(1)).to_have_css("border-top-color", SECOND)
    top = results.nth(0).locator(".bar.total .bar-fill").first
    expect(top).to_have_css("background-color", FIRST)
    track = results.nth(0).locator(".bar.total").first.bounding_box()["width"]
    assert top.bounding_box()["width"] > 0.9 * track  # the leader fills its bar

    # The print button works without an inline onclick.
    page.goto(live_server.url + "/plans/1/document")
    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.printed === true")


@contextmanager
def attacker_site(html):
    """Another origin on this machine (another port: another origin, the same site, so the
    browser even sends Koers's SameSite=Lax cookie into the frame) serving `html`."""
    class Page(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(html.encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_another_site_cannot_frame_the_console(live_server, facilitator_account, browser):
    """Clickjacking: a page elsewhere shows Koers's console in a frame, under a lure."""
    live_server.flask("koers", "demo")
    # Its own context, outside new_page: the refused frame is a violation by design.
    context = browser.new_context(viewport=LAPTOP)
    try:
        page = context.new_page()
        log_in(page, live_server, facilitator_account)
        console = live_server.url + "/workshops/1/console"
        with attacker_site(f'<h1>Win a prize</h1><iframe src="{console}" width="1200" '
                           'height="700"></iframe>') as url:
            page.goto(url)
            expect(page.locator("h1")).to_have_text("Win a prize")
            page.wait_for_load_state("load")  # waits for the frame too, refused or not
            (framed,) = [f for f in page.frames if f != page.main_frame]
            # Refused: Chromium puts its own error page in the frame, nothing of Koers's.
            assert "Finish workshop" not in framed.content(), framed.url
            assert framed.locator("button, form, a").count() == 0, framed.url
    finally:
        context.close()
