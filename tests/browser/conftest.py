"""Browser-test harness: a real Koers server process and Debian's chromium via Playwright.

The server is started as production runs it (gunicorn, one gevent worker) on a free
port with its own temporary database; Playwright drives /usr/bin/chromium (browser
downloads are impossible here, so Playwright's own browsers are never used).

The server sends its real Content-Security-Policy, and every page made by `new_page`
records each violation of it (the browser's `securitypolicyviolation` events, and its
console's "Content Security Policy" messages): a test whose pages broke the policy fails
at teardown, naming what was refused where.
"""


import pytest

from tests.conftest import CHROMIUM  # noqa: F401  (re-exported to tests)
from tests.live_server import BIN, ROOT, LiveServer  # noqa: F401  (re-exported to tests)

ARTIFACTS = ROOT / "test-artifacts"
LAPTOP = {"width": 1366, "height": 800}
PHONE = {"width": 360, "height": 740}

pytestmark = pytest.mark.browser


@pytest.fixture
def live_server(tmp_path):
    server = LiveServer(tmp_path).start()
    yield server
    server.stop()
    log = server.log.read_text()
    assert "Traceback" not in log, f"the server logged an exception:\n{log}"


# Every document reports each violation of its policy to the test (see new_page).
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (e) {
  window.__koersCspViolation([document.location.href, e.violatedDirective, e.blockedURI,
                              e.sourceFile + ":" + e.lineNumber, e.sample].join(" | "));
});
"""


@pytest.fixture
def new_page(browser, request):
    """Factory: new_page(viewport=LAPTOP, locale='en') -> a page in its own context.
    At teardown, fails the test if any of its pages violated the Content-Security-Policy."""
    contexts = []
    violations = []

    def on_console(message):
        if "Content Security Policy" in message.text:
            violations.append(f"console: {message.text}")

    def make(viewport=LAPTOP, locale="en"):
        context = browser.new_context(
            viewport=viewport, locale=locale, is_mobile=viewport == PHONE,
            has_touch=viewport == PHONE,
        )
        context.set_default_timeout(10_000)
        context.expose_binding("__koersCspViolation",
                               lambda source, text: violations.append(f"event: {text}"))
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        context.on("console", on_console)
        contexts.append(context)
        return context.new_page()

    yield make
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for n, context in enumerate(contexts):
        if failed:
            ARTIFACTS.mkdir(exist_ok=True)
            for m, page in enumerate(context.pages):
                page.screenshot(path=ARTIFACTS / f"{request.node.name}-{n}-{m}.png",
                                full_page=True)
        context.close()
    assert not violations, (f"{len(violations)} Content-Security-Policy violations:\n"
                            + "\n".join(violations[:20]))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


PASSWORD = "correct horse battery"


@pytest.fixture
def facilitator_account(live_server):
    live_server.flask("koers", "create-facilitator", "--email", "anna@example.org",
                      "--name", "Anna", "--password", PASSWORD)
    return {"email": "anna@example.org", "password": PASSWORD}


def log_in(page, server, account):
    page.goto(server.url + "/login")
    page.get_by_label("E-mail address").fill(account["email"])
    page.get_by_label("Password").fill(account["password"])
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(server.url + "/")
