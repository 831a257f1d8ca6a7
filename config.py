"""Koers settings, read from the environment (and an optional `.env` file).

Three classes: `DevelopmentConfig` (the default for `make run`), `TestingConfig`
and `ProductionConfig`, chosen with `KOERS_ENV`. Every variable is listed in
docs/operating.md.
"""

import os
from pathlib import Path

from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent
load_dotenv(BASE_DIR / ".env")


def _bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name, default):
    value = os.environ.get(name)
    return int(value) if value and value.strip() else default


def _float(name, default):
    value = os.environ.get(name)
    return float(value) if value and value.strip() else default


class Config:
    # SECRET_KEY is resolved by workshop.core.secrets at start-up: production demands
    # one from the environment, development makes one and keeps it in the instance folder.
    SECRET_KEY = os.environ.get("SECRET_KEY")

    # None means "SQLite in the instance folder"; create_app() fills in the path.
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    SQLITE_BUSY_TIMEOUT_MS = _int("SQLITE_BUSY_TIMEOUT_MS", 5000)

    # Empty: the Socket.IO server lives inside the app process (embedded default).
    # A redis:// URL lets several app processes share broadcasts.
    SOCKETIO_MESSAGE_QUEUE = os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None
    SOCKETIO_ASYNC_MODE = os.environ.get("SOCKETIO_ASYNC_MODE", "gevent")
    # Coalescing (workshop/realtime): however many votes arrive, staff screens get a
    # fresh tally at most every 0.1 s and phones every 0.3 s; presence counts at most
    # once a second per workshop.
    TALLY_STAFF_INTERVAL = 0.1
    TALLY_PHONE_INTERVAL = 0.3
    PRESENCE_INTERVAL = 1.0

    # The address phones should open; when empty the LAN address is used.
    PUBLIC_URL = (os.environ.get("PUBLIC_URL") or "").rstrip("/") or None

    LANGUAGES = ("nl", "en")
    BABEL_DEFAULT_LOCALE = os.environ.get("DEFAULT_LANGUAGE", "nl")
    BABEL_DEFAULT_TIMEZONE = os.environ.get("DEFAULT_TIMEZONE", "Europe/Brussels")

    # Rate limits: memory:// works for one process; use redis:// with several.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "5 per minute;20 per hour")
    JOIN_CODE_RATE_LIMIT = os.environ.get("JOIN_CODE_RATE_LIMIT", "10 per minute")
    # Socket.IO writes, per participant (or staff login) and per connection; an empty
    # value turns that limit off (load and fuzz tests do). Same storage as above.
    SOCKET_RATE_LIMIT = os.environ.get("SOCKET_RATE_LIMIT", "10 per second;120 per minute")
    SOCKET_CONNECTION_RATE_LIMIT = os.environ.get("SOCKET_CONNECTION_RATE_LIMIT",
                                                  "20 per second")
    # request_snapshot per participant (or staff login), apart from the writes: phones ask
    # for one after each moderation during a vote (docs/operating.md, "Limits").
    SOCKET_SNAPSHOT_RATE_LIMIT = os.environ.get("SOCKET_SNAPSHOT_RATE_LIMIT",
                                                "5 per second;100 per minute")
    # Other origins allowed to open Socket.IO connections (comma-separated); empty:
    # only pages served by Koers itself.
    SOCKETIO_CORS_ORIGINS = [o.strip() for o in os.environ.get(
        "SOCKETIO_CORS_ORIGINS", "").split(",") if o.strip()]

    WTF_CSRF_TIME_LIMIT = _int("CSRF_TIME_LIMIT", 4 * 3600)

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE

    # How many reverse proxies in front set X-Forwarded-For/-Proto (0: none, trust nothing).
    TRUSTED_PROXY_COUNT = _int("TRUSTED_PROXY_COUNT", 0)

    # Forms carry their own CSRF token (FlaskForm) and check it when validated, so an
    # expired token re-shows the form with what was typed instead of a bare 400.
    WTF_CSRF_CHECK_DEFAULT = False

    MAX_CONTENT_LENGTH = _int("MAX_CONTENT_LENGTH", 16 * 1024 * 1024)

    # The measurement import (docs/operating.md, "Upload and import limits"): an upload is
    # parsed in a child process with a time and memory cap, after these checks. An honest
    # indicator sheet (hundreds of rows) meets none of them.
    IMPORT_MAX_UPLOAD_BYTES = _int("IMPORT_MAX_UPLOAD_BYTES", 2 * 1024 * 1024)
    IMPORT_MAX_ROWS = _int("IMPORT_MAX_ROWS", 5000)  # rows with a measurement
    IMPORT_MAX_LINES = _int("IMPORT_MAX_LINES", 20_000)  # rows, empty ones included
    IMPORT_MAX_CELLS = _int("IMPORT_MAX_CELLS", 200_000)
    IMPORT_MAX_TEXT = _int("IMPORT_MAX_TEXT", 10_000)  # characters in one cell
    IMPORT_MAX_LINE = _int("IMPORT_MAX_LINE", 20_000)  # characters in one CSV line
    IMPORT_MAX_MEMBERS = _int("IMPORT_MAX_MEMBERS", 100)  # parts in a workbook's ZIP
    IMPORT_MAX_PART_BYTES = _int("IMPORT_MAX_PART_BYTES", 10 * 1024 * 1024)  # unpacked
    IMPORT_MAX_UNPACKED_BYTES = _int("IMPORT_MAX_UNPACKED_BYTES", 25 * 1024 * 1024)
    IMPORT_MAX_RATIO = _int("IMPORT_MAX_RATIO", 100)  # unpacked : packed, parts over 1 MB
    IMPORT_TIMEOUT_SECONDS = _float("IMPORT_TIMEOUT_SECONDS", 20.0)
    IMPORT_MEMORY_MB = _int("IMPORT_MEMORY_MB", 512)
    IMPORT_MAX_PARALLEL = _int("IMPORT_MAX_PARALLEL", 2)  # per server process; others wait
    # Static URLs carry their content hash and are cached for a year (workshop/core/assets.py);
    # this is the browser cache time of a static file asked for without its current hash.
    SEND_FILE_MAX_AGE_DEFAULT = _int("STATIC_MAX_AGE", 300)

    # Flask-Compress: pages, JSON and text downloads, Brotli or gzip as the browser accepts.
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_ALGORITHM_STREAMING = ["br", "gzip"]
    COMPRESS_MIMETYPES = ["text/html", "text/plain", "text/markdown", "text/csv",
                          "application/json", "image/svg+xml", "text/css", "text/javascript",
                          "application/javascript"]


