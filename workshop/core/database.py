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


# What `schema_state` can answer, and what an operator should run for each.
SCHEMA_MESSAGES = {
    "empty": "The database is not set up yet: run `flask db upgrade` (or `make run`) first.",
    "behind": "The database is not up to date: run `flask db upgrade` (or `make run`) first.",
}


def schema_state(engine, metadata, migrations_config):
    """"current", "behind" (older migration) or "empty" (never migrated): whether Koers's
    tables are there. A database made by `create_all()` (the tests) counts as current."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from sqlalchemy import inspect

    heads = set(ScriptDirectory.from_config(migrations_config).get_heads())
    with engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
        tables = set(inspect(connection).get_table_names())
    if current:
        return "current" if current == heads else "behind"
    return "current" if set(metadata.tables) <= tables else "empty"
