"""A plan's team: which members of its organisation work on it, and as what. They flush
and never commit (`realtime.executor.execute` at the edge)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from workshop.core.errors import Conflict, DomainError, NotFound
from workshop.extensions import db
from workshop.orgs import audit
from workshop.orgs.models import Membership
from workshop.plans.access import EDIT, authorise_plan
from workshop.plans.models import TEAM_ROLES, PlanMember


def list_team(plan):
    return db.session.scalars(
        select(PlanMember).where(PlanMember.plan_id == plan.id)
        .order_by(PlanMember.role, PlanMember.id)).all()


def candidates(plan):
    """Members of the plan's organisation who are not on its team (administrators see
    every plan of theirs already)."""
    on_team = select(PlanMember.membership_id).where(PlanMember.plan_id == plan.id)
    return db.session.scalars(
        select(Membership).where(Membership.organisation_id == plan.organisation_id,
                                 Membership.role != "administrator",
                                 Membership.id.not_in(on_team))
        .order_by(Membership.id)).all()


def _check_role(role):
    if role not in TEAM_ROLES:
        raise DomainError(_l("Choose a role."), field="role")


def add_to_team(actor, plan_id, membership_id, role):
    plan = authorise_plan(actor, plan_id, EDIT)
    _check_role(role)
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.organisation_id != plan.organisation_id:
        raise DomainError(_l("Choose a member of the plan's organisation."), field="member")
    try:
        with db.session.begin_nested():
            member = PlanMember(plan_id=plan.id, membership_id=membership.id, role=role)
            db.session.add(member)
    except IntegrityError:
        raise Conflict(_l("This member is on the team already."), field="member") from None
    audit.record(plan.organisation_id, "team_changed", membership.account.email, actor,
                 plan=plan.title, role=role)
    return member


def _team_member(plan, team_member_id):
    member = db.session.get(PlanMember, team_member_id)
    if member is None or member.plan_id != plan.id:
        raise NotFound(_l("This team member does not exist."))
    return member


def change_team_role(actor, plan_id, team_member_id, role):
    plan = authorise_plan(actor, plan_id, EDIT)
    _check_role(role)
    member = _team_member(plan, team_member_id)
    member.role = role
    db.session.flush()
    audit.record(plan.organisation_id, "team_changed", member.membership.account.email,
                 actor, plan=plan.title, role=role)
    return member


def remove_from_team(actor, plan_id, team_member_id):
    plan = authorise_plan(actor, plan_id, EDIT)
    member = _team_member(plan, team_member_id)
    account = member.membership.account
    db.session.delete(member)
    db.session.flush()
    audit.record(plan.organisation_id, "team_changed", account.email, actor,
                 plan=plan.title, role=None)
    return account
