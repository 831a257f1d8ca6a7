"""Shared fixtures: an app on an in-memory database, clients, and factories."""

import pytest
from flask.testing import FlaskClient

from config import TestingConfig
from workshop import create_app
from workshop.extensions import db

PASSWORD = "correct horse battery"


class FreshContextClient(FlaskClient):
    """Each request runs in its own app context, as on a real server.

    The `app` fixture keeps an app context open for service calls in the test
    body; without this, requests would share its `g` (and Flask-Login's cached
    user) and its database session.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Tests read English unless they ask for Dutch (the install default is nl).
        self.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        # What the test body loaded before the request may have changed since.
        db.session.expire_all()
        return response


@pytest.fixture
def app(tmp_path):
    app = create_app(
        TestingConfig,
        instance_path=tmp_path / "instance",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'koers.db'}",
    )
    app.test_client_class = FreshContextClient
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_facilitator(app):
    """Factory: make_facilitator(email=…, name=…, password=…) -> Facilitator."""
    from workshop.accounts import services

    counter = iter(range(1, 10_000))

    def make(email=None, name=None, password=PASSWORD):
        n = next(counter)
        return services.create_facilitator(
            email or f"facilitator{n}@example.org", name or f"Facilitator {n}", password
        )

    return make


@pytest.fixture
def facilitator(make_facilitator):
    return make_facilitator(email="anna@example.org", name="Anna")


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, email="anna@example.org", password=PASSWORD):
        return self._client.post("/login", data={"email": email, "password": password})

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def logged_in(client, auth, facilitator):
    """A client logged in as the facilitator Anna."""
    response = auth.login()
    assert response.status_code == 302
    return client


@pytest.fixture
def make_plan(app):
    """Factory: make_plan(title=…, domains=[names]) -> Plan."""
    from workshop.plans import services

    def make(title="Strategisch plan", domains=(), **fields):
        data = {
            "title": title,
            "organisation": fields.pop("organisation", "POM"),
            "horizon_start": fields.pop("horizon_start", 2027),
            "horizon_end": fields.pop("horizon_end", 2032),
            **fields,
        }
        plan = services.create_plan(data)
        for name in domains:
            services.add_domain(plan, {"name": name, "colour": services.next_colour(plan)})
        return plan

    return make
