"""Rate limits on Socket.IO events: per participant (or staff login), per connection,
and for request_snapshot apart; over a limit the ack says `rate_limited` and nothing is
stored. The tests turn the limits on (TestingConfig has them off)."""

import asyncio
import json
import logging
import os
import re
import shutil
import sqlite3
import subprocess
import threading
import time
import types
import urllib.request

import pytest
from sqlalchemy import func, select

from config import Config
from tests.conftest import collect_step
from tests.live_server import LiveServer, _free_port
from workshop.core import socket_limits
from workshop.extensions import db
from workshop.live import agenda, running
from workshop.live.models import Proposal
from workshop.realtime.executor import run_once
from workshop.voting.models import Vote

DEFAULTS = {name: getattr(Config, name) for name in socket_limits.SETTINGS}


def limit(app, **settings):
    """Turn the socket limits on: the production defaults, overridden by `settings`."""
    app.config.update({**DEFAULTS, **settings})
    socket_limits.init_app(app)


@pytest.fixture
def room(app, make_workshop, join, facilitator, socket_client):
    """A live collect step (50 proposals each), a console and two phones."""
    workshop = make_workshop()
    step = agenda.add_step(workshop, collect_step(workshop.plan, max_per_participant=50))
    run_once("t", None, lambda: running.start_step(workshop, step.id))
    tokens = {name: join(workshop, name=name.title())[1] for name in ("piet", "anna")}

    def phone(name):
        client = socket_client(auth={"workshop": workshop.id, "role": "participant",
                                     "token": tokens[name]})
        assert client.is_connected()
        return client

    def console():
        http = app.test_client()
        with http.session_transaction() as session:
            session["_user_id"] = facilitator.get_id()
        client = socket_client(flask_test_client=http,
                               auth={"workshop": workshop.id, "role": "console"})
        assert client.is_connected()
        return client

    return types.SimpleNamespace(workshop=workshop, step=step, phone=phone, console=console)


def submit(socket, room, n):
    return socket.emit("submit_proposal", {
        "cid": f"cid-{n:08d}", "step_id": room.step.id,
        "domain_id": room.workshop.plan.domains[0].id, "text": f"Idea {n}"}, callback=True)


def proposals():
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Proposal))


def test_writes_over_the_participant_limit_are_refused_and_nothing_is_stored(
        app, room, caplog):
    limit(app, SOCKET_RATE_LIMIT="5 per 30 seconds")
    piet, anna = room.phone("piet"), room.phone("anna")
    with caplog.at_level(logging.INFO):
        acks = [submit(piet, room, n) for n in range(7)]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING or r.exc_info]
    assert [a["ok"] for a in acks] == [True] * 5 + [False] * 2
    refused = acks[5]
    assert refused["code"] == "rate_limited" and refused["field"] is None
    assert refused["error"] == "Too many messages at once: wait a moment and send it again."
    assert 1 <= refused["retry_after"] <= 30
    assert proposals() == 5
    # Another participant has a budget of their own.
    assert submit(anna, room, 100)["ok"]
    assert proposals() == 6


def test_the_participant_limit_counts_all_their_connections(app, room):
    limit(app, SOCKET_RATE_LIMIT="4 per 30 seconds", SOCKET_CONNECTION_RATE_LIMIT="")
    first, second = room.phone("piet"), room.phone("piet")
    assert all(submit(first, room, n)["ok"] for n in range(2))
    assert all(submit(second, room, n)["ok"] for n in range(2, 4))
    assert submit(second, room, 4)["code"] == "rate_limited"
    assert submit(room.phone("piet"), room, 5)["code"] == "rate_limited"  # a new tab too
    assert proposals() == 4


def test_the_connection_limit_holds_one_connection_to_its_budget(app, room):
    limit(app, SOCKET_RATE_LIMIT="", SOCKET_CONNECTION_RATE_LIMIT="3 per 30 seconds")
    piet = room.phone("piet")
    assert all(piet.emit("request_snapshot", {}, callback=True)["ok"] for _ in range(2))
    assert submit(piet, room, 0)["ok"]
    refused = submit(piet, room, 1)
    assert refused["code"] == "rate_limited"
    assert proposals() == 1
    # Malformed events count too: a flood of garbage is held up like any other.
    assert piet.emit("submit_proposal", "garbage", callback=True)["code"] == "rate_limited"
    # The same participant on another connection is not held up by this one.
    assert submit(room.phone("piet"), room, 1)["ok"]
    assert proposals() == 2


