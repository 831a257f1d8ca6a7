"""Who may do what with a plan: the one authorisation function for plans, and through
them for everything a plan holds (its tree, workshops, review rounds, indicators and
exports).

A plan is visible to the administrators of its organisation and to the members on its
team. To everyone else it does not exist (NotFound, a 404), whatever their role
elsewhere; a team member whose role does not allow a change gets Forbidden (a 403).
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from workshop.core.errors import Forbidden, NotFound
from workshop.extensions import db
from workshop.orgs.models import Membership
from workshop.plans.models import Plan, PlanMember

READ = "read"  # the plan, its documents and dashboards, its exports
REPORT = "report"  # figures of the indicators one owns (monitor checks the owner)
EDIT = "edit"  # everything else: the plan, its tree, workshops, rounds, indicators, team

_ALLOWED = {
    READ: {"administrator", "facilitator", "indicator_owner", "viewer"},
    REPORT: {"administrator", "facilitator", "indicator_owner"},
    EDIT: {"administrator", "facilitator"},
}


@dataclass(frozen=True)
class PlanAccess:
    plan: Plan
    role: str

    def may(self, need):
        return self.role in _ALLOWED[need]


def plan_role(account, plan):
    """The account's role on this plan ("administrator" for the organisation's
    administrators), or None when the plan is not theirs to see."""
    if account is None or not getattr(account, "id", None):
        return None
    org_role = db.session.scalar(select(Membership.role).where(
        Membership.organisation_id == plan.organisation_id,
        Membership.account_id == account.id))
    if org_role is None:
        return None
    if org_role == "administrator":
        return "administrator"
    return db.session.scalar(select(PlanMember.role).join(Membership).where(
        PlanMember.plan_id == plan.id, Membership.account_id == account.id,
        Membership.organisation_id == plan.organisation_id))


def authorise_plan(account, plan_id, need=EDIT):
    """The plan if `account` may `need` it; NotFound when it is not theirs to see,
    Forbidden when their role on it does not allow `need`."""
    return access_to_plan(account, plan_id, need).plan


def access_to_plan(account, plan_id, need=READ):
    """As authorise_plan, with the role (for pages that show what the role allows)."""
    plan = db.session.get(Plan, plan_id) if isinstance(plan_id, int) else None
    role = plan_role(account, plan) if plan is not None else None
    if role is None:
        raise NotFound(_l("This plan does not exist."))
    if role not in _ALLOWED[need]:
        raise Forbidden(_l("Your role on this plan does not allow this."))
    return PlanAccess(plan, role)


def visible_plans(account):
    """Every plan `account` may read, newest first."""
    if account is None or not getattr(account, "id", None):
        return []
    admin_of = select(Membership.organisation_id).where(
        Membership.account_id == account.id, Membership.role == "administrator")
    on_team = select(PlanMember.plan_id).join(Membership).where(
        Membership.account_id == account.id)
    return db.session.scalars(
        select(Plan).where(or_(Plan.organisation_id.in_(admin_of), Plan.id.in_(on_team)))
        .order_by(Plan.created_at.desc(), Plan.id.desc())).all()
