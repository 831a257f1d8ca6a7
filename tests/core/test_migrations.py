"""The committed migrations build exactly the schema the models describe."""

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from config import TestingConfig
from workshop import create_app
from workshop.extensions import db

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL")
# CI sets this so a PostgreSQL that failed to start fails the run instead of skipping.
REQUIRE_POSTGRES = os.environ.get("KOERS_REQUIRE_POSTGRES") == "1"


def _check_round_trip(app):
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        assert {"facilitators", "plans", "domains"} <= set(inspect(db.engine).get_table_names())
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()  # and up again: downgrades leave nothing behind
        db.engine.dispose()


def test_migrations_match_models_on_sqlite(tmp_path):
    app = create_app(TestingConfig, instance_path=tmp_path,
                     SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'm.db'}")
    _check_round_trip(app)


@pytest.mark.skipif(not (POSTGRES_URL or REQUIRE_POSTGRES),
                    reason="TEST_POSTGRES_URL not set (.ci/run sets it)")
def test_migrations_match_models_on_postgresql(tmp_path):
    assert POSTGRES_URL, "KOERS_REQUIRE_POSTGRES=1 but TEST_POSTGRES_URL is not set"
    app = create_app(TestingConfig, instance_path=tmp_path,
                     SQLALCHEMY_DATABASE_URI=POSTGRES_URL)
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    _check_round_trip(app)
