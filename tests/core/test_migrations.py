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


def test_upgrading_keeps_every_row_of_a_running_workshop(tmp_path):
    """Upgrading from the live-workshop schema loses nothing (SQLite rebuilds tables)."""
    app = create_app(TestingConfig, instance_path=tmp_path,
                     SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'u.db'}")
    with app.app_context():
        upgrade(revision="b09f3d9452fa")  # live workshops, before voting
        with db.engine.begin() as c:
            c.execute(text(
                "INSERT INTO plans (id, title, organisation, mission, tagline, horizon_start,"
                " horizon_end, status, created_at, updated_at) VALUES (1, 'P', 'O', '', '',"
                " 2027, 2030, 'draft', '2026-01-01', '2026-01-01')"))
            c.execute(text("INSERT INTO domains (id, plan_id, name, description, colour, "
                           "position) VALUES (1, 1, 'D', '', '#123456', 1)"))
            c.execute(text(
                "INSERT INTO workshops (id, plan_id, title, code, anonymous, joining_open,"
                " premoderation, status, version, stage_version, created_at) VALUES"
                " (1, 1, 'W', 'ABCDEFGH', 0, 1, 0, 'running', 3, 2, '2026-01-01')"))
            c.execute(text(
                "INSERT INTO steps (id, workshop_id, position, kind, title, body, item_kind,"
                " max_length, max_per_participant, state) VALUES"
                " (1, 1, 1, 'collect', 'S', '', 'ambition', 280, 5, 'open')"))
            c.execute(text("UPDATE workshops SET live_step_id = 1"))
            c.execute(text("INSERT INTO step_domains VALUES (1, 1)"))
            c.execute(text(
                "INSERT INTO participants (id, workshop_id, token_hash, joined_at) VALUES"
                " (1, 1, 'h', '2026-01-01')"))
            c.execute(text(
                "INSERT INTO proposals (id, workshop_id, step_id, domain_id, participant_id,"
                " item_kind, text, slot, status, created_at, updated_at) VALUES"
                " (1, 1, 1, 1, 1, 'ambition', 'Meer ruimte', 1, 'visible', '2026-01-01',"
                " '2026-01-01')"))
        upgrade()
        with db.engine.connect() as c:
            counts = {table: c.execute(text(f"SELECT count(*) FROM {table}")).scalar()  # noqa: S608
                      for table in ("steps", "step_domains", "proposals", "participants")}
            live = c.execute(text("SELECT live_step_id FROM workshops")).scalar()
            reveal = c.execute(text("SELECT reveal FROM steps")).scalar()
        db.engine.dispose()
    assert counts == {"steps": 1, "step_domains": 1, "proposals": 1, "participants": 1}
    assert live == 1 and reveal == "hidden"


def test_upgrading_moves_an_installation_into_one_organisation(tmp_path):
    """Accounts and plans from before organisations: one organisation (named after most
    of its plans) holds every plan, every account administers it, the first account is
    the installation's administrator, and nothing else changes."""
    app = create_app(TestingConfig, instance_path=tmp_path,
                     SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'o.db'}")
    with app.app_context():
        upgrade(revision="a3c1e5d7f9b2")  # before organisations
        with db.engine.begin() as c:
            for n in (1, 2):
                c.execute(text(
                    "INSERT INTO facilitators (id, email, name, password_hash, created_at,"
                    " session_version) VALUES (:n, :email, 'F', 'h', '2026-01-01', 1)"),
                    {"n": n, "email": f"f{n}@example.org"})
            for n, organisation in ((1, "POM West"), (2, "POM West"), (3, "Stad")):
                c.execute(text(
                    "INSERT INTO plans (id, title, organisation, mission, tagline,"
                    " horizon_start, horizon_end, status, created_by_id, created_at,"
                    " updated_at) VALUES (:n, 'P', :o, '', '', 2027, 2030, 'draft', 2,"
                    " '2026-01-01', '2026-01-01')"), {"n": n, "o": organisation})
        upgrade()
        with db.engine.connect() as c:
            organisations = c.execute(text("SELECT id, name FROM organisations")).all()
            members = c.execute(text(
                "SELECT account_id, role FROM memberships ORDER BY account_id")).all()
            plans = c.execute(text(
                "SELECT id, organisation_id, organisation FROM plans ORDER BY id")).all()
            admins = c.execute(text(
                "SELECT id FROM facilitators WHERE is_install_admin")).scalars().all()
        db.engine.dispose()
    assert [name for _id, name in organisations] == ["POM West"]
    org_id = organisations[0][0]
    assert members == [(1, "administrator"), (2, "administrator")]
    assert plans == [(1, org_id, "POM West"), (2, org_id, "POM West"), (3, org_id, "Stad")]
    assert admins == [1]


def test_a_fresh_database_has_no_organisation_until_the_set_up(tmp_path):
    app = create_app(TestingConfig, instance_path=tmp_path,
                     SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'f.db'}")
    with app.app_context():
        upgrade()
        with db.engine.connect() as c:
            assert c.execute(text("SELECT count(*) FROM organisations")).scalar() == 0
        db.engine.dispose()
