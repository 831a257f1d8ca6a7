"""Database URL resolution and the SQLite settings the embedded default needs."""

import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine


def resolve_database_url(configured, instance_path):
    """SQLite in the instance folder by default; psycopg 3 for PostgreSQL URLs."""
    if not configured:
        return f"sqlite:///{instance_path}/koers.db"
    for prefix in ("postgres://", "postgresql://"):
        if configured.startswith(prefix):
            return "postgresql+psycopg://" + configured[len(prefix):]
    return configured


_busy_timeout_ms = 5000


def configure_sqlite(busy_timeout_ms):
    """Set the busy timeout used for every new SQLite connection."""
    global _busy_timeout_ms
    _busy_timeout_ms = int(busy_timeout_ms)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """WAL for concurrent readers, a busy timeout instead of instant 'locked', FKs on."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={_busy_timeout_ms:d}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
