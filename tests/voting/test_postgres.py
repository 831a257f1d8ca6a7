"""The integrity promises on PostgreSQL too: budgets and retries under real concurrency.

Runs when TEST_POSTGRES_URL is set (.ci/run starts a PostgreSQL and sets it).
"""

import os

import pytest
from sqlalchemy import text

from config import TestingConfig
from tests.conftest import FreshContextClient
from tests.voting import test_ballots
from workshop import create_app
from workshop.extensions import db

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL")
needs_postgres = pytest.mark.skipif(
    not (POSTGRES_URL or os.environ.get("KOERS_REQUIRE_POSTGRES") == "1"),
    reason="TEST_POSTGRES_URL not set (.ci/run sets it)")


@pytest.fixture
def app(tmp_path):
    """The shared fixtures (workshops, participants, voting rooms) on PostgreSQL."""
    assert POSTGRES_URL, "KOERS_REQUIRE_POSTGRES=1 but TEST_POSTGRES_URL is not set"
    app = create_app(TestingConfig, instance_path=tmp_path / "instance",
                     SQLALCHEMY_DATABASE_URI=POSTGRES_URL)
    app.test_client_class = FreshContextClient
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


# Wrappers, not aliases: marking an imported test function would mark the original too.
@needs_postgres
def test_dots_within_budget_on_postgresql(voting_room):
    test_ballots.test_dots_are_added_moved_and_removed_within_the_budget(voting_room)


@needs_postgres
@pytest.mark.parametrize("attempt", range(3))
def test_fifty_simultaneous_dots_on_postgresql(app, voting_room, attempt):
    test_ballots.test_fifty_simultaneous_dots_on_a_budget_of_five_store_exactly_five(
        app, voting_room, attempt)


@needs_postgres
@pytest.mark.parametrize("attempt", range(3))
def test_fifty_simultaneous_retries_on_postgresql(app, voting_room, attempt):
    test_ballots.test_fifty_simultaneous_retries_of_one_vote_store_one(app, voting_room, attempt)


@needs_postgres
def test_merged_votes_on_postgresql(voting_room):
    test_ballots.test_merged_votes_follow_keeping_the_larger_and_refunding_dots(voting_room)
