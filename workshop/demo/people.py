"""The demo organisation's members: one of every role, on the demo plan's team."""

import secrets

from sqlalchemy import select

from workshop.accounts import services as accounts
from workshop.accounts.models import Facilitator
from workshop.extensions import db
from workshop.monitor import services as monitor
from workshop.orgs import services as orgs
from workshop.plans import team

DEMO_PEOPLE = (  # role in the organisation, on the plan's team, e-mail, name
    ("facilitator", "facilitator", "begeleider@koers.example", "Demo-begeleider"),
    ("indicator_owner", "indicator_owner", "indicatoren@koers.example", "Demo-indicatoren"),
    ("viewer", "viewer", "raad@koers.example", "Demo-raadslid"),
)


def demo_team(plan, admin):
    """A member of every role on the demo plan's team; returns (role, e-mail, password)."""
    made = []
    for org_role, team_role, email, name in DEMO_PEOPLE:
        password = secrets.token_urlsafe(12)
        account = accounts.create_facilitator(email, name, password, organisation=plan.owner,
                                              role=org_role)
        membership = next(m for m in orgs.list_members(plan.owner) if m.account_id == account.id)
        team.add_to_team(admin, plan.id, membership.id, team_role)
        made.append((org_role, email, password))
    return tuple(made)


def name_reporter(plan, email):
    """The demo's indicator owner reports the energy and innovation indicators."""
    account = db.session.scalar(select(Facilitator).where(Facilitator.email == email))
    for indicator in monitor.indicators(plan):
        if indicator.owner in ("Energieteam", "Innovatieteam"):
            monitor.edit_indicator(plan, indicator, {"reporter_id": account.id})
