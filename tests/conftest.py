"""Shared fixtures: an app on an in-memory database, clients, and factories."""

import os
import shutil
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from config import TestingConfig
from workshop import create_app
from workshop.extensions import db

PASSWORD = "correct horse battery"


def _committed(change):
    """Run a service as its edge would: one transaction, committed."""
    from workshop.realtime.executor import execute

    return execute(change)


def run_in_threads(n, target):
    """Start `n` real threads that call target(i) together (behind a barrier)."""
    import threading

    barrier = threading.Barrier(n)
    results = []

    def work(i):
        barrier.wait()
        results.append(target(i))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


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
        # Services flush and never commit: what the test body set up through them is
        # committed here, as an edge would, before the request (its own session) runs.
        db.session.commit()
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        # What the test body loaded before the request may have changed since.
        db.session.expire_all()
        return response


class BackgroundTasks:
    """Tracks the realtime layer's background tasks so event tests can wait for them.

    Production code has no test branches: broadcasts go out after the ack in a task
    of their own, tallies through the coalescing loop. `settle()` waits until those
    tasks are done and no tally is due, so a test reads what the screens would get.
    """

    def __init__(self, app):
        from workshop.extensions import socketio
        from workshop.realtime import tallies

        self.app, self.tallies, self.tasks = app, tallies, []
        self._start = socketio.server.start_background_task

        def tracked(target, *args, **kwargs):
            task = self._start(target, *args, **kwargs)
            if getattr(target, "__name__", "") != "_loop":  # the coalescer idles on
                self.tasks.append(task)
            return task

        socketio.server.start_background_task = tracked
        self.socketio = socketio

    def settle(self, timeout=10):
        import time

        deadline = time.monotonic() + timeout
        while True:
            for task in list(self.tasks):
                task.join(max(0.0, deadline - time.monotonic()))
            self.tasks = [task for task in self.tasks if task.is_alive()]
            if not self.tasks and self.tallies.idle(self.app):
                return
            if time.monotonic() > deadline:
                raise AssertionError("the realtime deliveries did not settle")
            time.sleep(0.005)

    def restore(self):
        self.socketio.server.start_background_task = self._start


@pytest.fixture
def app(tmp_path):
    app = create_app(
        TestingConfig,
        instance_path=tmp_path / "instance",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'koers.db'}",
    )
    app.test_client_class = FreshContextClient
    app.background_tasks = BackgroundTasks(app)
    with app.app_context():
        db.create_all()
        yield app
        app.background_tasks.settle()
        app.background_tasks.restore()
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
        return _committed(lambda: services.create_facilitator(
            email or f"facilitator{n}@example.org", name or f"Facilitator {n}", password
        ))

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
        db.session.commit()  # services flush; the edge (here: the test) commits
        return plan

    return make


@pytest.fixture
def make_workshop(app, make_plan):
    """Factory: make_workshop(plan=None, steps=[…step data…], **settings) -> Workshop."""
    from workshop.live import agenda, workshops

    def make(plan=None, steps=(), groups=("Employees", "External stakeholders"), **settings):
        plan = plan or make_plan(domains=["Ruimte", "Logistiek"])
        workshop = workshops.create_workshop(
            plan, {"title": settings.pop("title", "Workshop"), "groups": list(groups),
                   **settings})
        for data in steps:
            agenda.add_step(workshop, data)
        db.session.commit()
        return workshop

    return make


def collect_step(plan, **overrides):
    """Step data for a collect step on all of the plan's domains."""
    return {"kind": "collect", "title": "Ambities", "item_kind": "ambition",
            "max_length": 200, "max_per_participant": 3,
            "domain_ids": [d.id for d in plan.domains], **overrides}


@pytest.fixture
def join(app):
    """Factory: join(workshop, name='Piet', group=0) -> (participant, token)."""
    from workshop.live import participation

    def make(workshop, name="Piet", group=0):
        group_id = workshop.groups[group].id if workshop.groups else None
        return _committed(lambda: participation.join(workshop, name, group_id))

    return make


