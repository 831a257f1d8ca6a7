"""What a phone downloads from the join link to a usable ballot, and again on a second visit.

Venue Wi-Fi is slow and shared: UI.md allows the participant page, join link to vote screen,
60 KB transferred (compressed), and static files must come from the phone's cache after that.
"""

import re
import subprocess

from playwright.sync_api import expect

from tests.browser.conftest import BIN, PHONE, ROOT

BUDGET = 60 * 1024

# A workshop whose live step is a dot vote on three proposals (made with the services, so the
# phone's first request is the join link and nothing before it is counted).
SETUP = """
from wsgi import app
from workshop.realtime.executor import run_once
from workshop.demo import services as demo
from workshop.extensions import db
from workshop.live import agenda, participation, running, workshops

with app.app_context():
    plan = demo.load_demo().plan
    workshop = workshops.create_workshop(plan, {"title": "Stemronde",
                                                "groups": ["Medewerkers", "Externe"]})
    domains = [d.id for d in plan.domains]
    collect = agenda.add_step(workshop, {"kind": "collect", "title": "Ideeën",
                                         "item_kind": "ambition", "max_length": 200,
                                         "max_per_participant": 4, "domain_ids": domains})
    run_once("test", None, lambda: running.start_step(workshop, collect.id))
    author = participation.join(workshop, "Auteur", workshop.groups[0].id)[0]
    for n, text in enumerate(["Meer ruimte", "Zuinig ruimtegebruik", "Slimme hubs"]):
        run_once("test", None, lambda n=n, t=text: participation.submit_proposal(
            author, collect.id, domains[n % 2], t))
    vote = agenda.add_step(workshop, {"kind": "vote", "title": "Wat weegt het zwaarst?",
                                      "source_step_id": collect.id, "vote_method": "dots",
                                      "dot_budget": 3, "max_per_item": 2, "domain_ids": domains})
    run_once("test", None, lambda: running.start_step(workshop, vote.id))
    print(workshop.code)
"""


def _workshop_with_a_live_dot_vote(server):
    result = subprocess.run([str(BIN / "python"), "-c", SETUP], cwd=ROOT, env=server.env,
                            check=True, capture_output=True, text=True, timeout=120)
    return result.stdout.split()[-1]


class NetworkMeter:
    """Bytes that really crossed the network, as Chromium counts them (headers included),
    Socket.IO's WebSocket frames too; and which static files were fetched, not cached."""

    def __init__(self, page):
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.urls = {}
        self.requests = 0
        self.cached = set()
        self.http_bytes = 0
        self.frame_bytes = 0
        self.cdp.on("Network.requestWillBeSent", self._sent)
        self.cdp.on("Network.requestServedFromCache", self._from_cache)
        self.cdp.on("Network.responseReceived", self._received)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.webSocketCreated", self._socket)
        self.cdp.on("Network.webSocketHandshakeResponseReceived", self._handshake)
        self.cdp.on("Network.webSocketFrameReceived", self._frame)
        self.cdp.on("Network.webSocketFrameSent", self._frame)

    def _sent(self, event):
        self.urls[event["requestId"]] = event["request"]["url"]
        self.requests += 1

    def _from_cache(self, event):
        self.cached.add(event["requestId"])

    def _received(self, event):
        response = event["response"]
        if response.get("fromDiskCache") or response.get("fromMemoryCache"):
            self.cached.add(event["requestId"])

    def _finished(self, event):
        self.http_bytes += event["encodedDataLength"]

    def _socket(self, event):
        self.urls[event["requestId"]] = event["url"]
        self.requests += 1

    def _handshake(self, event):
        response = event["response"]
        headers = response.get("headersText") or "".join(
            f"{name}: {value}\r\n" for name, value in response["headers"].items())
        self.frame_bytes += len(headers.encode())

    def _frame(self, event):
        self.frame_bytes += len(event["response"]["payloadData"].encode())

    @property
    def total(self):
        return self.http_bytes + self.frame_bytes

    def static_fetched(self):
        return sorted(url for rid, url in self.urls.items()
                      if "/static/" in url and rid not in self.cached)

    def static_requested(self):
        return sorted(url for url in self.urls.values() if "/static/" in url)


def test_a_phone_reaches_a_usable_ballot_within_60_kb_then_uses_its_cache(live_server,
                                                                          new_page):
    code = _workshop_with_a_live_dot_vote(live_server)
    phone = new_page(PHONE)
    meter = NetworkMeter(phone)
    phone.goto(f"{live_server.url}/j/{code}")
    phone.get_by_label("Your name").fill("Piet")
    phone.get_by_text("Medewerkers", exact=True).click()
    phone.get_by_role("button", name="Join").click()
    expect(phone).to_have_url(re.compile(r"/w/"))
    dot = phone.get_by_role("button", name="Put a dot on: Meer ruimte")
    expect(dot).to_be_enabled()
    expect(phone.get_by_text("Dots left: 3 of 3")).to_be_visible()
    phone.wait_for_load_state("networkidle")
    first_visit = meter.total
    requests = meter.requests
    print(f"join link to usable ballot: {first_visit} bytes ({meter.http_bytes} HTTP, "
          f"{meter.frame_bytes} WebSocket) in {requests} requests")
    assert first_visit <= BUDGET, (
        f"{first_visit} bytes transferred, over the {BUDGET} budget: {sorted(meter.urls.values())}")
    # Every static URL carries its content hash, so it can be cached for good: a file's own
    # (?v=), or for the scripts, which import each other, the version they share in the path.
    assert meter.static_requested()
    assert all(re.search(r"[?&]v=[0-9a-f]{8,}|/static/js/[0-9a-f]{12}/", url)
               for url in meter.static_requested())

    # A second visit (the phone comes back to the page later): every static file from the cache.
    meter.urls.clear()
    phone.goto(phone.url)
    expect(phone.get_by_role("button", name="Put a dot on: Meer ruimte")).to_be_enabled()
    assert meter.static_requested()
    assert meter.static_fetched() == [], f"fetched again: {meter.static_fetched()}"
    dot.click()
    expect(phone.get_by_text("Dots left: 2 of 3")).to_be_visible()
