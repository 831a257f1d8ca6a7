"""Malformed Socket.IO traffic against a real server process (issue 13; kept in CI).

A seeded generator sends more than 10,000 malformed events across every event the
server registers, from participant, console and presenter connections: wrong types,
missing and extra keys, ids beyond any column, surrogates, NUL, deep nesting, long
strings, binary attachments, reserved and unknown names, frames that are no packet at
all. Every answer must be a documented refusal, the server must log no exception, no
table may change, and the server must still answer a normal write afterwards.
"""

import asyncio
import hashlib
import http.cookiejar
import itertools
import json
import random
import re
import sqlite3
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from bench.client import SioClient
from tests.live_server import BIN, ROOT, LiveServer
from workshop.extensions import socketio

SEED = 1313
EVENTS_WITH_ACK = 10_200
JUNK_FRAMES = 800
WINDOW = 24  # unanswered events in flight per connection
PASSWORD = "correct horse battery"  # noqa: S105 (a test account)
# Refusals a client may receive for a malformed event (docs/realtime.md §4).
DOCUMENTED = {"bad_payload", "forbidden", "not_found", "conflict", "busy", "invalid"}
BOOKKEEPING = {"live_connections", "event_receipts"}  # presence and cid receipts
RESERVED = ["connect", "disconnect", "connect_error", "__disconnect_final"]
MAX_INT = 2**31 - 1


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("fuzz")
    server = LiveServer(tmp_path, SOCKET_RATE_LIMIT="", SOCKET_CONNECTION_RATE_LIMIT="")
    server.start()
    seeded = subprocess.run(
        [str(BIN / "python"), "-m", "tests.hardening.seed", "anna@example.org", PASSWORD],
        cwd=ROOT, env=server.env, check=True, capture_output=True, text=True, timeout=60)
    server.seed = json.loads(seeded.stdout.strip().splitlines()[-1])
    server.database = server.env["DATABASE_URL"].removeprefix("sqlite:///")
    server.cookie = _log_in(server)
    yield server
    server.stop()