class SocketClient:
    """Flask-SocketIO's test client, each call in its own app context (as on a server).

    Without this, handlers would share the test body's `g` (and Flask-Login's cached
    user) and database session.
    """

    def __init__(self, app, **kwargs):
        from workshop.extensions import socketio

        self.app = app
        db.session.commit()  # what the test set up, as in FlaskClient.open
        with app.app_context():
            self.client = socketio.test_client(app, **kwargs)
        app.background_tasks.settle()
        db.session.expire_all()

    def _call(self, method, *args, **kwargs):
        db.session.commit()
        # What the test body published (execute() in it) goes out in the background too.
        self.app.background_tasks.settle()
        with self.app.app_context():
            result = getattr(self.client, method)(*args, **kwargs)
        # What the event published reaches the rooms after its ack, in the background:
        # wait for it, so the next call reads what every screen has been sent.
        self.app.background_tasks.settle()
        db.session.expire_all()
        return result

    def emit(self, *args, **kwargs):
        return self._call("emit", *args, **kwargs)

    def get_received(self):
        return self._call("get_received")

    def disconnect(self):
        return self._call("disconnect")

    def is_connected(self):
        return self.client.is_connected()


@pytest.fixture
def socket_client(app):
    """Factory: socket_client(auth=…, flask_test_client=…) -> SocketClient."""
    made = []

    def make(**kwargs):
        client = SocketClient(app, **kwargs)
        made.append(client)
        return client

    yield make
    for client in made:
        if client.is_connected():
            client.disconnect()


@pytest.fixture
def voting_room(make_workshop, join):
    """Factory: a live vote step on proposals collected from phones.

    voting_room(method="dots", proposals=[(domain index, text)…], **vote settings) ->
    dict(workshop, collect, vote, people=[participants], proposals=[Proposal…]).
    """
    from workshop.live import agenda, participation, running
    from workshop.realtime.executor import run_once

    def make(method="dots", proposals=((0, "A"), (0, "B"), (0, "C"), (1, "D")), people=3,
             groups=("Employees", "External stakeholders"), **settings):
        workshop = make_workshop(groups=groups, **{k: settings.pop(k) for k in list(settings)
                                                   if k in ("anonymous",)})
        plan = workshop.plan
        collect = agenda.add_step(workshop, collect_step(plan, max_per_participant=20))
        run_once("t", None, lambda: running.start_step(workshop, collect.id))
        author, _ = join(workshop, name="Author")
        made = []
        for domain, text in proposals:
            result, _ = run_once("t", None, lambda d=domain, t=text: participation.submit_proposal(
                author, collect.id, plan.domains[d].id, t))
            made.append(result.ack["proposal"]["id"])
        vote = agenda.add_step(workshop, {
            "kind": "vote", "title": "Stem", "source_step_id": collect.id,
            "vote_method": method, "domain_ids": [d.id for d in plan.domains],
            "dot_budget": settings.pop("dot_budget", 5),
            "max_per_item": settings.pop("max_per_item", 3),
            "rank_top": settings.pop("rank_top", 3), **settings})
        run_once("t", None, lambda: running.start_step(workshop, vote.id))
        persons = [join(workshop, name=f"P{n}", group=n % len(groups))[0]
                   for n in range(people)]
        from workshop.live.models import Proposal

        db.session.commit()
        return {"workshop": workshop, "collect": collect, "vote": vote, "people": persons,
                "proposals": [db.session.get(Proposal, pid) for pid in made]}

    return make


@pytest.fixture
def review_round(make_plan):
    """Factory: a plan with two goals in a 'review' version and an open round on it.

    review_round(**round data) -> dict(plan, round, token, goals=[ambition, goal]).
    """
    from datetime import timedelta

    from workshop.core.time import utcnow
    from workshop.review import services as review
    from workshop.tree import services as tree
    from workshop.tree import versions

    def make(**data):
        plan = make_plan(domains=["Ruimte", "Logistiek"])
        ambition = tree.add_item(plan, "ambition", plan.domains[0].id, "Meer ruimte")
        goal = tree.add_item(plan, "strategic_goal", plan.domains[0].id, "Tien terreinen",
                             ambition.id)
        version = versions.set_status(plan, "review")
        now = utcnow()
        round_, token = review.open_round(plan, version, {
            "title": "Consultatie", "timezone": "UTC",
            "opens_at": data.pop("opens_at", now - timedelta(days=1)),
            "closes_at": data.pop("closes_at", now + timedelta(days=13)), **data})
        db.session.commit()
        return {"plan": plan, "round": round_, "token": token, "goals": [ambition, goal]}

    return make


CHROMIUM = os.environ.get("KOERS_CHROMIUM", "/usr/bin/chromium")


# One Chromium per test process, for every test that drives a browser (tests/browser,
# the XSS sweep): Playwright's sync API cannot be started twice in one process.
@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--disable-dev-shm-usage"],
        )
        yield browser
        browser.close()
