"""The scripts as Chromium runs them: native ES modules under the real
Content-Security-Policy (new_page fails a test on any violation), and the one outbox.

Every page with a script loads it with type=module, only the vendored Socket.IO bundle as a
classic script, and nothing lands in the console as an error: a module that does not load,
an import of a name that is not exported, a script that throws. Between them the pages run
every file of static/js/. tests/core/test_scripts.py checks the same shape in the files.
"""

import json
import re
import subprocess

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import BIN, LAPTOP, PHONE, ROOT, log_in

# The demo's pages that carry scripts, as paths (run in the server's environment).
PATHS = """
import json
from flask import url_for
from sqlalchemy import select
from wsgi import app
from workshop.extensions import db
from workshop.live.models import Step, Workshop
from workshop.review.models import ReviewRound

with app.test_request_context():
    live = db.session.scalars(select(Workshop).filter_by(title="Ambities per werkdomein")).one()
    done = db.session.scalars(select(Workshop).filter_by(
        title="Sessie 1: ambities (afgerond)")).one()
    vote = db.session.scalars(select(Step).filter_by(workshop_id=done.id, kind="vote")).one()
    review = db.session.scalars(select(ReviewRound).where(
        ReviewRound.shared_nonce.is_not(None))).first()
    plan = live.plan_id
    print(json.dumps({
        "code": live.code,
        "staff": {
            "plans": url_for("plans.index"),
            "plan": url_for("plans.show", plan_id=plan),
            "tree": url_for("tree.editor", plan_id=plan),
            "document": url_for("tree.document", plan_id=plan),
            "workshop": url_for("live.workshop", workshop_id=live.id),
            "new step": url_for("live.new_step", workshop_id=live.id),
            "promote": url_for("tree.promote_step", workshop_id=done.id, step_id=vote.id),
            "console": url_for("live.console", workshop_id=live.id),
            "presenter": url_for("live.presenter", workshop_id=live.id),
            "review": url_for("review.round_page", plan_id=plan, round_id=review.id),
        },
    }))
"""

# What the page's scripts are, and which static/js files it fetched.
SCRIPTS = """() => ({
  classic: Array.from(document.scripts).filter(s => s.src && s.type !== "module")
    .map(s => s.src),
  modules: Array.from(document.scripts).filter(s => s.type === "module").map(s => s.src),
  fetched: performance.getEntriesByType("resource").map(e => e.name)
    .filter(name => name.includes("/static/js/")),
})"""


def _demo(server):
    result = server.flask("koers", "demo")
    token = re.search(r"/r/([\w-]+)", result.stdout).group(1)
    out = subprocess.run([str(BIN / "python"), "-c", PATHS], cwd=ROOT, env=server.env,
                         check=True, capture_output=True, text=True, timeout=120)
    paths = json.loads(out.stdout.strip().splitlines()[-1])
    paths["stakeholder"] = f"/r/{token}"
    return paths


class Watched:
    """A page whose console errors and uncaught exceptions are kept."""

    def __init__(self, page):
        self.page = page
        self.errors = []
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))

    def goto(self, url, name):
        """Open `url`; by its load event its modules have run (or failed, and said so)."""
        self.page.goto(url)
        assert self.errors == [], f"{name}: {self.errors}"

    def check(self, name, fetched):
        page = self.page
        page.wait_for_load_state("networkidle")
        scripts = page.evaluate(SCRIPTS)
        assert scripts["modules"], f"{name}: no module script"
        assert all(re.search(r"/static/js/[0-9a-f]{12}/[\w-]+\.js$", src)
                   for src in scripts["modules"]), scripts["modules"]
        assert all("/static/vendor/socket.io-" in src for src in scripts["classic"]), (
            f"{name}: classic scripts {scripts['classic']}")
        assert self.errors == [], f"{name}: {self.errors}"
        fetched.update(url.rsplit("/", 1)[1].split("?")[0] for url in scripts["fetched"])


def test_every_page_runs_its_scripts_as_modules_without_errors(live_server,
                                                               facilitator_account, new_page):
    paths = _demo(live_server)
    fetched = set()
    staff = new_page(LAPTOP)
    log_in(staff, live_server, facilitator_account)
    staff.context.grant_permissions(["clipboard-read", "clipboard-write"])
    for name, path in paths["staff"].items():
        page = Watched(staff.context.new_page())
        page.goto(live_server.url + path, name)
        if name == "console":  # the live connection is up and the agenda drawn
            expect(page.page.locator("#presence")).to_contain_text("Connected")
            expect(page.page.locator("#agenda li").first).to_be_visible()
        if name == "presenter":  # the lobby is drawn by presenter.js
            expect(page.page.locator(".lobby-code")).to_have_text(paths["code"])
        if name == "review":  # review.js handles the copy buttons: the link is selected
            page.page.locator("[data-copy=shared-url]").click()
            assert page.page.evaluate("""() => {
              const input = document.getElementById("shared-url");
              return input.value.length > 0 && input.selectionStart === 0 &&
                input.selectionEnd === input.value.length;
            }""")
        page.check(name, fetched)
        page.page.close()

    phone = Watched(new_page(PHONE))
    phone.goto(live_server.url + paths["stakeholder"], "stakeholder")
    phone.check("stakeholder", fetched)
    phone.goto(f"{live_server.url}/j/{paths['code']}", "join")
    phone.check("join", fetched)
    phone.page.get_by_label("Your name").fill("Piet")
    phone.page.get_by_text("Medewerkers", exact=True).click()
    phone.page.get_by_role("button", name="Join").click()
    expect(phone.page.get_by_text("Welcome! The facilitator will start in a moment.")
           ).to_be_visible()
    phone.check("participant", fetched)

    assert fetched == {path.name for path in (ROOT / "static/js").glob("*.js")}