def _log_in(server):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(server.url + "/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    opener.open(server.url + "/login", urllib.parse.urlencode({
        "csrf_token": token, "email": "anna@example.org", "password": PASSWORD}).encode())
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def fingerprint(database):
    """Row count and checksum of every table but presence and receipt bookkeeping."""
    with sqlite3.connect(database) as connection:
        tables = [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name") if name not in BOOKKEEPING]
        result = {}
        for table in tables:
            rows = connection.execute(f'SELECT * FROM "{table}" ORDER BY 1').fetchall()  # noqa: S608
            result[table] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
        return result


def log_problems(server):
    text = server.log.read_text()
    return [line for line in text.splitlines()
            if "Traceback" in line or "Exception" in line or "Error handling" in line]


def run_in_thread(coroutine_function):
    """asyncio.run in its own thread: Playwright may leave a loop running in this one."""
    failures, results = [], []

    def run():
        try:
            results.append(asyncio.run(coroutine_function()))
        except BaseException as error:  # handed to the test
            failures.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(240)
    if failures:
        raise failures[0]
    assert results, "the scenario did not finish in time"
    return results[0]


# --- what a valid payload of each event looks like (docs/realtime.md §5.1, §6.2) ---

ROLES = {"participant": "participant", "console": "console", "presenter": "presenter"}
PARTICIPANT_EVENTS = {"submit_proposal", "edit_proposal", "withdraw_proposal", "add_dot",
                      "move_dot", "set_score", "set_ranking"}
EVERYONE_EVENTS = {"request_snapshot"}


def templates(seed):
    """Valid payload of every event, and the range of each integer field."""
    p, d = seed["proposals"], seed["domains"]
    cid = {"cid": "cid-template"}
    return {
        "request_snapshot": {},
        "submit_proposal": {**cid, "step_id": seed["collect"], "domain_id": d[0],
                            "text": "Meer ruimte"},
        "edit_proposal": {**cid, "proposal_id": p[0], "text": "Meer ruimte"},
        "withdraw_proposal": {**cid, "proposal_id": p[0]},
        "start_step": {**cid, "step_id": seed["collect"]},
        "pause_step": dict(cid), "resume_step": dict(cid), "close_step": dict(cid),
        "finish_workshop": dict(cid),
        "extend_timer": {**cid, "seconds": 60},
        "set_joining": {**cid, "open": False},
        "hide_proposal": {**cid, "proposal_id": p[0]},
        "unhide_proposal": {**cid, "proposal_id": p[0]},
        "approve_proposal": {**cid, "proposal_id": p[0]},
        "unmerge_proposal": {**cid, "proposal_id": p[0]},
        "moderate_edit": {**cid, "proposal_id": p[0], "text": "Meer ruimte"},
        "merge_proposals": {**cid, "target_id": p[0], "source_ids": [p[1]]},
        "add_dot": {**cid, "step_id": seed["vote"], "proposal_id": p[0], "delta": 1},
        "move_dot": {**cid, "step_id": seed["vote"], "from_id": p[0], "to_id": p[1]},
        "set_score": {**cid, "step_id": seed["vote"], "proposal_id": p[0], "score": 3},
        "set_ranking": {**cid, "step_id": seed["vote"], "domain_id": 0,
                        "proposal_ids": [p[0]]},
        "set_reveal": {**cid, "step_id": seed["vote"], "reveal": "everyone"},
    }


INT_RANGES = {"delta": (-1, 1), "score": (0, 10), "seconds": (10, 3600),
              ("set_ranking", "domain_id"): (0, MAX_INT)}
OPTIONAL = {("submit_proposal", "domain_id"), ("set_score", "score")}
STR_LIMITS = {"text": (0, 5000), "cid": (8, 64), "reveal": (1, 16)}
LIST_LIMITS = {"source_ids": (1, 50), "proposal_ids": (0, 20)}


def deep(n):
    value = []
    for _level in range(n):
        value = [value]
    return value


class Malformed:
    """Makes payloads that break at least one rule of the event, by construction."""

    def __init__(self, rng, templates):
        self.rng, self.templates = rng, templates
        self.cids = (f"cid-fuzz-{n:08d}" for n in itertools.count())

    def bad_int(self, event, field):
        low, high = INT_RANGES.get((event, field), INT_RANGES.get(field, (1, MAX_INT)))
        numbers = [n for n in (0, -1, low - 1, high + 1, MAX_INT + 1, 2**63 - 1, 2**63, 2**64,
                               -(2**63) - 1, 99999999999999999999, 10**400 // 10**300)
                   if not low <= n <= high]
        return self.rng.choice(numbers + [1.5, float(low) + 0.5, 1e308, float("nan"),
                                          float("inf"), True, False, "1", "", [1], {"id": 1},
                                          deep(self.rng.choice((3, 20)))])

    def bad_str(self, field):
        low, high = STR_LIMITS.get(field, (0, 5000))
        options = ["a\ud800b", "\udfff", "x\x00", "\x00" * 10, "\ud83d", "x" * (high + 1),
                   "\u00e9" * (high + 1), 7, 1.5, True, [], {}, ["a"], deep(5)]
        if low > 0:
            options += ["", "x" * (low - 1)]
        if field == "cid":
            options += ["cid with spaces", "cid-\u00e9\u00e9\u00e9\u00e9\u00e9",
                        "cid-<script>", "../../etc/x", "cid\n123456"]
        return self.rng.choice(options)

    def bad_list(self, field):
        low, high = LIST_LIMITS[field]
        options = [[0], [-1], [2**63], [2**64], ["1"], [True], [1.5], [None], [[1]],
                   list(range(1, high + 2)), "1,2", 1, {"0": 1}, deep(8)]
        if low > 0:
            options.append([])
        return self.rng.choice(options)

    def bad_value(self, event, field, valid):
        if isinstance(valid, bool):
            return self.rng.choice([0, 1, "true", "", [], {}, 1.5, [True]])
        if isinstance(valid, int):
            return self.bad_int(event, field)
        if isinstance(valid, str):
            return self.bad_str(field)
        return self.bad_list(field)

    def payload(self, event):
        """(payload, how) with at least one violation; never the valid template."""
        template = dict(self.templates[event])
        if "cid" in template:
            template["cid"] = next(self.cids)
        fields = list(template)
        ways = ["not_object", "extra_key"]
        if fields:
            ways += ["wrong_value"] * 4
            required = [f for f in fields if (event, f) not in OPTIONAL]
            if required:
                ways += ["missing", "null"]
        how = self.rng.choice(ways)
        if how == "not_object":
            choices = [[], "payload", 1, 1.5, True, [template], "", deep(4), False]
            if event != "request_snapshot":
                choices.append(None)
            return self.rng.choice(choices), how
        if how == "extra_key":
            key = self.rng.choice(["extra", "__proto__", "cid2", "", "\ud800", "\x00",
                                   "parent_item_id" if event != "submit_proposal" else "x",
                                   "k" * 300])
            return {**template, key: self.rng.choice([1, "x", None, [], {}])}, how
        if how == "missing":
            del template[self.rng.choice(required)]
            return template, how
        if how == "null":
            template[self.rng.choice(required)] = None
            return template, how
        field = self.rng.choice(fields)
        template[field] = self.bad_value(event, field, template[field])
        return template, how


def expected_refusals(event, role):
    allowed = (role == "participant" if event in PARTICIPANT_EVENTS
               else True if event in EVERYONE_EVENTS else role == "console")
    return {"bad_payload"} if allowed else {"forbidden"}


def junk_frames(rng, names):
    """Frames that no handler may act on: answered by nothing, changing nothing."""
    frames = [
        "", "x", "4", "4x", "42", "42[]", "42{}", '42"x"', "421", "42[1]", '42[["a"]]',
        '42[{"a":1}]', "42[null]", "42[true]", "43", "431", '431["x"]', "44", '44{"a":1}',
        "47", "49[]", "4/", "4/other,", '4/other,["submit_proposal",{}]', "4" + "[" * 40_000,
        "40", '40{"workshop":1,"role":"console"}', "42" + "[" * 30_000, "4-", "45",
        "451-[]", ('451-["add_dot"]', b"\x00"),
        ('452-["set_joining",{"_placeholder":true}]', b"1", b"2"),
        "6", "9", "2probe", "5", "3", b"\x00\x01", b"4",
        b"\xff" * 100, "42[\"\\ud800\",{}]", "42[\"a\\u0000\",{}]",
    ]
    for _n in range(JUNK_FRAMES):
        kind = rng.random()
        if kind < 0.35:
            name = rng.choice(RESERVED)
            frames.append("42" + json.dumps([name, *rng.choice(
                [[], ["client disconnect"], [{"workshop": 1, "role": "console"}],
                 [1, {"workshop": 1, "role": "console"}], [None]])]))
        elif kind < 0.6:
            name = rng.choice(["Submit_Proposal", "submit_proposal ", "set_role", "*",
                               "admin", "x" * 500, "\ud800", "message", "json"])
            frames.append("42" + json.dumps([name, {"cid": "cid-unknown-1"}]))
        elif kind < 0.8:
            frames.append("42" + json.dumps([rng.choice(names) + "\x00", {}]))
        else:
            frames.append(rng.choice(frames[:40]))
    rng.shuffle(frames)
    return frames


class Fuzzer:
    def __init__(self, server):
        self.server = server
        self.rng = random.Random(SEED)
        self.templates = templates(server.seed)
        self.malformed = Malformed(self.rng, self.templates)
        self.acks = []  # (role, event, how, ack)
        self.unanswered = []  # (role, event, how, what was sent)
        self.no_ack = []
        self.locks = {}

    def clients(self):
        seed, cookie = self.server.seed, self.server.cookie
        phones = [SioClient(self.server.url, {"workshop": seed["workshop"],
                                              "role": "participant", "token": token})
                  for token in seed["tokens"]]
        staff = [SioClient(self.server.url, {"workshop": seed["workshop"], "role": role},
                           cookie=cookie) for role in ("console", "console", "presenter")]
        return [("participant", c) for c in phones] + [
            (c.auth["role"], c) for c in staff]

    async def send(self, client, body, timeout=15):
        """Send `42<id><body>` and wait for its ack."""
        return await self._call(client, lambda ack_id: [f"42{ack_id}{body}"], timeout)

    async def send_binary(self, client, event, payload_json, attachment, timeout=15):
        """A binary event: its packet, then its attachment."""
        packet = json.dumps([event, payload_json])
        return await self._call(
            client, lambda ack_id: [f"451-{ack_id}{packet}", attachment], timeout)

    async def _call(self, client, frames, timeout):
        ack_id = next(client._ids)
        future = asyncio.get_running_loop().create_future()
        client._acks[ack_id] = future
        await self.send_frames(client, frames(ack_id))
        _at, ack = await asyncio.wait_for(future, timeout)
        return ack

    async def send_frames(self, client, frames):
        # A packet announcing attachments takes the connection's next frames as them:
        # nothing else may be sent in between.
        async with self.locks.setdefault(id(client), asyncio.Lock()):
            for frame in frames:
                await client._ws.send(frame)

    def plan(self, count):
        """The events to send: (event, kind, payload or frame body, how)."""
        names = sorted(self.templates)
        for _n in range(count):
            event = self.rng.choice(names)
            roll = self.rng.random()
            if roll < 0.05:  # deep nesting in the raw frame, beyond any JSON library default
                # Both fit in the 64 KiB a message may have (a bigger one drops the socket).
                opener, closer, depth = self.rng.choice((
                    ("[", "]", 17), ("[", "]", 1_000), ("[", "]", 30_000),
                    ('{"a":', "}", 17), ('{"a":', "}", 10_000)))
                yield event, "raw", ("[" + json.dumps(event) + ","
                                     + opener * depth + closer * depth + "]"), "deep_frame"
            elif roll < 0.08:
                payload = dict(self.templates[event]) or {"x": 1}
                field = self.rng.choice(list(payload))
                placeholder = self.rng.choice(
                    [{"_placeholder": True, "num": 0}, {"_placeholder": True, "num": 7},
                     {"_placeholder": True, "num": "0"}, {"_placeholder": True}])
                payload[field] = placeholder
                if "cid" in payload and field != "cid":
                    payload["cid"] = next(self.malformed.cids)
                yield event, "binary", payload, "binary"
            elif roll < 0.10:  # a second argument
                payload, _how = self.malformed.payload(event)
                yield event, "raw", json.dumps([event, self.templates[event], payload]), "args"
            else:
                payload, how = self.malformed.payload(event)
                yield event, "json", payload, how

    async def run(self):
        clients = self.clients()
        for _role, client in clients:
            await client.connect()
        await asyncio.sleep(0.5)  # presence and snapshots settle
        before = fingerprint(self.server.database)
        per_client = [list(self.plan(EVENTS_WITH_ACK // len(clients) + 1))
                      for _c in clients]
        junk = junk_frames(self.rng, sorted(self.templates))
        started = time.monotonic()
        await asyncio.gather(*(self._drive(role, client, events, junk[i::len(clients)])
                               for i, ((role, client), events)
                               in enumerate(zip(clients, per_client, strict=True))))
        elapsed = time.monotonic() - started
        await asyncio.sleep(0.5)
        after = fingerprint(self.server.database)
        # Every connection is still open and answers.
        for _role, client in clients:
            ack = await self.send(client, json.dumps(["request_snapshot", {}]))
            assert ack["ok"] is True, ack
        # A normal write still works (after the fingerprint: it changes the votes).
        phone = clients[0][1]
        seed = self.server.seed
        ack = await self.send(phone, json.dumps(["add_dot", {
            "cid": "cid-after-fuzz", "step_id": seed["vote"],
            "proposal_id": seed["proposals"][0], "delta": 1}]))
        for _role, client in clients:
            await client.close()
        return before, after, ack, elapsed

    async def send_junk(self, client, frame):
        await self.send_frames(client, list(frame) if isinstance(frame, tuple) else [frame])

    async def _drive(self, role, client, events, junk):
        window = asyncio.Semaphore(WINDOW)
        junk = list(junk)

        async def one(event, kind, body, how):
            async with window:
                try:
                    if kind == "json":
                        ack = await self.send(client, json.dumps([event, body]))
                    elif kind == "raw":
                        ack = await self.send(client, body)
                    else:
                        ack = await self.send_binary(client, event, body, b"\x00\xffbinary")
                except TimeoutError:
                    self.unanswered.append((role, event, how, repr(body)[:300]))
                    return
                self.acks.append((role, event, how, ack))
                if junk and self.rng.random() < 0.1:
                    await self.send_junk(client, junk.pop())

        await asyncio.gather(*(one(*spec) for spec in events))
        for frame in junk:
            await self.send_junk(client, frame)
        self.no_ack.extend(junk)


def test_every_event_is_covered_by_the_fuzz():
    import workshop.live.events  # noqa: F401  (handlers register on import)
    import workshop.voting.events  # noqa: F401

    registered = {name for name, _handler, _ns in socketio.handlers} - {"connect",
                                                                         "disconnect"}
    assert registered == set(templates({"proposals": [1, 2], "domains": [1], "collect": 1,
                                        "vote": 2}))


def test_malformed_events_change_nothing_and_are_refused_as_documented(server):
    fuzzer = Fuzzer(server)
    before, after, write, elapsed = run_in_thread(fuzzer.run)
    print(f"{len(fuzzer.acks)} events with ack + junk frames in {elapsed:.1f} s")
    assert fuzzer.unanswered == [], (len(fuzzer.unanswered), sorted(
        {(how, body[:80]) for _r, _e, how, body in fuzzer.unanswered})[:20])
    assert len(fuzzer.acks) >= 10_000
    assert log_problems(server) == []
    assert after == before, {t: (before[t], after.get(t)) for t in before
                             if before[t] != after.get(t)}
    wrong = [(role, event, how, ack) for role, event, how, ack in fuzzer.acks
             if ack.get("ok") is not False
             or ack.get("code") not in expected_refusals(event, role)]
    assert wrong == [], wrong[:10]
    assert all(ack["code"] in DOCUMENTED for _r, _e, _h, ack in fuzzer.acks)
    assert write["ok"] is True, write
    with urllib.request.urlopen(server.url + "/healthz", timeout=5) as response:  # noqa: S310
        assert response.status == 200


def _connections(server, participant_id):
    with sqlite3.connect(server.database) as connection:
        return connection.execute("SELECT count(*) FROM live_connections WHERE "
                                  "participant_id = ?", (participant_id,)).fetchone()[0]


def test_reserved_names_and_deep_nesting_on_a_real_server(server):
    """A phone's own 'disconnect' leaves it present; 30,000 levels are a bad_payload."""
    seed = server.seed
    fuzzer = Fuzzer(server)

    async def scenario():
        phone = SioClient(server.url, {"workshop": seed["workshop"], "role": "participant",
                                       "token": seed["tokens"][1]})
        await phone.connect()
        await asyncio.sleep(0.3)
        present = _connections(server, seed["participants"][1])
        for name in RESERVED:
            for args in ([], ["client disconnect"], [{"workshop": seed["workshop"],
                                                      "role": "console"}]):
                await phone._ws.send("42" + json.dumps([name, *args]))
                await phone._ws.send("421000" + json.dumps([name, *args]))
        await asyncio.sleep(0.5)
        still = _connections(server, seed["participants"][1])
        deep_ack = await fuzzer.send(phone, '["add_dot",' + "[" * 30_000 + "]" * 30_000 + "]")
        write = await fuzzer.send(phone, json.dumps(["add_dot", {
            "cid": "cid-still-here", "step_id": seed["vote"],
            "proposal_id": seed["proposals"][2], "delta": 1}]))
        await phone.close()
        return present, still, deep_ack, write

    present, still, deep_ack, write = run_in_thread(scenario)
    assert present == 1 and still == 1  # today: 0 after the phone's own "disconnect"
    assert deep_ack["ok"] is False and deep_ack["code"] == "bad_payload", deep_ack
    assert write["ok"] is True, write
    request = urllib.request.Request(  # noqa: S310 (the test server's http URL)
        server.url + "/api/join", data=b"[" * 50_000,
        headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)  # noqa: S310
    assert refused.value.code == 400
    assert json.loads(refused.value.read())["code"] == "bad_payload"
    assert log_problems(server) == []
