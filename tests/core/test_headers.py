"""Security headers on every response: a strict CSP, no framing, no sniffing, no secret in a
Referer, HSTS over HTTPS; and pages that need nothing the policy refuses."""

import re
from html.parser import HTMLParser

import pytest

from config import TestingConfig
from workshop import create_app

SECRET_PREFIXES = ("/r/", "/p/", "/j/", "/w/", "/language/")


def policy_of(response):
    """The Content-Security-Policy as {directive: [sources]}."""
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request.path}"
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def assert_secure_headers(response, path):
    policy = policy_of(response)
    where = f"{path} ({response.status_code})"
    assert not any("'unsafe-inline'" in s or "'unsafe-eval'" in s for s in policy.values()), where
    assert policy["default-src"] == ["'self'"], where
    assert policy["script-src"] == ["'self'"], where
    assert policy["style-src"][0] == "'self'" and all(
        s.startswith("'nonce-") for s in policy["style-src"][1:]), where
    assert policy["object-src"] == ["'none'"], where
    assert policy["base-uri"] == ["'none'"], where
    assert policy["frame-ancestors"] == ["'none'"], where
    assert policy["form-action"] == ["'self'"], where
    assert response.headers["X-Frame-Options"] == "DENY", where
    assert response.headers["X-Content-Type-Options"] == "nosniff", where
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin", where
    expected = ("no-referrer" if path.startswith(SECRET_PREFIXES) or path == "/j"
                else "strict-origin-when-cross-origin")
    assert response.headers["Referrer-Policy"] == expected, where
    assert "Strict-Transport-Security" not in response.headers, where  # plain http here


class InlineCode(HTMLParser):
    """Collects what a strict policy would refuse in a page."""

    def __init__(self):
        super().__init__()
        self.refused, self.style_nonces = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in attrs:
            if name == "style" or name.startswith("on"):
                self.refused.append(f"<{tag} {name}=…>")
        for name in ("href", "src", "action"):
            if (attrs.get(name) or "").strip().lower().startswith("javascript:"):
                self.refused.append(f"<{tag} {name}=javascript:…>")
        if tag == "script" and "src" not in attrs and attrs.get("type") != "application/json":
            self.refused.append("<script> inline")
        if tag == "style":
            self.style_nonces.append(attrs.get("nonce"))


def assert_page_needs_nothing_refused(response, path):
    parser = InlineCode()
    parser.feed(response.get_data(as_text=True))
    assert parser.refused == [], f"{path}: {parser.refused}"
    allowed = [s.removeprefix("'nonce-").removesuffix("'")
               for s in policy_of(response)["style-src"][1:]]
    for nonce in parser.style_nonces:
        assert nonce and nonce in allowed, f"{path}: a <style> the policy does not allow"


@pytest.fixture
def koers_world(app, logged_in, review_round, make_workshop):
    """One of everything, so that most routes answer 200: a plan with domains, goals and an
    indicator, a public progress link, a review round and a workshop with a step."""
    from workshop.monitor import services as monitor

    room = review_round()
    plan, goal = room["plan"], room["goals"][1]
    workshop = make_workshop(plan=plan, steps=[{
        "kind": "collect", "title": "Ambities", "item_kind": "ambition", "max_length": 200,
        "max_per_participant": 3, "domain_ids": [d.id for d in plan.domains]}])
    monitor.add_indicator(plan, goal.id, {
        "name": "Jobs", "unit": "jobs", "direction": "up", "baseline_value": "10",
        "baseline_date": "2025-01-01", "target_value": "20", "target_date": "2027-01-01",
        "frequency": "quarterly"})
    return {"plan": plan, "token": room["token"], "code": workshop.code,
            "progress": monitor.new_public_link(plan)}


def url_for_rule(rule, world):
    """The rule's address with a plausible value for each of its variables."""
    def value(match):
        converter, name = match.group(1), match.group(2)
        if converter == "int":
            return "1"
        if converter == "path":
            return "css/koers.css"
        if name == "token":
            return world["progress"] if rule.rule.startswith("/p/") else world["token"]
        if name == "code":
            return "nl" if rule.rule.startswith("/language/") else world["code"]
        return "x"

    return re.sub(r"<(?:(\w+):)?(\w+)>", value, rule.rule)


