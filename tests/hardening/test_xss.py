"""XSS sweep: script payloads in every text field the app stores, every page in Chromium.

tests/hardening/xss_seed.py fills each field (plan, domains, workshop, steps, groups,
proposals, participant and facilitator names, tree items, goals' notes and owners,
indicators, measurements, review round, personal links, stakeholder comments and replies)
with payloads that call window.__xss(K). The page list comes from app.url_map (every GET
rule), so a new page is visited or must be excluded here with a reason. Asserts: 0 calls
of __xss and 0 dialogs, no element carrying an injected event handler, and on the main
pages the payload text shown literally (escaped, not dropped).
"""

import json
import re
import subprocess

import pytest
from playwright.sync_api import expect

from tests.browser import conftest as harness
from tests.browser.conftest import BIN, LAPTOP, ROOT

pytestmark = pytest.mark.browser
# The browser tests' fixtures (a real server, Chromium, pages), here too.
# (`browser` lives in tests/conftest.py: one Chromium per test process.)
live_server, new_page = harness.live_server, harness.new_page

MARKER = """
window.__xssHits = [];
window.__xss = (k) => { window.__xssHits.push(k); };
"""
# Elements an injected tag or attribute breaker would have made.
INJECTED = """() => [...document.querySelectorAll(
  '[onerror],[onload],[onmouseover],img[src="x"],svg[onload]')]
  .map(el => el.outerHTML.slice(0, 80))"""

# GET rules not visited as pages, and why.
EXCLUDED = {
    "privacy.logo": "an image (PNG or JPEG decoded by Pillow), never HTML: served with its "
                    "own type and nosniff (tests/orgs/test_privacy.py)",
    "orgs.audit_csv": "a CSV download, never rendered as a page (its cells are made "
                      "formula-safe: tests/orgs/test_audit.py)",
    "static": "the app's own files (CSS, JS, images), no stored text",
    "pages.healthz": "a plain-text health check, no stored text",
    "i18n.switch_language": "a redirect that sets the language cookie",
    "accounts.setup": "only before the first account exists; redirects afterwards",
    "export.download": "downloads (docx, pdf, md, xlsx, csv, json), never rendered as a "
                       "page: checked below to be served as attachments, not HTML; the "
                       "print view is /plans/<id>/document",
}
PUBLIC = {"join.enter_code", "join.join", "join.qr_code", "join.participate",
          "stakeholder.page", "progress_page.page", "accounts.login"}
# Main pages: the payload must be visible as text (what the user typed, escaped).
LITERAL = {"plans.show", "tree.document", "tree.item", "monitor.indicator", "live.console",
           "live.presenter", "join.participate", "stakeholder.page", "progress_page.page",
           "review.round_page", "live.workshop", "monitor.dashboard"}
# The live screens draw after their socket snapshot: wait for it.
LIVE = {"live.console": "#live-heading", "live.presenter": "main",
        "join.participate": "#stage"}


# Text columns that hold no user-typed text: names of states and kinds, hashes, tokens,
# ids of connections, colours, migration and install bookkeeping.
NOT_TYPED = {
    "alembic_version.version_num", "facilitators.password_hash", "install_markers.key",
    "plans.status", "domains.colour", "event_receipts.actor", "event_receipts.client_id",
    "event_receipts.result", "workshops.code", "workshops.status", "participants.token_hash",
    "live_connections.sid", "live_connections.role", "live_connections.process",
    "live_connections.login_key", "votes.method", "item_changes.action", "item_changes.field",
    "plan_versions.status", "plan_items.level", "item_sources.field", "proposals.item_kind",
    "proposals.status", "proposals.status_before_merge", "review_rounds.timezone",
    "review_rounds.domain_ids", "review_rounds.levels", "review_rounds.shared_nonce",
    "review_rounds.shared_token_hash", "review_links.nonce", "review_links.token_hash",
    "reviewers.browser_token_hash", "review_comments.reaction", "review_comments.disposition",
    "monitor_settings.public_nonce", "monitor_settings.public_token_hash",
    "indicators.direction", "indicators.frequency", "measurement_changes.action",
    "steps.kind", "steps.item_kind", "steps.state", "steps.vote_method", "steps.reveal",
    "memberships.role", "plan_members.role", "invitations.role", "invitations.nonce",
    "invitations.token_hash", "audit_entries.action", "organisations.colour",
    "organisations.logo_type",
}


