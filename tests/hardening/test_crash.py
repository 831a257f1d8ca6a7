"""kill -9 under load: a real server process is killed with SIGKILL again and again while
phones vote; each phone resends every unanswered vote with the same client id once it is
back. Afterwards every acknowledged vote is stored, none counted twice, no budget overspent.

SQLite by default; the same run on PostgreSQL (a schema of its own) when
TEST_POSTGRES_URL is set. A bigger run: CRASH_PHONES=200 CRASH_KILLS=20 pytest … -k crash.
"""

import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time

import pytest
import websockets
from sqlalchemy import create_engine, text

from bench.client import SioClient
from tests.live_server import ROOT, LiveServer
from tests.pg_schema import _sqlalchemy_url, needs_postgres, postgres_schema

PHONES = int(os.environ.get("CRASH_PHONES", "50"))
KILLS = int(os.environ.get("CRASH_KILLS", "5"))
BUDGET = 5
ACK_TIMEOUT = 3


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=needs_postgres)])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'koers.db'}"
    else:
        with postgres_schema("crash") as url:
            yield url


class Phone:
    """One participant: casts votes one after another, each until it is acknowledged."""

    def __init__(self, server, setup, me, seed):
        self.server, self.setup, self.me = server, setup, me
        self.random = random.Random(seed)
        self.client = None
        self.dots = dict.fromkeys(setup["proposals"], 0)  # as acknowledged
        self.acked = []  # (cid, proposal, delta)
        self.refused = []
        self.resent = 0

    def _next_vote(self):
        """A dot on or off an item, always within the rules given what was acknowledged."""
        spent = sum(self.dots.values())
        if spent < BUDGET and (spent == 0 or self.random.random() < 0.7):
            return self.random.choice(self.setup["proposals"]), 1
        return self.random.choice([p for p, n in self.dots.items() if n]), -1

    async def _connected(self):
        while self.client is None or self.client._reader is None or self.client._reader.done():
            if self.client is not None:
                await self.client.close()
            self.client = SioClient(self.server.url, {
                "workshop": self.setup["workshop_id"], "role": "participant",
                "token": self.me["token"]})
            try:
                await self.client.connect(timeout=ACK_TIMEOUT)
            except (TimeoutError, OSError, websockets.WebSocketException):
                self.client = None
                await asyncio.sleep(0.2)
        return self.client

    async def vote(self, n):
        proposal, delta = self._next_vote()
        cid = f"crash-{self.me['id']}-{n}"
        payload = {"cid": cid, "step_id": self.setup["step_id"], "proposal_id": proposal,
                   "delta": delta}
        for _attempt in range(200):
            client = await self._connected()
            try:
                _, ack = await client.emit("add_dot", payload, timeout=ACK_TIMEOUT)
            except (TimeoutError, OSError, websockets.WebSocketException):
                self.resent += 1
                await client.close()  # a dead or silent socket: drop it and come back
                self.client = None
                continue
            if not ack["ok"]:
                self.refused.append((cid, ack))
                return
            self.dots[proposal] += delta
            self.acked.append((cid, proposal, delta))
            return
        raise AssertionError(f"{cid} was never acknowledged")

    async def run(self, stop):
        n = 0
        while not stop.is_set():
            await self.vote(n)
            n += 1
            await asyncio.sleep(self.random.uniform(0.05, 0.3))
        if self.client is not None:
            await self.client.close()


def _seed(server):
    out = subprocess.run([sys.executable, "-m", "tests.hardening.seed_vote", str(PHONES),
                          str(BUDGET)], cwd=ROOT, env=server.env, check=True,
                         capture_output=True, text=True, timeout=120)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _kill_and_restart(server, logs):
    os.killpg(server.process.pid, signal.SIGKILL)
    server.process.wait(10)
    logs.append(server.log.read_text())
    server.start(upgrade=False)