class DevelopmentConfig(Config):
    ENV_NAME = "development"


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret-key-that-is-long-enough-0123456789"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    # The same code as production, with threads for greenlets and short coalescing
    # intervals so the tests' event clients settle quickly (tests/conftest.py waits for
    # the background deliveries; tests/realtime checks the real order on gevent).
    SOCKETIO_ASYNC_MODE = "threading"
    SOCKETIO_MESSAGE_QUEUE = None
    TALLY_STAFF_INTERVAL = 0.01
    TALLY_PHONE_INTERVAL = 0.03
    PRESENCE_INTERVAL = 0.01
    RATELIMIT_STORAGE_URI = "memory://"
    # Tests send events faster than any person; tests/live/test_socket_limits.py turns
    # the socket limits on with the production defaults.
    SOCKET_RATE_LIMIT = SOCKET_SNAPSHOT_RATE_LIMIT = SOCKET_CONNECTION_RATE_LIMIT = ""
    WTF_CSRF_ENABLED = False
    # Service tests read messages outside a request; they assert the English text.
    BABEL_DEFAULT_LOCALE = "en"


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env():
    """The settings class named by KOERS_ENV (development when unset)."""
    name = os.environ.get("KOERS_ENV", "development").strip().lower()
    try:
        return CONFIGS[name]
    except KeyError:
        raise SystemExit(
            f"KOERS_ENV={name!r} is not one of: {', '.join(CONFIGS)}"
        ) from None
