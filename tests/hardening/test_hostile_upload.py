"""Hostile spreadsheets uploaded to a real server while a live workshop runs on it: every
file is refused with its message and the workshop's acknowledgements stay fast (issue 13,
point 1). Before the fix the import parsed on the event loop: one of these files held
every phone for seconds (the largest ones for over a minute)."""

import asyncio
import json
import re
import subprocess
import threading
import time
import urllib.parse
import urllib.request
import uuid
from http.cookiejar import CookieJar

from bench.client import SioClient, http_post_json
from tests.live_server import BIN, ROOT, LiveServer
from tests.monitor import hostile

PASSWORD = "correct horse battery"
PHONES = 8
EVERY = 0.3  # seconds between one phone's writes: under its 100-proposal cap even on a slow run
P95_LIMIT = 0.2
# The server's own p95 on an idle machine (measured: 25–50 ms). When other work on the
# machine makes it slower than this before any upload, the 200 ms budget starts from
# there: the test judges what the uploads add, not how busy CI is. Before the fix the
# uploads added tens of seconds.
CALM = 0.05


def _log_in(server, email):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    page = opener.open(server.url + "/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    opener.open(server.url + "/login", urllib.parse.urlencode({
        "csrf_token": token, "email": email, "password": PASSWORD}).encode())
    return opener


def _upload(opener, url, name, data):
    """POST the import form as a browser does (multipart, with the form's CSRF token)."""
    page = opener.open(url).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    boundary = uuid.uuid4().hex
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
            f"{token}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f'filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
            ).encode() + data + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(url, data=body, headers={  # noqa: S310 (http://127.0.0.1)
        "Content-Type": f"multipart/form-data; boundary={boundary}", "Accept-Language": "en"})
    started = time.monotonic()
    with opener.open(request, timeout=120) as response:
        return response.status, response.read().decode(), time.monotonic() - started


FILES = [  # (name, bytes, what the page says)
    # Today's code parsed these 300,000 empty rows in about 6 s on the loop (they are
    # refused for their compression ratio now).
    ("rows.xlsx", hostile.empty_rows(300_000), "per part once unpacked"),
    ("millions.xlsx", hostile.empty_rows(14_000_000), "per part once unpacked"),
    ("numbered.xlsx", hostile.empty_rows(30_000, numbered=True), "rows, empty rows included"),
    ("string.xlsx", hostile.huge_shared_string(100_000_000), "per part once unpacked"),
    ("bomb.xlsx", hostile.zip_bomb(200), "per part once unpacked"),
    ("far.xlsx", hostile.far_row(), "rows, empty rows included"),
    ("lines.csv", hostile.empty_csv_lines(1_000_000), "rows, empty rows included"),
]


def test_hostile_uploads_are_refused_while_a_live_workshop_stays_fast(tmp_path):
    server = LiveServer(tmp_path, SOCKET_RATE_LIMIT="", SOCKET_CONNECTION_RATE_LIMIT="",
                        LOGIN_RATE_LIMIT="").start()
    try:
        server.flask("koers", "create-facilitator", "--email", "anna@example.org",
                     "--name", "Anna", "--password", PASSWORD)
        seed = json.loads(subprocess.run(
            [str(BIN / "python"), "-m", "tests.hardening.upload_seed"], cwd=ROOT,
            env=server.env, check=True, capture_output=True, text=True, timeout=60).stdout)
        opener = _log_in(server, "anna@example.org")
        import_url = f"{server.url}/plans/{seed['plan_id']}/monitor/import"
        uploads, latencies, failures, during, baseline = [], [], [], [], []

        async def phone(n, done):
            status, body = await http_post_json("127.0.0.1", server.port, "/api/join", {
                "code": seed["code"], "display_name": f"Telefoon {n}",
                "group_id": seed["group_id"]})
            assert status == 200, body
            client = SioClient(server.url, {"workshop": seed["workshop_id"],
                                            "role": "participant", "token": body["token"]})
            await client.connect()
            try:
                while not done.is_set():
                    sent = time.perf_counter()
                    acked, ack = await client.emit("submit_proposal", {
                        "cid": uuid.uuid4().hex, "step_id": seed["step_id"],
                        "domain_id": seed["domain_id"], "text": f"Idee {n} {sent}"})
                    latencies.append((sent, acked - sent))
                    if not ack.get("ok"):
                        failures.append(ack)
                    await asyncio.sleep(EVERY)
            finally:
                await client.close()

        async def scenario():
            done = asyncio.Event()
            phones = [asyncio.create_task(phone(n, done)) for n in range(PHONES)]
            await asyncio.sleep(0.5)  # connected and warm
            calm_from = time.perf_counter()
            await asyncio.sleep(1.0)  # the workshop is running before the first upload
            start = time.perf_counter()
            loop = asyncio.get_running_loop()
            for name, data, _text in FILES:
                uploads.append(await loop.run_in_executor(
                    None, _upload, opener, import_url, name, data))
            end = time.perf_counter()
            await asyncio.sleep(1.0)  # and after the last one
            done.set()
            await asyncio.gather(*phones)
            during.extend(sorted(lag for sent, lag in latencies if start <= sent < end))
            baseline.extend(sorted(lag for sent, lag in latencies
                                   if calm_from <= sent < start or sent >= end))

        errors = []
        thread = threading.Thread(target=lambda: _run(scenario, errors))
        thread.start()
        thread.join(180)
        assert not thread.is_alive(), "the scenario did not finish in 3 minutes"
        if errors:
            raise errors[0]
    finally:
        server.stop()

    for (name, _data, text), (status, page, _seconds) in zip(FILES, uploads, strict=True):
        assert status == 200, name
        alert = re.search(r'role="alert">(.*?)</div>', page, re.S)
        assert text in page, f"{name} was not refused: {alert and alert.group(1)}"
        assert 'name="rows"' not in page, name  # nothing to confirm, nothing stored
    p95 = during[int(len(during) * 0.95)]
    slowest_upload = max(seconds for _s, _p, seconds in uploads)
    print("\nuploads:", ", ".join(f"{name} {seconds:.2f} s" for (name, _d, _t), (_s, _p, seconds)
                                   in zip(FILES, uploads, strict=True)))
    calm = baseline[int(len(baseline) * 0.95)]
    limit = P95_LIMIT + max(0.0, calm - CALM)
    print(f"{len(during)} acks during uploads: p95 {p95 * 1000:.0f} ms, "
          f"max {during[-1] * 1000:.0f} ms (without uploads: p95 {calm * 1000:.0f} ms, "
          f"limit {limit * 1000:.0f} ms); slowest upload {slowest_upload:.2f} s")
    assert len(during) > PHONES * 5
    assert not failures, failures[:3]
    assert p95 < limit, f"ack p95 {p95 * 1000:.0f} ms while uploads were refused"
    assert "Traceback" not in server.log.read_text()


def _run(coroutine_function, errors):
    try:
        asyncio.run(coroutine_function())
    except BaseException as error:  # handed to the test
        errors.append(error)