def _fields_without_payload(server):
    """Every text column of the server's database holding no payload in any row."""
    import sqlite3

    database = server.env["DATABASE_URL"].removeprefix("sqlite:///")
    missing = []
    with sqlite3.connect(database) as connection:
        tables = [t for (t,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            for column in connection.execute(f"PRAGMA table_info('{table}')").fetchall():
                name, kind = column[1], column[2].upper()
                if not any(word in kind for word in ("CHAR", "TEXT", "JSON", "CLOB")):
                    continue
                if f"{table}.{name}" in NOT_TYPED:
                    continue
                (found,) = connection.execute(  # names from the schema itself
                    f'SELECT count(*) FROM "{table}" WHERE instr("{name}", ?) > 0',  # noqa: S608
                    ("__xss(",)).fetchone()
                if not found:
                    missing.append(f"{table}.{name}")
    return missing


def _seed(server):
    done = subprocess.run([str(BIN / "python"), "-m", "tests.hardening.xss_seed"], cwd=ROOT,
                          env=server.env, check=True, capture_output=True, text=True,
                          timeout=120)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _urls(d):
    """(endpoint, path) for every GET rule, with each variant worth seeing."""
    values = {
        "plan_id": [d["plan"]], "domain_id": [d["domain"]], "workshop_id": [d["workshop"]],
        "item_id": [d["item"], d["operational"]], "indicator_id": [d["indicator"]],
        "round_id": [d["round"]],
        "step_id": [d["info_step"], d["collect_step"], d["vote_step"]],
        "organisation_id": [d["organisation"]],
    }
    tokens = {"stakeholder.page": d["review_token"], "progress_page.page": d["progress_token"],
              "orgs.invitation": d["invite_token"]}
    queries = {"tree.document": ["", "?version=1"], "live.new_step": [
        "?kind=info", "?kind=collect", "?kind=vote"],
        "monitor.new_indicator": [f"?goal={d['item']}"]}
    urls, unmapped = [], []
    for rule in d["rules"]:
        endpoint = rule["endpoint"]
        if endpoint in EXCLUDED:
            continue
        paths = [rule["rule"]]
        for name in rule["arguments"]:
            if name == "code":
                options = [d["code"]]
            elif name == "token" and endpoint in tokens:
                options = [tokens[endpoint]]
            elif name in values:
                options = values[name]
            else:
                unmapped.append(f"{rule['rule']} ({name})")
                options = []
            pattern = re.compile(r"<(?:\w+:)?" + name + ">")
            paths = [pattern.sub(str(v), p) for p in paths for v in options]
        if endpoint == "tree.promote_step":
            paths = [p for p in paths if p.endswith(f"/{d['vote_step']}/promote")]
        for path in paths:
            urls.extend((endpoint, path + q) for q in queries.get(endpoint, [""]))
    assert unmapped == [], "GET rules the sweep cannot visit: map or exclude them"
    return urls


def _visit(page, base, endpoint, path, problems, shown):
    response = page.goto(base + path)
    assert response is not None and response.status < 400, f"{path}: {response.status}"
    if endpoint in LIVE:
        expect(page.locator(LIVE[endpoint])).to_contain_text("__xss(", timeout=10_000)
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    page.wait_for_timeout(50)  # an onload or onerror fires right after insertion
    hits = page.evaluate("window.__xssHits")
    injected = page.evaluate(INJECTED)
    if hits or injected:
        problems.append(f"{path}: __xss{sorted(set(hits))} {injected[:3]}")
    if endpoint in LITERAL:
        text = page.locator("body").inner_text()
        shown[path] = "onerror=__xss(" in text or "onload=__xss(" in text
        shown[path + " {{7*7}}"] = "{{7*7}}" in text


def test_no_payload_in_any_stored_field_runs_on_any_page(live_server, new_page):
    data = _seed(live_server)
    # Every field a person can type into holds a payload (a new column must be seeded
    # or named in NOT_TYPED).
    assert _fields_without_payload(live_server) == []
    base = live_server.url
    urls = _urls(data)
    problems, shown, dialogs = [], {}, []

    def page_for(locale="en"):
        page = new_page(LAPTOP, locale=locale)
        page.context.add_init_script(MARKER)
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        return page

    # A phone that joins under a payload name, then the public pages.
    phone = page_for()
    phone.goto(f"{base}/j/{data['code']}")
    phone.locator("#display_name").fill('<img src=x onerror=__xss(902)>')
    phone.locator(".choice").first.click()
    phone.locator("form button[type=submit]").click()
    phone.wait_for_url(f"{base}/w/{data['code']}")
    for endpoint, path in urls:
        if endpoint in PUBLIC:
            _visit(phone, base, endpoint, path, problems, shown)

    staff = page_for()
    staff.goto(base + "/login")
    staff.locator("input[name=email]").fill(data["email"])
    staff.locator("input[name=password]").fill(data["password"])
    staff.locator("main form button[type=submit]").click()
    staff.wait_for_url(base + "/")
    for endpoint, path in urls:
        if endpoint not in PUBLIC:
            _visit(staff, base, endpoint, path, problems, shown)

    # Downloads stay downloads: no export is served as a page a browser would run.
    for fmt in ("docx", "pdf", "md", "xlsx", "csv", "json"):
        response = staff.request.get(f"{base}/plans/{data['plan']}/export?format={fmt}")
        assert response.ok, fmt
        assert "html" not in response.headers["content-type"], fmt
        assert "attachment" in response.headers.get("content-disposition", ""), fmt

    fields = {int(k): v for k, v in data["fields"].items()}
    assert problems == [], "payloads ran or made elements:\n" + "\n".join(problems) + (
        f"\nfields: {fields}")
    assert dialogs == []
    assert len(urls) >= 40
    assert sorted(p for p, ok in shown.items() if not ok) == [], "payload text not shown"