# -- outbox.js, against a stand-in for the connection -------------------------------------

ORIGIN = "http://koers.test"

# live: the connection as outbox.js sees it; each send waits until the test answers it.
FAKE_LIVE = """async () => {
  window.outboxModule = await import("/static/js/outbox.js");
  window.sent = []; window.answers = []; window.changes = 0;
  window.live = {
    state: { connected: true },
    send: (event, payload) => new Promise((resolve, reject) => {
      window.sent.push({ event, payload, resolve, reject });
    }),
  };
  window.make = (opts) => outboxModule.createOutbox(live, Object.assign({
    onAnswer: (item, ack) => answers.push([item.event, ack.ok]),
    onChange: () => { window.changes += 1; },
  }, opts));
}"""


@pytest.fixture
def outbox_page(new_page):
    page = new_page()

    def serve(route):
        path = route.request.url[len(ORIGIN):].split("?")[0]
        if path.startswith("/static/js/"):
            route.fulfill(path=str(ROOT / path.lstrip("/")), content_type="text/javascript")
        else:
            route.fulfill(body="<!doctype html><title>outbox</title>", content_type="text/html")

    page.route(ORIGIN + "/**", serve)
    page.goto(ORIGIN + "/")
    page.evaluate(FAKE_LIVE)
    return page


def sent(page):
    return page.evaluate("sent.map(s => [s.event, s.payload.cid, s.payload.n])")


def test_the_phone_outbox_sends_one_write_at_a_time_and_keeps_them_on_the_phone(outbox_page):
    page = outbox_page
    page.evaluate("""() => {
      window.box = make({ key: "koers:outbox:test", inOrder: true });
      box.add("add_dot", { n: 1 }); box.add("add_dot", { n: 2 });
    }""")
    first = sent(page)
    assert [(event, n) for event, _cid, n in first] == [("add_dot", 1)]
    stored = page.evaluate("JSON.parse(localStorage.getItem('koers:outbox:test'))")
    assert [item["payload"]["n"] for item in stored] == [1, 2]
    assert stored[0]["payload"]["cid"] == first[0][1] != stored[1]["payload"]["cid"]

    page.evaluate("sent[0].resolve({ ok: true })")  # answered: the next one goes
    page.wait_for_function("sent.length === 2")
    assert sent(page)[1][1:] == [stored[1]["payload"]["cid"], 2]
    page.evaluate("sent[1].reject(new Error('timeout'))")  # unanswered: it stays
    page.wait_for_function("changes === 4")
    assert page.evaluate("box.items().length") == 1
    page.evaluate("box.flush()")  # e.g. after the reconnect: the same write, the same cid
    assert sent(page)[2][1:] == [stored[1]["payload"]["cid"], 2]
    page.evaluate("sent[2].resolve({ ok: false })")  # a refusal is an answer too
    page.wait_for_function("answers.length === 2")
    assert page.evaluate("answers") == [["add_dot", True], ["add_dot", False]]
    assert page.evaluate("localStorage.getItem('koers:outbox:test')") is None


def test_the_console_outbox_sends_at_once_and_again_only_what_went_unanswered(outbox_page):
    page = outbox_page
    page.evaluate("""() => {
      live.state.connected = false;
      window.box = make({});
      box.add("pause_step", { n: 1 }); box.add("close_step", { n: 2 });
    }""")
    assert sent(page) == []  # offline: nothing goes out, nothing is lost
    page.evaluate("live.state.connected = true; box.flush(); box.flush();")
    first = sent(page)
    assert [(event, n) for event, _cid, n in first] == [("pause_step", 1), ("close_step", 2)]
    page.evaluate("sent[0].reject(new Error('disconnected')); sent[1].resolve({ ok: true })")
    page.wait_for_function("answers.length === 1")
    page.evaluate("box.flush()")
    # Sent again: only the unanswered one, once, with its cid.
    assert sent(page)[2:] == [first[0]]
    assert page.evaluate("box.items().map(item => item.payload.n)") == [1]
    assert page.evaluate("localStorage.length") == 0  # the console keeps it in memory
