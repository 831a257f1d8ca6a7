"""Organisations, members and invitations, without HTTP."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD, run_in_threads
from workshop.accounts import services as accounts
from workshop.core.errors import Conflict, Forbidden, NotFound
from workshop.core.time import utcnow
from workshop.extensions import db
from workshop.orgs import services as orgs
from workshop.orgs.access import MANAGE, authorise_organisation
from workshop.orgs.models import Invitation, Membership
from workshop.plans import access, team
from workshop.plans import services as plans
from workshop.realtime.executor import execute


@pytest.fixture
def org(app):
    organisation = orgs.create_organisation("POM")
    admin = accounts.create_facilitator("admin@example.org", "Admin", PASSWORD,
                                        organisation=organisation)
    db.session.commit()
    return organisation, admin


def test_the_first_account_administers_the_installation_and_its_first_organisation(app):
    first = accounts.create_first_facilitator("anna@example.org", "Anna", PASSWORD, "POM West")
    second = accounts.create_facilitator("bert@example.org", "Bert", PASSWORD, role="viewer")
    assert first.is_install_admin and not second.is_install_admin
    home = orgs.home_organisation()
    assert home.name == "POM West"
    roles = {m.account_id: m.role for m in orgs.list_members(home)}
    assert roles == {first.id: "administrator", second.id: "viewer"}


def test_an_invitation_makes_a_member_once(app, org):
    organisation, admin = org
    _invitation, token = orgs.invite(admin, organisation.id, " Cees@Example.org ", "viewer")
    cees = accounts.create_invited_account("cees@example.org", "Cees", PASSWORD)
    membership = orgs.accept(token, cees)
    assert (membership.role, membership.account_id) == ("viewer", cees.id)
    with pytest.raises(NotFound):
        orgs.accept(token, cees)  # used


def test_an_invitation_is_taken_up_once_under_a_race(app, org):
    organisation, admin = org
    _invitation, token = execute(lambda: orgs.invite(admin, organisation.id, "x@example.org",
                                                     "facilitator"))
    people = [execute(lambda n=n: accounts.create_invited_account(
        f"p{n}@example.org", f"P{n}", PASSWORD)) for n in range(8)]

    def take(n):
        with app.app_context():
            try:
                execute(lambda: orgs.accept(token, db.session.merge(people[n])))
                return "member"
            except NotFound:
                return "refused"
            finally:
                db.session.remove()

    results = run_in_threads(8, take)
    assert sorted(results).count("member") == 1
    assert db.session.scalar(select(db.func.count()).select_from(Membership).where(
        Membership.organisation_id == organisation.id)) == 2


def test_an_expired_or_withdrawn_invitation_opens_nothing(app, org):
    organisation, admin = org
    invitation, token = orgs.invite(admin, organisation.id, "late@example.org", "viewer")
    invitation.expires_at = utcnow() - timedelta(seconds=1)
    with pytest.raises(NotFound):
        orgs.invitation_for(token)
    other, other_token = orgs.invite(admin, organisation.id, "gone@example.org", "viewer")
    orgs.revoke_invitation(admin, organisation.id, other.id)
    with pytest.raises(NotFound):
        orgs.invitation_for(other_token)
    with pytest.raises(NotFound):
        orgs.invitation_for("x" * 40)


def test_only_administrators_manage_and_the_last_one_stays(app, org):
    organisation, admin = org
    viewer = accounts.create_facilitator("v@example.org", "V", PASSWORD,
                                         organisation=organisation, role="viewer")
    with pytest.raises(Forbidden):
        orgs.invite(viewer, organisation.id, "z@example.org", "administrator")
    mine = next(m for m in orgs.list_members(organisation) if m.account_id == admin.id)
    with pytest.raises(Conflict):
        orgs.change_role(admin, organisation.id, mine.id, "viewer")
    with pytest.raises(Conflict):
        orgs.remove_member(admin, organisation.id, mine.id)
    assert db.session.scalar(select(Invitation.id)) is None


def test_an_organisation_is_invisible_to_strangers(app, org):
    organisation, _admin = org
    stranger = accounts.create_facilitator("s@example.org", "S", PASSWORD,
                                           organisation=orgs.create_organisation("Other"))
    with pytest.raises(NotFound):
        authorise_organisation(stranger, organisation.id)
    with pytest.raises(NotFound):
        orgs.invite(stranger, organisation.id, "y@example.org", "viewer")


def test_removing_a_member_takes_them_off_every_team_of_the_organisation(app, org):
    organisation, admin = org
    bert = accounts.create_facilitator("b@example.org", "Bert", PASSWORD,
                                       organisation=organisation, role="facilitator")
    plan = plans.create_plan({"title": "P", "organisation": "POM", "horizon_start": 2027,
                              "horizon_end": 2030}, created_by=bert, organisation=organisation)
    assert access.plan_role(bert, plan) == "facilitator"  # the creator joins the team
    assert [t.membership.account_id for t in team.list_team(plan)] == [bert.id]
    membership = next(m for m in orgs.list_members(organisation) if m.account_id == bert.id)
    orgs.remove_member(admin, organisation.id, membership.id)
    db.session.expire_all()
    assert team.list_team(plan) == []
    assert access.plan_role(bert, plan) is None
    with pytest.raises(NotFound):
        access.authorise_plan(bert, plan.id, access.READ)


def test_viewers_and_indicator_owners_cannot_create_plans(app, org):
    organisation, _admin = org
    viewer = accounts.create_facilitator("v@example.org", "V", PASSWORD,
                                         organisation=organisation, role="viewer")
    with pytest.raises(Forbidden):
        plans.create_plan({"title": "P", "organisation": "POM", "horizon_start": 2027,
                           "horizon_end": 2030}, created_by=viewer, organisation=organisation)


def test_only_the_installation_administrator_makes_organisations(app, org):
    organisation, first = org
    admin = accounts.create_facilitator("a2@example.org", "A2", PASSWORD,
                                        organisation=organisation)
    assert first.is_install_admin and not admin.is_install_admin
    with pytest.raises(Forbidden):
        orgs.invite_first_administrator(admin, organisation, "new@example.org")
    assert authorise_organisation(admin, organisation.id, MANAGE) is organisation
    other = orgs.create_organisation("Other")
    _invitation, token = orgs.invite_first_administrator(first, other, "boss@example.org")
    assert orgs.invitation_for(token).role == "administrator"
