"""Two real server processes sharing a Redis message queue, as production runs them:
logging out on one ends the console a facilitator has open on the other."""

import asyncio
import http.cookiejar
import os
import re
import shutil
import sqlite3
import subprocess
import time
import urllib.parse
import urllib.request

import pytest

from bench.client import SioClient
from tests.live_server import LiveServer, _free_port

REDIS = shutil.which("redis-server")
pytestmark = pytest.mark.skipif(
    REDIS is None and not os.environ.get("KOERS_REQUIRE_REDIS"),
    reason="redis-server not installed (.ci/run installs it)")


@pytest.fixture
def redis_url():
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


def _second(first, tmp_path):
    """Another process on the same database, secret and message queue."""
    other = LiveServer(tmp_path / "b")
    (tmp_path / "b").mkdir(exist_ok=True)
    other.env.update({key: first.env[key] for key in (
        "KOERS_INSTANCE_PATH", "DATABASE_URL", "SECRET_KEY", "SOCKETIO_MESSAGE_QUEUE")})
    return other


def _log_in(server, email, password):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(server.url + "/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    opener.open(server.url + "/login", urllib.parse.urlencode({
        "csrf_token": token, "email": email, "password": password}).encode())
    return opener, jar


def _run_in_own_thread(coroutine_function):
    """asyncio.run in a thread: Playwright's tests may leave a loop running in this one."""
    import threading

    failures = []

    def run():
        try:
            asyncio.run(coroutine_function())
        except BaseException as error:  # handed to the test below
            failures.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(60)
    if failures:
        raise failures[0]


def test_log_out_on_one_process_ends_the_console_on_the_other(tmp_path, redis_url):
    first = LiveServer(tmp_path)
    first.env["SOCKETIO_MESSAGE_QUEUE"] = redis_url
    first.start()
    second = _second(first, tmp_path).start()
    try:
        demo = first.flask("koers", "demo").stdout
        email, password = re.search(r"Log in as (\S+) with password: (\S+)", demo).groups()
        code = re.search(r"join code (\w{8})", demo).group(1)
        database = first.env["DATABASE_URL"].removeprefix("sqlite:///")
        with sqlite3.connect(database) as connection:
            (workshop_id,) = connection.execute(
                "select id from workshops where code = ?", (code,)).fetchone()
        opener, jar = _log_in(first, email, password)
        cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
        events, raw = [], []

        async def scenario():
            console = SioClient(second.url, {"workshop": workshop_id, "role": "console"},
                                cookie=cookie, on_event=lambda name, _m: events.append(name))
            handle = console._handle
            console._handle = lambda message: (raw.append(message), handle(message))
            await console.connect()
            assert "snapshot" in events
            # Log out through the other process (the form's CSRF token from a page).
            page = opener.open(first.url + "/").read().decode()
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
            opener.open(first.url + "/logout",
                        urllib.parse.urlencode({"csrf_token": token}).encode())
            deadline = time.monotonic() + 10
            while "41" not in raw and time.monotonic() < deadline:  # 41: disconnected
                await asyncio.sleep(0.05)
            await console.close()

        _run_in_own_thread(scenario)
        assert "session_ended" in events
        assert "41" in raw  # a server-side disconnect, not only a polite request
    finally:
        second.stop()
        first.stop()
    for server in (first, second):
        assert "Traceback" not in server.log.read_text()
