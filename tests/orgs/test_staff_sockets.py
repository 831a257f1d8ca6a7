"""Staff Socket.IO connections and events check the plan's access like the pages do."""

import pytest

from tests.conftest import PASSWORD
from tests.orgs.seed import seed
from workshop.extensions import db

CONNECT = {  # role -> what a console connection of A's workshop gets
    "admin_a": "connected", "facilitator_a": "connected",
    "owner_a": "forbidden", "viewer_a": "forbidden",
    "facilitator_off_team": "unknown_workshop", "admin_b": "unknown_workshop",
}


@pytest.fixture
def world(app):
    made = seed()
    return made


def _browser(app, account):
    browser = app.test_client()
    response = browser.post("/login", data={"email": account.email, "password": PASSWORD})
    assert response.status_code == 302
    return browser


@pytest.mark.parametrize("screen", ["console", "presenter"])
@pytest.mark.parametrize(("role", "outcome"), CONNECT.items())
def test_staff_connections_by_role(app, world, socket_client, role, outcome, screen):
    browser = _browser(app, world[role])
    client = socket_client(flask_test_client=browser,
                           auth={"workshop": world["ids"]["workshop_id"], "role": screen})
    assert client.is_connected() == (outcome == "connected")


@pytest.mark.parametrize(("role", "outcome"), CONNECT.items())
def test_review_screen_by_role(app, world, socket_client, role, outcome):
    browser = _browser(app, world[role])
    client = socket_client(flask_test_client=browser,
                           auth={"review": world["ids"]["round_id"], "role": "review"})
    assert client.is_connected() == (outcome == "connected")


def test_a_console_whose_role_was_lowered_can_no_longer_change_anything(app, world,
                                                                         socket_client):
    from workshop.live.models import Workshop
    from workshop.plans import team

    browser = _browser(app, world["facilitator_a"])
    console = socket_client(flask_test_client=browser,
                            auth={"workshop": world["ids"]["workshop_id"], "role": "console"})
    assert console.is_connected()
    member = next(t for t in team.list_team(db.session.get(Workshop, world["ids"][
        "workshop_id"]).plan) if t.membership.account_id == world["facilitator_a"].id)
    team.change_team_role(world["admin_a"], world["ids"]["plan_id"], member.id, "viewer")
    db.session.commit()
    ack = console.emit("set_joining", {"cid": "joining-0001", "open": False}, callback=True)
    assert ack["ok"] is False and ack["code"] == "forbidden"
    db.session.expire_all()
    assert db.session.get(Workshop, world["ids"]["workshop_id"]).joining_open is True


def test_a_removed_member_loses_their_open_console_at_once(app, world, socket_client):
    from workshop.orgs import services as orgs

    admin = _browser(app, world["admin_a"])
    browser = _browser(app, world["facilitator_a"])
    console = socket_client(flask_test_client=browser,
                            auth={"workshop": world["ids"]["workshop_id"], "role": "console"})
    assert console.is_connected()
    membership = next(m for m in orgs.list_members(db.session.get(
        orgs.Organisation, world["ids"]["organisation_id"]))
        if m.account_id == world["facilitator_a"].id)
    response = admin.post(f"/organisations/{world['ids']['organisation_id']}/members/"
                          f"{membership.id}/remove")
    assert response.status_code == 302
    assert not console.is_connected()
    assert browser.get(f"/plans/{world['ids']['plan_id']}").status_code == 404


def test_every_console_event_is_refused_once_the_role_no_longer_allows_it(app, world,
                                                                          socket_client):
    """Each staff event passes the same check (realtime.executor.live_event): with the
    facilitator lowered to viewer, every console event is refused and nothing changes."""
    from tests.hardening.test_fuzz import templates
    from tests.orgs.test_access_matrix import _checksum
    from workshop.live.models import Workshop
    from workshop.plans import team
    from workshop.realtime.executor import EVENTS

    workshop = db.session.get(Workshop, world["ids"]["workshop_id"])
    collect, vote = workshop.steps[0].id, workshop.steps[1].id
    payloads = templates({"proposals": [1, 2], "domains": [d.id for d in workshop.plan.domains],
                          "collect": collect, "vote": vote})
    browser = _browser(app, world["facilitator_a"])
    console = socket_client(flask_test_client=browser,
                            auth={"workshop": workshop.id, "role": "console"})
    member = next(t for t in team.list_team(workshop.plan)
                  if t.membership.account_id == world["facilitator_a"].id)
    team.change_team_role(world["admin_a"], workshop.plan_id, member.id, "viewer")
    db.session.commit()
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    before = _checksum(path)
    staff_events = sorted(name for name, (roles, _spec) in EVENTS.items() if "console" in roles
                          and "participant" not in roles)
    assert len(staff_events) >= 14  # start, pause, …, reveal: every console command
    for n, name in enumerate(staff_events):
        payload = {**payloads[name], **({"cid": f"lowered-{n:04d}"} if "cid" in payloads[name]
                                        else {})}
        ack = console.emit(name, payload, callback=True)
        assert ack["ok"] is False and ack["code"] == "forbidden", (name, ack)
    assert _checksum(path) == before