async def _scenario(server, setup, logs, timings):
    phones = [Phone(server, setup, me, seed) for seed, me in enumerate(setup["phones"])]
    stop = asyncio.Event()
    voting = [asyncio.create_task(phone.run(stop)) for phone in phones]
    loop = asyncio.get_running_loop()
    chance = random.Random(13)

    async def votes_flow():
        """Until every phone has had a vote acknowledged since the last restart (on a
        slow machine too), then a moment more: votes are in flight at the kill."""
        target = sum(len(phone.acked) for phone in phones) + PHONES
        deadline = time.monotonic() + 30
        while sum(len(phone.acked) for phone in phones) < target:
            assert time.monotonic() < deadline, "the votes stopped flowing"
            await asyncio.sleep(0.05)
        await asyncio.sleep(chance.uniform(0, 0.3))

    for _ in range(KILLS):
        await votes_flow()
        started = time.monotonic()
        await loop.run_in_executor(None, _kill_and_restart, server, logs)
        timings.append(time.monotonic() - started)
    await votes_flow()  # votes after the last restart, and every resend answered
    stop.set()
    await asyncio.wait_for(asyncio.gather(*voting), 120)
    return phones


def _in_own_thread(coroutine):
    """asyncio.run in a thread: a browser test may leave a loop running in this one."""
    box = {}

    def run():
        try:
            box["result"] = asyncio.run(coroutine)
        except BaseException as error:  # handed to the test below
            box["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(180)
    if "error" in box:
        raise box["error"]
    return box["result"]


def test_votes_survive_repeated_kill_9_without_loss_duplicates_or_overspending(
        tmp_path, database_url):
    server = LiveServer(tmp_path, DATABASE_URL=database_url, SOCKET_RATE_LIMIT="",
                        SOCKET_CONNECTION_RATE_LIMIT="", LOG_LEVEL="warning")
    server.flask("db", "upgrade")
    setup = _seed(server)
    server.start(upgrade=False)
    logs, timings = [], []
    try:
        phones = _in_own_thread(_scenario(server, setup, logs, timings))
    finally:
        server.stop()
        logs.append(server.log.read_text())

    acked = [vote for phone in phones for vote in phone.acked]
    print(f"\n{len(acked)} acked votes, {sum(p.resent for p in phones)} resent, "
          f"restarts {[round(t, 2) for t in timings]} s")
    assert len(timings) >= 5 and len(phones) >= 50
    assert [phone.refused for phone in phones if phone.refused] == []
    assert len(acked) >= (KILLS + 1) * PHONES  # the votes did flow, across the restarts
    assert sum(phone.resent for phone in phones) > 0  # some votes were in flight at a kill

    engine = create_engine(_sqlalchemy_url(database_url))
    with engine.connect() as connection:
        receipts = {row.client_id for row in connection.execute(text(
            "SELECT client_id FROM event_receipts WHERE client_id LIKE 'crash-%'"))}
        votes = {(row.participant_id, row.proposal_id): row.value for row in connection.execute(
            text("SELECT participant_id, proposal_id, value FROM votes WHERE step_id = :s"),
            {"s": setup["step_id"]})}
        budgets = {row.participant_id: (row.spent, row.budget) for row in connection.execute(
            text("SELECT participant_id, spent, budget FROM dot_budgets WHERE step_id = :s"),
            {"s": setup["step_id"]})}
    engine.dispose()

    lost = [cid for cid, _, _ in acked if cid not in receipts]
    assert lost == []
    # Each acknowledged change counted exactly once: stored dots = acknowledged dots.
    expected = {}
    for phone in phones:
        for _cid, proposal, delta in phone.acked:
            key = (phone.me["id"], proposal)
            expected[key] = expected.get(key, 0) + delta
    assert {k: v for k, v in votes.items() if v} == {k: v for k, v in expected.items() if v}
    overspent = [p for p, (spent, budget) in budgets.items() if spent > budget]
    assert overspent == []
    for phone in phones:
        mine = sum(v for (p, _), v in votes.items() if p == phone.me["id"])
        assert budgets.get(phone.me["id"], (0, BUDGET))[0] == mine == sum(phone.dots.values())
    assert all("Traceback" not in log for log in logs), "\n".join(logs)[-3000:]
