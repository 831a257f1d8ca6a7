"""The integrity promises on PostgreSQL too: budgets and retries under real concurrency.

Runs when TEST_POSTGRES_URL is set (.ci/run starts a PostgreSQL and sets it).
"""

import pytest

from config import TestingConfig
from tests.conftest import BackgroundTasks, FreshContextClient
from tests.pg_schema import needs_postgres, postgres_schema
from tests.voting import test_ballots
from workshop import create_app
from workshop.extensions import db


@pytest.fixture
def app(tmp_path):
    """The shared fixtures (workshops, participants, voting rooms) on PostgreSQL, in a
    schema of their own (other PostgreSQL tests may run at the same time)."""
    with postgres_schema("voting") as url:
        app = create_app(TestingConfig, instance_path=tmp_path / "instance",
                         SQLALCHEMY_DATABASE_URI=url)
        app.test_client_class = FreshContextClient
        app.background_tasks = BackgroundTasks(app)
        with app.app_context():
            db.create_all()
            yield app
            app.background_tasks.settle()  # broadcasts still running hold the schema
            app.background_tasks.restore()
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
