"""Retention: names go, results and texts stay.

Per organisation, `retention_days` after a workshop ended (its date, else its last
join, else its creation) its participants' display names are removed; the same period
after a review round closed, its stakeholders' names and organisations (and the names on
their personal links) are removed. Votes, proposals, comments and answers stay, as
anonymous contributions. Each run that changes something is in the audit log.

`flask koers anonymise` runs it; a served Koers runs it once a day (workshop/serve.py,
from gunicorn's post_worker_init). It is idempotent, so several processes running it
at once do no harm.
"""

import datetime as dt

from sqlalchemy import func, select, update

from workshop.core.time import utcnow
from workshop.extensions import db
from workshop.live.models import Participant, Workshop
from workshop.orgs import audit
from workshop.orgs.models import Organisation
from workshop.plans.models import Plan
from workshop.review.models import Reviewer, ReviewLink, ReviewRound

GONE = "—"  # what a removed name reads as (a personal link needs a name)


def _ended_workshops(organisation, cutoff):
    last_join = (select(func.max(Participant.joined_at))
                 .where(Participant.workshop_id == Workshop.id).scalar_subquery())
    workshops = db.session.execute(
        select(Workshop.id, Workshop.date, last_join, Workshop.created_at)
        .join(Plan, Plan.id == Workshop.plan_id)
        .where(Plan.organisation_id == organisation.id)).all()
    ended = []
    for workshop_id, day, joined, created in workshops:
        moment = (dt.datetime.combine(day, dt.time.max) if day else joined or created)
        if moment < cutoff:
            ended.append(workshop_id)
    return ended


def anonymise(now=None):
    """Anonymise what is past every organisation's retention period. Returns
    {organisation id: {"participants": n, "stakeholders": n}} for what changed."""
    now = now or utcnow()
    done = {}
    for organisation in db.session.scalars(select(Organisation).order_by(Organisation.id)):
        cutoff = now - dt.timedelta(days=organisation.retention_days)
        workshops = _ended_workshops(organisation, cutoff)
        participants = db.session.execute(
            update(Participant).where(Participant.workshop_id.in_(workshops),
                                      Participant.display_name.is_not(None))
            .values(display_name=None)).rowcount if workshops else 0
        rounds = db.session.scalars(
            select(ReviewRound.id).join(Plan, Plan.id == ReviewRound.plan_id)
            .where(Plan.organisation_id == organisation.id,
                   ReviewRound.closes_at < cutoff)).all()
        stakeholders = 0
        if rounds:
            stakeholders = db.session.execute(
                update(Reviewer).where(Reviewer.round_id.in_(rounds),
                                       (Reviewer.name != "") | (Reviewer.organisation != ""))
                .values(name="", organisation="")).rowcount
            stakeholders += db.session.execute(
                update(ReviewLink).where(ReviewLink.round_id.in_(rounds),
                                         ReviewLink.name != GONE)
                .values(name=GONE, organisation="")).rowcount
        if participants or stakeholders:
            done[organisation.id] = {"participants": participants,
                                     "stakeholders": stakeholders}
            audit.record(organisation.id, "anonymised",
                         f"{participants} participants, {stakeholders} stakeholders",
                         days=organisation.retention_days)
    db.session.flush()
    return done
