"""A real Koers server process, started as production runs it, for tests that need one.

gunicorn with one gevent worker (gunicorn.conf.py), on a free port, with its own temporary
database. Browser tests, the fuzz, crash and upload tests all use it.
"""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveServer:
    def __init__(self, tmp_path, **env):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "KOERS_ENV": "development",
            "KOERS_INSTANCE_PATH": str(tmp_path / "instance"),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'koers.db'}",
            "SECRET_KEY": secrets.token_hex(32),
            "PORT": str(self.port),
            "BIND": f"127.0.0.1:{self.port}",
            "FLASK_APP": "wsgi",
            "PYTHONUNBUFFERED": "1",
            **env,
        }
        self.log = tmp_path / "server.log"
        self.process = None

    def flask(self, *args):
        """Run a `flask …` command against this server's database."""
        return subprocess.run(
            [str(BIN / "flask"), *args], cwd=ROOT, env=self.env, check=True,
            capture_output=True, text=True, timeout=60,
        )

    # Exactly as `make run` starts it (gunicorn.conf.py patches with gevent first).
    command = ["gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]

    def start(self, upgrade=True):
        if upgrade:
            self.flask("db", "upgrade")
        self.process = subprocess.Popen(
            [str(BIN / self.command[0]), *self.command[1:]],
            cwd=ROOT, env=self.env, stdout=self.log.open("w"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server died:\n{self.log.read_text()}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1) as response:  # noqa: S310
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"server did not answer in 30 s:\n{self.log.read_text()}")

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
