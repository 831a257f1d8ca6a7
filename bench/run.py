"""Live-voting load benchmark: N phones, one presenter, R dot votes per second.

Starts Koers as production runs it (gunicorn, one gevent worker, SQLite in a temporary
folder) pinned to CPU 0, pins itself to CPU 1, joins N participants through POST
/api/join and the Socket.IO protocol, and casts votes open-loop. Prints one JSON line.
See docs/benchmarks.md.
"""

import argparse
import asyncio
import bisect
import json
import os
import secrets
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.client import SioClient, http_post_json

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
TICKS = os.sysconf("SC_CLK_TCK")


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return round(ordered[index] * 1000, 1)


def _free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _pin(pid, cpu):
    if os.cpu_count() and os.cpu_count() >= 2:
        os.sched_setaffinity(pid, {cpu})


class Server:
    """A gunicorn + gevent Koers on a temporary SQLite database."""

    def __init__(self, workdir):
        self.port = _free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.db = workdir / "koers.db"
        self.env = {**os.environ, "KOERS_ENV": "production",
                    "SECRET_KEY": secrets.token_hex(32), "SESSION_COOKIE_SECURE": "0",
                    "DATABASE_URL": f"sqlite:///{self.db}",
                    "KOERS_INSTANCE_PATH": str(workdir), "BIND": f"{HOST}:{self.port}",
                    "PORT": str(self.port), "LOG_LEVEL": "warning", "FLASK_APP": "wsgi",
                    "JOIN_CODE_RATE_LIMIT": "100000 per minute", "PYTHONPATH": str(ROOT)}
        self.log = workdir / "server.log"
        self.process = None

    def prepare(self):
        subprocess.run([str(BIN / "flask"), "db", "upgrade"], cwd=ROOT, env=self.env,
                       check=True, capture_output=True)
        out = subprocess.run([sys.executable, "-m", "bench.setup_data"], cwd=ROOT,
                             env=self.env, check=True, capture_output=True, text=True)
        return json.loads(out.stdout.strip().splitlines()[-1])

    def start(self):
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT,
            env=self.env, stdout=self.log.open("w"), stderr=subprocess.STDOUT,
            start_new_session=True)
        _pin(self.process.pid, 0)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1):  # noqa: S310
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError(self.log.read_text())
        self.worker = self._worker_pid()
        _pin(self.worker, 0)

    def _worker_pid(self):
        for _ in range(50):
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
            pids = children.read_text().split() if children.exists() else []
            if pids:
                return int(pids[0])
            time.sleep(0.1)
        return self.process.pid

    def cpu_seconds(self):
        fields = Path(f"/proc/{self.worker}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS

    def rss_mb(self):
        for line in Path(f"/proc/{self.worker}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


class Load:
    def __init__(self, server, setup, participants, rate, duration):
        self.server, self.setup = server, setup
        self.n, self.rate, self.duration = participants, rate, duration
        self.phones = []
        self.sent = {}  # (participant, proposal) -> ok acks
        self.ack_latency, self.visible_latency = [], []
        self.acked = []  # (seq, send time)
        self.tallies = []  # (seq, arrival time), in arrival order
        self.errors = {"refused": 0, "timeouts": 0}

    def on_presenter_event(self, name, message):
        if name == "tally_updated":
            start = message.find('"seq":') + 6
            end = start
            while message[end].isdigit():
                end += 1
            self.tallies.append((int(message[start:end]), time.perf_counter()))

    async def join_all(self):
        gate = asyncio.Semaphore(64)

        async def join(n):
            async with gate:
                status, body = await http_post_json(HOST, self.server.port, "/api/join", {
                    "code": self.setup["code"], "display_name": f"P{n}",
                    "group_id": self.group_ids[n % len(self.group_ids)]})
                if status != 200:
                    raise RuntimeError(f"join failed: {status} {body}")
                return body

        started = time.perf_counter()
        joined = await asyncio.gather(*(join(n) for n in range(self.n)))
        join_s = time.perf_counter() - started
        started = time.perf_counter()

        async def connect(body):
            async with gate:
                client = SioClient(self.server.url, {"workshop": body["workshop_id"],
                                                     "role": "participant",
                                                     "token": body["token"]})
                await client.connect()
                client.participant_id = body["participant_id"]
                return client

        self.phones = await asyncio.gather(*(connect(b) for b in joined))
        return join_s, time.perf_counter() - started

    async def vote(self, index):
        phone = self.phones[index % self.n]
        domains = sorted(self.setup["proposals"])
        domain = domains[(index // self.n) % len(domains)]
        items = self.setup["proposals"][domain]
        proposal = items[(index // (self.n * len(domains)) + index) % len(items)]
        sent = time.perf_counter()
        try:
            acked_at, ack = await phone.emit("add_dot", {
                "cid": f"b{index:08d}", "step_id": self.setup["step_id"],
                "proposal_id": proposal, "delta": 1})
        except TimeoutError:
            self.errors["timeouts"] += 1
            return
        self.ack_latency.append(acked_at - sent)
        if ack.get("ok"):
            key = (phone.participant_id, proposal)
            self.sent[key] = self.sent.get(key, 0) + 1
            self.acked.append((ack["seq"], sent))
        else:
            self.errors["refused"] += 1

    async def run_votes(self):
        total = int(self.rate * self.duration)
        started = time.perf_counter()
        tasks = []
        for index in range(total):
            delay = started + index / self.rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(self.vote(index)))
        await asyncio.gather(*tasks)
        await asyncio.sleep(1.0)  # let the last tallies arrive

    def visible(self):
        """vote → presenter latency: the first tally whose sequence covers the vote's."""
        tallies = sorted(self.tallies)
        earliest = [0.0] * len(tallies)
        best = float("inf")
        for index in range(len(tallies) - 1, -1, -1):  # earliest arrival at or after index
            best = min(best, tallies[index][1])
            earliest[index] = best
        seqs = [seq for seq, _ in tallies]
        latencies = []
        for seq, sent in self.acked:
            index = bisect.bisect_left(seqs, seq)
            if index < len(tallies):
                latencies.append(earliest[index] - sent)
        return latencies


def check_database(path, step_id, sent):
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    stored = {(p, q): v for p, q, v in con.execute(
        "SELECT participant_id, proposal_id, value FROM votes WHERE step_id = ?", (step_id,))}
    con.close()
    lost = sum(max(0, n - stored.get(key, 0)) for key, n in sent.items())
    duplicates = sum(max(0, v - sent.get(key, 0)) for key, v in stored.items())
    return lost, duplicates


async def measure(server, setup, args):
    load = Load(server, setup, args.participants, args.rate, args.duration)
    load.group_ids = setup.get("group_ids") or []
    presenter = SioClient(server.url, {"workshop": setup["workshop_id"], "role": "presenter"},
                          cookie=f"session={setup['session_cookie']}",
                          on_event=load.on_presenter_event)
    await presenter.connect()
    join_s, connect_s = await load.join_all()
    await asyncio.sleep(1.5)  # presence updates settle
    frames_before = sum(p.frames for p in load.phones) + presenter.frames
    cpu_before, wall_before = server.cpu_seconds(), time.perf_counter()
    own_before = time.process_time()
    rss = [server.rss_mb()]

    async def sample():
        while True:
            await asyncio.sleep(1)
            rss.append(server.rss_mb())

    sampler = asyncio.create_task(sample())
    await load.run_votes()
    sampler.cancel()
    wall = time.perf_counter() - wall_before
    cpu = server.cpu_seconds() - cpu_before
    own = time.process_time() - own_before
    frames = sum(p.frames for p in load.phones) + presenter.frames - frames_before
    lost, duplicates = check_database(server.db, setup["step_id"], load.sent)
    visible = load.visible()
    for client in [*load.phones, presenter]:
        await client.close()
    return {
        "N": args.participants, "R": args.rate, "duration_s": args.duration,
        "join_s": round(join_s, 2), "connect_s": round(connect_s, 2),
        "join_and_connect_s": round(join_s + connect_s, 2),
        "ack_ms": {p: percentile(load.ack_latency, p) for p in (50, 95, 99)},
        "presenter_ms": {p: percentile(visible, p) for p in (50, 95, 99)},
        "votes_sent": int(args.rate * args.duration),
        "votes_acknowledged": sum(load.sent.values()),
        "votes_refused": load.errors["refused"], "ack_timeouts": load.errors["timeouts"],
        "votes_lost": lost, "duplicates": duplicates,
        "tallies_to_presenter": len(load.tallies),
        "server_cpu_pct": round(100 * cpu / wall, 1),
        "server_rss_mb": round(max(rss), 1),
        "server_cpu_us_per_frame": round(1e6 * cpu / frames, 1) if frames else None,
        "frames_delivered": frames,
        "loadgen_cpu_pct": round(100 * own / wall, 1),
        "valid": 100 * own / wall <= 85,
        "cpus": os.cpu_count(),
        "mean_ack_ms": round(1000 * statistics.fmean(load.ack_latency), 1)
        if load.ack_latency else None,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", "-n", type=int, default=2000)
    parser.add_argument("--rate", "-r", type=float, default=100)
    parser.add_argument("--duration", "-d", type=float, default=60)
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="koers-bench-"))
    server = Server(workdir)
    try:
        setup = server.prepare()
        server.start()
        _pin(0, 1)
        with urllib.request.urlopen(server.url + "/healthz"):  # noqa: S310
            pass
        setup["group_ids"] = _group_ids(server.db, setup["workshop_id"])
        result = asyncio.run(measure(server, setup, args))
    finally:
        server.stop()
        log = server.log.read_text() if server.log.exists() else ""
        shutil.rmtree(workdir, ignore_errors=True)
    if "Traceback" in log:
        result["server_errors"] = log.count("Traceback")
    print(json.dumps(result), flush=True)
    return 0 if result["votes_lost"] == 0 and result["duplicates"] == 0 else 1


def _group_ids(path, workshop_id):
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    ids = [row[0] for row in con.execute(
        "SELECT id FROM workshop_groups WHERE workshop_id = ? ORDER BY position", (workshop_id,))]
    con.close()
    return ids


if __name__ == "__main__":
    sys.exit(main())
