"""Organisation pages: invitations taken up in a browser-like client, members managed."""

import re

from tests.conftest import PASSWORD
from workshop.accounts import services as accounts
from workshop.extensions import db
from workshop.orgs import services as orgs


def _link(response_page):
    match = re.search(r"(/invite/[A-Za-z0-9_-]{20,})", response_page)
    assert match, "no invitation link on the page"
    return match.group(1)


def test_an_administrator_invites_a_colleague_who_sets_up_an_account(app, logged_in):
    organisation = orgs.home_organisation()
    response = logged_in.post(f"/organisations/{organisation.id}/invitations",
                              data={"email": "bert@example.org", "role": "facilitator"},
                              follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "bert@example.org" in page
    link = _link(page)

    newcomer = app.test_client()
    form = newcomer.get(link).get_data(as_text=True)
    assert f"Join {organisation.name}" in form and 'value="bert@example.org"' in form
    response = newcomer.post(link, data={"name": "Bert", "email": "evil@example.org",
                                         "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 302
    bert = accounts.authenticate("bert@example.org", PASSWORD)  # the invited address
    assert bert is not None and accounts.authenticate("evil@example.org", PASSWORD) is None
    roles = {m.account.email: m.role for m in orgs.list_members(organisation)}
    assert roles["bert@example.org"] == "facilitator"
    assert "Plans" in newcomer.get("/").get_data(as_text=True)
    # The link works once.
    again = app.test_client().get(link)
    assert again.status_code == 404
    assert "not valid" in again.get_data(as_text=True)


def test_someone_with_an_account_accepts_while_logged_in(app, logged_in, make_facilitator):
    other = orgs.create_organisation("Tweede")
    boss = accounts.create_facilitator("boss@example.org", "Boss", PASSWORD, organisation=other)
    _invitation, token = orgs.invite(boss, other.id, "anna@example.org", "viewer")
    db.session.commit()
    page = logged_in.get(f"/invite/{token}").get_data(as_text=True)
    assert "Accept the invitation" in page
    assert logged_in.post(f"/invite/{token}").status_code == 302
    assert "Tweede" in logged_in.get("/organisations").get_data(as_text=True)


def test_members_page_changes_roles_and_removes_people(app, logged_in):
    organisation = orgs.home_organisation()
    bert = accounts.create_facilitator("bert@example.org", "Bert", PASSWORD,
                                       organisation=organisation, role="facilitator")
    db.session.commit()
    membership = next(m for m in orgs.list_members(organisation) if m.account_id == bert.id)
    url = f"/organisations/{organisation.id}/members/{membership.id}"
    assert logged_in.post(url + "/role", data={"role": "viewer"}).status_code == 302
    db.session.expire_all()
    assert {m.account_id: m.role for m in orgs.list_members(organisation)}[bert.id] == "viewer"
    # An unknown role is refused with a message and changes nothing.
    page = logged_in.post(url + "/role", data={"role": "owner"},
                          follow_redirects=True).get_data(as_text=True)
    assert "Not a valid choice" in page or "Choose a role" in page
    assert logged_in.post(url + "/remove").status_code == 302
    db.session.expire_all()
    assert bert.id not in {m.account_id for m in orgs.list_members(organisation)}


def test_a_viewer_reads_the_plan_without_edit_controls(app, client, make_plan):
    plan = make_plan(domains=["Ruimte"])
    viewer = accounts.create_facilitator("v@example.org", "Vera", PASSWORD, role="viewer")
    from workshop.plans import team

    admin = accounts.create_facilitator("a@example.org", "Adm", PASSWORD)
    membership = next(m for m in orgs.list_members(plan.owner) if m.account_id == viewer.id)
    team.add_to_team(admin, plan.id, membership.id, "viewer")
    db.session.commit()
    client.post("/login", data={"email": "v@example.org", "password": PASSWORD})
    page = client.get(f"/plans/{plan.id}").get_data(as_text=True)
    assert "Draft plan document" in page
    assert "Edit plan" not in page and "New workshop" not in page
    assert client.get(f"/plans/{plan.id}/edit").status_code == 403
    assert client.get("/plans/new").status_code == 403


def test_an_indicator_owner_reports_only_their_own_indicators(app, client, make_plan):
    from workshop.monitor import services as monitor
    from workshop.plans import team
    from workshop.tree import services as tree

    plan = make_plan(domains=["Ruimte"])
    admin = accounts.create_facilitator("a@example.org", "Adm", PASSWORD)
    owner = accounts.create_facilitator("o@example.org", "Olga", PASSWORD,
                                        role="indicator_owner")
    membership = next(m for m in orgs.list_members(plan.owner) if m.account_id == owner.id)
    team.add_to_team(admin, plan.id, membership.id, "indicator_owner")
    ambition = tree.add_item(plan, "ambition", plan.domains[0].id, "Ruimte voor bedrijven")
    goal = tree.add_item(plan, "strategic_goal", plan.domains[0].id, "Meer hectare",
                         ambition.id)
    hers = monitor.add_indicator(plan, goal.id, {"name": "Hectare", "reporter_id": owner.id,
                                                 "frequency": "monthly",
                                                 "baseline_date": "2026-01-01"})
    other = monitor.add_indicator(plan, goal.id, {"name": "Jobs"})
    db.session.commit()
    client.post("/login", data={"email": "o@example.org", "password": PASSWORD})
    mine = client.get("/indicators/mine").get_data(as_text=True)
    assert "Hectare" in mine and "Jobs" not in mine
    assert "Measurement overdue" in mine  # monthly since January, never measured
    url = f"/plans/{plan.id}/indicators/{hers.id}/measurements"
    assert client.post(url, data={"date": "2026-11-01", "value": "12"}).status_code == 302
    db.session.expire_all()
    assert [(m.value, m.entered_by_id) for m in hers.measurements] == [(12.0, owner.id)]
    refused = client.post(f"/plans/{plan.id}/indicators/{other.id}/measurements",
                          data={"date": "2026-11-01", "value": "5"})
    assert refused.status_code == 403
    db.session.expire_all()
    assert other.measurements == []
    dashboard = client.get(f"/plans/{plan.id}/monitor").get_data(as_text=True)
    assert "Who reports what" in dashboard and "Olga" in dashboard
    # Naming someone who may not report is refused.
    import pytest

    from workshop.core.errors import DomainError

    stranger = accounts.create_facilitator("s@example.org", "S", PASSWORD, role="viewer")
    with pytest.raises(DomainError):
        monitor.edit_indicator(plan, other, {"reporter_id": stranger.id})