def test_request_snapshot_has_a_budget_of_its_own(app, room):
    limit(app, SOCKET_SNAPSHOT_RATE_LIMIT="2 per 30 seconds", SOCKET_CONNECTION_RATE_LIMIT="")
    piet = room.phone("piet")
    assert all(piet.emit("request_snapshot", callback=True)["ok"] for _ in range(2))
    refused = piet.emit("request_snapshot", callback=True)
    assert refused["code"] == "rate_limited" and "snapshot" not in refused
    assert submit(piet, room, 0)["ok"]  # writes are counted apart


def test_staff_are_limited_per_login_in_the_workshop(app, room):
    limit(app, SOCKET_RATE_LIMIT="3 per 30 seconds", SOCKET_CONNECTION_RATE_LIMIT="")
    console = room.console()
    cids = iter(range(100))

    def toggle(socket, open_):
        return socket.emit("set_joining", {"cid": f"joining-{next(cids):04d}", "open": open_},
                           callback=True)

    assert [toggle(console, n % 2 == 0)["ok"] for n in range(3)] == [True] * 3
    assert toggle(room.console(), False)["code"] == "rate_limited"  # a second console too
    db.session.refresh(room.workshop)
    assert room.workshop.joining_open is True  # the refused close did not happen


def test_a_phone_voting_fast_and_a_console_moderating_fast_stay_under_the_defaults(
        app, room, voting_room, join, socket_client, facilitator):
    limit(app)
    # A person cannot tap faster than this: 5 dots in a second, each ballot_changed
    # followed by a snapshot, and a facilitator hiding and restoring 8 items in a row.
    vote = voting_room(method="dots", proposals=[(0, f"Item {n}") for n in range(6)],
                       dot_budget=5, max_per_item=3)
    _, token = join(vote["workshop"], name="Fast")
    phone = socket_client(auth={"workshop": vote["workshop"].id, "role": "participant",
                                "token": token})
    acks = [phone.emit("add_dot", {"cid": f"dot-{n:06d}", "step_id": vote["vote"].id,
                                   "proposal_id": vote["proposals"][n % 5].id, "delta": 1},
                       callback=True) for n in range(5)]
    # Back to back: on an idle machine well within one second (no timing assert: a busy
    # CI machine is slower, which only makes the burst gentler).
    acks += [phone.emit("request_snapshot", {}, callback=True) for _ in range(5)]
    assert [a["ok"] for a in acks] == [True] * 10, acks
    db.session.expire_all()
    assert db.session.scalar(select(func.sum(Vote.value))) == 5

    http = app.test_client()
    with http.session_transaction() as session:
        session["_user_id"] = facilitator.get_id()
    console = socket_client(flask_test_client=http,
                            auth={"workshop": vote["workshop"].id, "role": "console"})
    moderation = [console.emit(event, {"cid": f"mod-{n:06d}",
                                       "proposal_id": vote["proposals"][n // 2].id},
                               callback=True)
                  for n, event in enumerate(["hide_proposal", "unhide_proposal"] * 4)]
    assert [a["ok"] for a in moderation] == [True] * 8, moderation


@pytest.mark.parametrize("snapshots", ["", DEFAULTS["SOCKET_SNAPSHOT_RATE_LIMIT"]])
def test_limits_are_off_when_the_settings_are_empty(app, room, snapshots):
    # The two settings load tests name turn everything off, the snapshot budget too.
    limit(app, SOCKET_RATE_LIMIT="", SOCKET_SNAPSHOT_RATE_LIMIT=snapshots,
          SOCKET_CONNECTION_RATE_LIMIT="")
    piet = room.phone("piet")
    assert all(piet.emit("request_snapshot", {}, callback=True)["ok"] for _ in range(40))
    assert all(submit(piet, room, n)["ok"] for n in range(30))
    assert proposals() == 30


def test_a_limit_that_cannot_be_counted_lets_the_event_through(app, room, caplog):
    limit(app, SOCKET_RATE_LIMIT="5 per 30 seconds")
    limits = app.extensions[socket_limits.EXTENSION]

    def broken(*_args):
        raise ConnectionError("redis is down")

    limits.retry_after = broken
    socket_limits._warned_at = -socket_limits.WARN_EVERY_SECONDS
    piet = room.phone("piet")
    with caplog.at_level(logging.WARNING):
        assert all(submit(piet, room, n)["ok"] for n in range(3))
    assert caplog.text.count("Socket rate limits not counted") == 1  # not once per event


@pytest.mark.parametrize(("storage", "workers", "queue", "warns"), [
    ("memory://", 1, None, False),
    ("memory://", 2, None, True),
    ("memory://", 1, "redis://127.0.0.1:6379/0", True),
    ("redis://127.0.0.1:6379/0", 4, "redis://127.0.0.1:6379/0", False),
])
def test_production_warns_once_at_start_when_limits_are_per_process(
        monkeypatch, storage, workers, queue, warns):
    from workshop import serve

    monkeypatch.setenv("KOERS_ENV", "production")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", storage)
    if queue:
        monkeypatch.setenv("SOCKETIO_MESSAGE_QUEUE", queue)
    else:
        monkeypatch.delenv("SOCKETIO_MESSAGE_QUEUE", raising=False)
    import importlib

    import config

    importlib.reload(config)  # the settings classes read the environment when defined
    logged = []
    server = types.SimpleNamespace(
        cfg=types.SimpleNamespace(workers=workers),
        log=types.SimpleNamespace(info=lambda *a: None,
                                  warning=lambda message, *a: logged.append(message)))
    try:
        serve.when_ready(server)
    finally:
        monkeypatch.undo()
        importlib.reload(config)
    assert len(logged) == (1 if warns else 0)
    if warns:
        assert "RATELIMIT_STORAGE_URI" in logged[0] and "redis://" in logged[0]


# ------------------------------------------------------------ two processes, one Redis

REDIS = shutil.which("redis-server")


@pytest.fixture
def redis_url():
    if REDIS is None:
        if os.environ.get("KOERS_REQUIRE_REDIS"):
            pytest.fail("redis-server is required here (KOERS_REQUIRE_REDIS)")
        pytest.skip("redis-server not installed (.ci/run installs it)")
    port = _free_port()
    process = subprocess.Popen([REDIS, "--port", str(port), "--save", "", "--appendonly", "no",
                                "--bind", "127.0.0.1"], stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            import socket
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)


def test_two_processes_with_redis_share_one_budget(tmp_path, redis_url):
    from bench.client import SioClient

    budget = {"RATELIMIT_STORAGE_URI": redis_url, "SOCKETIO_MESSAGE_QUEUE": redis_url,
              "SOCKET_RATE_LIMIT": "100 per minute", "SOCKET_CONNECTION_RATE_LIMIT": "",
              "SOCKET_SNAPSHOT_RATE_LIMIT": "4 per 60 seconds"}
    first = LiveServer(tmp_path, **budget).start()
    (tmp_path / "b").mkdir()
    second = LiveServer(tmp_path / "b", **budget)
    second.env.update({key: first.env[key] for key in (
        "KOERS_INSTANCE_PATH", "DATABASE_URL", "SECRET_KEY")})
    second.start(upgrade=False)
    try:
        demo = first.flask("koers", "demo").stdout
        code = re.search(r"join code (\w{8})", demo).group(1)
        with sqlite3.connect(first.env["DATABASE_URL"].removeprefix("sqlite:///")) as sql:
            (group_id,) = sql.execute(
                "select g.id from workshop_groups g join workshops w on w.id = g.workshop_id"
                " where w.code = ? order by g.id limit 1", (code,)).fetchone()
        request = urllib.request.Request(  # noqa: S310
            first.url + "/api/join", data=json.dumps({
                "code": code, "display_name": "Piet", "group_id": group_id}).encode(),
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            joined = json.load(response)
        auth = {"workshop": joined["workshop_id"], "role": "participant",
                "token": joined["token"]}
        acks = []

        async def scenario():
            on_first, on_second = SioClient(first.url, auth), SioClient(second.url, auth)
            await on_first.connect()
            await on_second.connect()
            for client in (on_first, on_second, on_first, on_second, on_first, on_second):
                acks.append((await client.emit("request_snapshot", {}))[1])
            await on_first.close()
            await on_second.close()

        # In a thread of its own: Playwright's tests may leave a loop running in this one.
        worker = threading.Thread(target=lambda: asyncio.run(scenario()))
        worker.start()
        worker.join(60)
    finally:
        second.stop()
        first.stop()
    assert [a["ok"] for a in acks] == [True] * 4 + [False] * 2
    assert {a["code"] for a in acks[4:]} == {"rate_limited"}
    for server in (first, second):
        log = server.log.read_text()
        assert "Traceback" not in log
        assert "Rate limits are kept in process memory" not in log
