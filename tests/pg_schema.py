"""A PostgreSQL schema of its own per test, so parallel PostgreSQL tests don't clash.

tests/voting/test_postgres.py resets the whole `public` schema; tests that run beside it
(or beside another engineer's) use a fresh schema instead, reached through the URL's
search_path, and drop it afterwards.
"""

import os
import secrets
from contextlib import contextmanager
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL")
needs_postgres = pytest.mark.skipif(
    not (POSTGRES_URL or os.environ.get("KOERS_REQUIRE_POSTGRES") == "1"),
    reason="TEST_POSTGRES_URL not set (.ci/run sets it)")


def _sqlalchemy_url(url):
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


@contextmanager
def postgres_schema(prefix="t"):
    """Yield a TEST_POSTGRES_URL whose connections use a new, empty schema."""
    assert POSTGRES_URL, "KOERS_REQUIRE_POSTGRES=1 but TEST_POSTGRES_URL is not set"
    name = f"{prefix}_{secrets.token_hex(6)}"
    admin = create_engine(_sqlalchemy_url(POSTGRES_URL))
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{name}"'))
    separator = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield f"{POSTGRES_URL}{separator}options={quote(f'-csearch_path={name}')}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()