def test_every_route_answers_with_the_security_headers(app, koers_world, logged_in):
    rules = list(app.url_map.iter_rules())
    assert len(rules) > 60  # the whole app, not a handful
    statuses = {}
    for rule in rules:
        path = url_for_rule(rule, koers_world)
        response = logged_in.get(path)
        statuses[path] = response.status_code
        assert_secure_headers(response, path)
        if response.status_code == 200 and response.mimetype == "text/html":
            assert_page_needs_nothing_refused(response, path)
    # The sweep saw real pages, token pages included, not only errors and redirects.
    ok = {p for p, s in statuses.items() if s == 200}
    assert sum(1 for _ in ok) > 25, statuses
    assert {f"/r/{koers_world['token']}", f"/p/{koers_world['progress']}",
            f"/j/{koers_world['code']}", "/plans/1", "/plans/1/tree", "/plans/1/document",
            "/plans/1/monitor"} <= ok, statuses
    assert 405 in statuses.values() and 302 in statuses.values()


def test_pages_with_domain_colours_get_them_from_a_nonced_style_rule(koers_world, logged_in):
    plan = koers_world["plan"]
    colour = plan.domains[0].colour.lower()
    first = logged_in.get(f"/plans/{plan.id}")
    page = first.get_data(as_text=True)
    assert f'class="domain colour-{colour[1:]}"' in page
    nonce = re.search(r'<style nonce="([^"]+)">', page).group(1)
    assert re.search(rf"\.colour-{colour[1:]} {{ --domain: {colour};", page)
    assert f"'nonce-{nonce}'" in first.headers["Content-Security-Policy"]
    again = logged_in.get(f"/plans/{plan.id}").get_data(as_text=True)
    assert f'<style nonce="{nonce}">' not in again  # a fresh nonce per response


def test_a_colour_that_is_not_hex_never_reaches_the_style_sheet(app):
    from workshop.core.headers import colour_class, colour_styles

    with app.test_request_context("/"):
        assert colour_class("red; } body { display: none") == ""
        assert colour_class(None) == "" and colour_class("#a0b1c2\n") == ""
        assert colour_class("#A0b1C2") == "colour-a0b1c2"
        styles = str(colour_styles())
    assert "display" not in styles and ".colour-a0b1c2 { --domain: #a0b1c2;" in styles


def test_static_files_errors_and_json_carry_the_headers(app, client, facilitator):
    app.add_url_rule("/boom", "boom", lambda: 1 / 0)
    answers = {
        "/static/css/koers.css": client.get("/static/css/koers.css"),
        "/static/js/live.js": client.get("/static/js/live.js"),
        "/no-such-page": client.get("/no-such-page"),
        "/boom": client.get("/boom"),
        "/api/join": client.post("/api/join", json={"code": "NOPE00", "name": "Piet"}),
        "/healthz": client.get("/healthz"),
    }
    assert answers["/static/css/koers.css"].status_code == 200
    assert answers["/no-such-page"].status_code == 404
    assert answers["/boom"].status_code == 500
    assert answers["/api/join"].is_json and answers["/api/join"].status_code >= 400
    for path, response in answers.items():
        assert_secure_headers(response, path)


def test_socketio_polling_answers_carry_the_headers_too(client):
    """Socket.IO's polling never reaches Flask (its middleware answers first)."""
    response = client.get("/socket.io/?EIO=4&transport=polling")
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_hsts_only_over_https_and_behind_a_trusted_proxy(tmp_path, client):
    assert "Strict-Transport-Security" not in client.get("/static/css/koers.css").headers
    secure = client.get("/static/css/koers.css", base_url="https://koers.example")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert "wss://koers.example" in policy_of(secure)["connect-src"]

    proxied = create_app(TestingConfig, instance_path=tmp_path / "proxied",
                         SQLALCHEMY_DATABASE_URI="sqlite://", TRUSTED_PROXY_COUNT=1)
    behind = proxied.test_client().get("/static/css/koers.css",
                                       headers={"X-Forwarded-Proto": "https"})
    assert behind.headers["Strict-Transport-Security"] == "max-age=31536000"
    # Socket.IO's own answers too: the proxy fix sits outside its middleware.
    polling = proxied.test_client().get("/socket.io/?EIO=4&transport=polling",
                                        headers={"X-Forwarded-Proto": "https"})
    assert polling.headers["Strict-Transport-Security"] == "max-age=31536000"
    untrusted = client.get("/static/css/koers.css", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in untrusted.headers
