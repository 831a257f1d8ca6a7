"""Facilitator account rules, without HTTP."""

import threading

import pytest
from sqlalchemy import func, select

from config import TestingConfig
from workshop import create_app
from workshop.accounts import services
from workshop.accounts.models import Facilitator
from workshop.core.errors import Conflict, DomainError
from workshop.extensions import db

PASSWORD = "correct horse battery"


def test_first_facilitator_is_created_once(app):
    services.create_first_facilitator("anna@example.org", "Anna", PASSWORD)
    with pytest.raises(Conflict):
        services.create_first_facilitator("bert@example.org", "Bert", PASSWORD)
    assert services.count_facilitators() == 1


def test_email_is_normalised_and_unique(app):
    services.create_facilitator(" Anna@Example.ORG ", "Anna", PASSWORD)
    with pytest.raises(Conflict) as error:
        services.create_facilitator("anna@example.org", "Anna bis", PASSWORD)
    assert error.value.field == "email"
    assert services.count_facilitators() == 1


@pytest.mark.parametrize(
    ("email", "name", "password", "field"),
    [
        ("not-an-address", "Anna", PASSWORD, "email"),
        ("anna@example.org", "   ", PASSWORD, "name"),
        ("anna@example.org", "Anna", "short", "password"),
        ("anna@example.org", "Anna", "aaaaaaaaaaaa", "password"),
    ],
)
def test_bad_account_data_is_refused_and_stores_nothing(app, email, name, password, field):
    with pytest.raises(DomainError) as error:
        services.create_facilitator(email, name, password)
    assert error.value.field == field
    assert services.count_facilitators() == 0


def test_password_is_stored_as_argon2_hash(app):
    facilitator = services.create_facilitator("anna@example.org", "Anna", PASSWORD)
    assert facilitator.password_hash.startswith("$argon2id$")
    assert PASSWORD not in facilitator.password_hash


def test_authenticate_accepts_right_and_refuses_wrong_password(app):
    services.create_facilitator("anna@example.org", "Anna", PASSWORD)
    assert services.authenticate("ANNA@example.org", PASSWORD).name == "Anna"
    assert services.authenticate("anna@example.org", "wrong password!") is None
    assert services.authenticate("nobody@example.org", PASSWORD) is None


def test_change_password_needs_current_one_and_ends_old_sessions(app):
    facilitator = services.create_facilitator("anna@example.org", "Anna", PASSWORD)
    old_session_id = facilitator.get_id()
    with pytest.raises(DomainError) as error:
        services.change_password(facilitator, "not my password", "a new good password")
    assert error.value.field == "current_password"
    with pytest.raises(DomainError) as error:
        services.change_password(facilitator, PASSWORD, "short")
    assert error.value.field == "new_password"

    services.change_password(facilitator, PASSWORD, "a new good password")
    assert services.authenticate("anna@example.org", "a new good password")
    assert services.authenticate("anna@example.org", PASSWORD) is None
    assert services.load_by_session_id(old_session_id) is None
    assert services.load_by_session_id(facilitator.get_id()) == facilitator


@pytest.mark.parametrize("bad", ["", "x", "1", "1:x", "999:1", None, "1:2:3"])
def test_unknown_or_malformed_session_ids_load_nobody(app, bad):
    services.create_facilitator("anna@example.org", "Anna", PASSWORD)
    assert services.load_by_session_id(bad) is None


@pytest.mark.parametrize("run", range(3))
def test_simultaneous_first_setups_make_exactly_one_account(tmp_path, run):
    """Eight browsers submit the set-up form at the same moment: one wins."""
    database = tmp_path / f"setup{run}.db"
    app = create_app(
        TestingConfig,
        instance_path=tmp_path / "instance",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}",
    )
    with app.app_context():
        db.create_all()
    barrier = threading.Barrier(8)
    outcomes = []

    def attempt(n):
        with app.app_context():
            barrier.wait()
            try:
                services.create_first_facilitator(f"p{n}@example.org", f"P{n}", PASSWORD)
                outcomes.append("created")
            except Conflict:
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with app.app_context():
        stored = db.session.scalar(select(func.count()).select_from(Facilitator))
        db.engine.dispose()
    assert outcomes.count("created") == 1
    assert outcomes.count("refused") == 7
    assert stored == 1
