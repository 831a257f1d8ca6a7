"""Who may report an indicator's figures: the authorisation function for measurements.

Whoever may edit the plan may; an indicator owner on the plan's team only for the
indicators that name them as their reporter; anyone else who sees the plan is Forbidden,
and for everyone else the indicator does not exist (plans.access).
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from workshop.accounts.models import Facilitator
from workshop.core.errors import DomainError, Forbidden, NotFound
from workshop.extensions import db
from workshop.monitor.models import Indicator
from workshop.orgs.models import Membership
from workshop.plans.access import EDIT, REPORT, access_to_plan, visible_plans
from workshop.plans.models import PlanMember


def authorise_indicator(account, plan_id, indicator_id):
    """(plan, indicator) if `account` may enter, correct or delete its measurements."""
    access = access_to_plan(account, plan_id, REPORT)
    indicator = db.session.get(Indicator, indicator_id) if isinstance(indicator_id, int) else None
    if indicator is None or indicator.plan_id != access.plan.id:
        raise NotFound(_l("This indicator does not exist."))
    if not access.may(EDIT) and indicator.reporter_id != account.id:
        raise Forbidden(_l("Only the indicator's reporter and the plan's facilitators enter "
                           "its figures."))
    return access.plan, indicator


def may_report(account, plan_access, indicator):
    return plan_access.may(EDIT) or (plan_access.may(REPORT)
                                     and indicator.reporter_id == account.id)


def reported_by(account):
    """The indicators `account` reports, on plans they may still see, by plan and name."""
    plan_ids = [plan.id for plan in visible_plans(account)]
    if not plan_ids:
        return []
    return db.session.scalars(
        select(Indicator).where(Indicator.reporter_id == account.id,
                                Indicator.plan_id.in_(plan_ids))
        .order_by(Indicator.plan_id, Indicator.name)).all()


def reporters(plan):
    """Who may be named an indicator's reporter: the plan's team members who may report
    and the organisation's administrators, as (account id, name)."""
    team = db.session.execute(
        select(Membership.account_id).join(PlanMember).where(
            PlanMember.plan_id == plan.id,
            PlanMember.role.in_(("facilitator", "indicator_owner")))).scalars().all()
    admins = db.session.execute(select(Membership.account_id).where(
        Membership.organisation_id == plan.organisation_id,
        Membership.role == "administrator")).scalars().all()
    ids = set(team) | set(admins)
    if not ids:
        return []
    return [(f.id, f.name) for f in db.session.scalars(
        select(Facilitator).where(Facilitator.id.in_(ids)).order_by(Facilitator.name))]


def checked_reporter(plan, account_id):
    """`account_id` as an indicator's reporter, checked: someone who may report on this
    plan; None (or empty) for nobody."""
    if account_id in (None, "", 0):
        return None
    if account_id not in {account for account, _name in reporters(plan)}:
        raise DomainError(_l("Choose someone on the plan's team who may report figures."),
                          field="reporter_id")
    return account_id
