"""The order and the coalescing production depends on, seen on a real gevent server.

The event tests use Flask-SocketIO's test client, where the order of two clients'
messages cannot be observed. Here a gunicorn gevent worker (as `make run` starts it)
serves a console, a presenter and 30 phones casting 10 dots each: every acknowledgement
comes before the broadcast its change caused, and however fast the votes arrive the
presenter is sent a full tally at most every 0.1 s and the phones at most every 0.3 s,
the last one counting every dot.
"""

import asyncio
import json
import sys
import threading
import time

from bench.client import SioClient, http_post_json
from tests.live_server import ROOT, LiveServer

PHONES = 30
DOTS_EACH = 10


def _run_in_own_thread(coroutine_function):
    """asyncio.run in a thread of its own: Playwright's sync tests may leave an event
    loop running in this one (same xdist worker)."""
    failures = []

    def run():
        try:
            asyncio.run(coroutine_function())
        except BaseException as error:  # handed to the test below
            failures.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(120)
    assert not thread.is_alive(), "the scenario did not finish in 120 s"
    if failures:
        raise failures[0]


class Recorder:
    """A client that notes each acknowledgement and event in arrival order, with times."""

    def __init__(self, server, auth, cookie=None):
        self.log = []  # (kind, name or ack id, arrival time, payload)
        self.client = SioClient(server.url, auth, cookie=cookie)
        handle = self.client._handle

        def noting(message):
            now = time.perf_counter()
            if message.startswith("43"):
                digits = "".join(c for c in message[2:12] if c.isdigit())
                self.log.append(("ack", int(digits), now, None))
            elif message.startswith("42"):
                name, payload = json.loads(message[2:])[:2]
                self.log.append(("event", name, now, payload))
            handle(message)

        self.client._handle = noting

    def times(self, name):
        return [at for kind, what, at, _ in self.log if kind == "event" and what == name]

    def last(self, name):
        return [p for kind, what, _, p in self.log if kind == "event" and what == name][-1]


def _setup(server):
    import subprocess

    out = subprocess.run([sys.executable, "-m", "bench.setup_data"], cwd=ROOT,
                         env=server.env, check=True, capture_output=True, text=True,
                         timeout=60).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_acks_before_broadcasts_and_coalesced_tallies(tmp_path):
    server = LiveServer(tmp_path).start()
    try:
        setup = _setup(server)
        cookie = f"session={setup['session_cookie']}"
        workshop, step = setup["workshop_id"], setup["step_id"]
        proposals = [p for items in setup["proposals"].values() for p in items]
        result = {}

        async def scenario():
            console = Recorder(server, {"workshop": workshop, "role": "console"}, cookie)
            presenter = Recorder(server, {"workshop": workshop, "role": "presenter"}, cookie)
            await console.client.connect()
            await presenter.client.connect()
            # A change by the console: its ack first, then the broadcast to the staff.
            await console.client.emit("set_reveal", {
                "cid": "reveal-1", "step_id": step, "reveal": "everyone"})
            await asyncio.sleep(0.3)
            kinds = [(kind, what) for kind, what, _, _ in console.log]
            result["console_order"] = kinds

            phones = []
            for n in range(PHONES):
                status, body = await http_post_json("127.0.0.1", server.port, "/api/join", {
                    "code": setup["code"], "display_name": f"P{n}",
                    "group_id": setup["group_ids"][n % 2]})
                assert status == 200, body
                phone = Recorder(server, {"workshop": workshop, "role": "participant",
                                          "token": body["token"]})
                await phone.client.connect()
                phones.append(phone)

            async def cast(n, phone):
                for k in range(DOTS_EACH):
                    _at, ack = await phone.client.emit("add_dot", {
                        "cid": f"phone-{n:03d}-{k:03d}", "step_id": step,
                        "proposal_id": proposals[(n + k) % len(proposals)], "delta": 1})
                    assert ack["ok"], ack

            started = time.perf_counter()
            await asyncio.gather(*(cast(n, phone) for n, phone in enumerate(phones)))
            result["voting_s"] = time.perf_counter() - started
            await asyncio.sleep(1.0)  # the last coalesced tallies
            result["presenter"] = presenter
            result["phones"] = phones
            for client in (console, presenter, *phones):
                await client.client.close()

        _run_in_own_thread(scenario)
    finally:
        server.stop()
    assert "Traceback" not in server.log.read_text()

    # The console's own change: acknowledged before the "changed" it caused.
    order = result["console_order"]
    assert ("ack", 1) in order and ("event", "changed") in order, order
    assert order.index(("ack", 1)) < order.index(("event", "changed")), order

    # 300 dots, but the presenter's tallies are coalesced: sent at least 0.1 s apart, so
    # over the span they arrived in there are at most span / 0.1 + 1 of them (+1 for a
    # message the network held back). Arrival gaps themselves may shrink under load.
    presenter = result["presenter"]
    tallies = presenter.times("tally_updated")
    result["presenter_tallies"] = len(tallies)
    assert 2 <= len(tallies) <= (tallies[-1] - tallies[0]) / 0.1 + 2, (len(tallies), tallies)
    counted = sum(item["value"] for domain in presenter.last("tally_updated")["domains"]
                  for item in domain["items"])
    assert counted == PHONES * DOTS_EACH

    # The phones (results revealed to everyone) at most every 0.3 s, and they too end
    # on the full count.
    for phone in result["phones"]:
        arrivals = phone.times("tally_updated")
        assert arrivals, "a phone never got the revealed tally"
        assert len(arrivals) <= (arrivals[-1] - arrivals[0]) / 0.3 + 2, arrivals
        assert sum(item["value"] for domain in phone.last("tally_updated")["domains"]
                   for item in domain["items"]) == PHONES * DOTS_EACH
    print(f"voting {result['voting_s']:.2f} s, presenter tallies {len(tallies)}, "
          f"phone tallies {len(result['phones'][0].times('tally_updated'))}")
