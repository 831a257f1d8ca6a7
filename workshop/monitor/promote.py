"""Indicators proposed by participants and chosen by vote become indicators on goals.

Like other plan items (workshop/voting/promote.py): the winners of a vote, each with its
provenance (proposal, merged texts, authors, results); a unique (plan, proposal) key on
the provenance makes promoting twice add nothing. Each indicator lands on the goal it was
proposed for (a collect step asking for indicators of given goals), or on the goal chosen.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from workshop.core.errors import DomainError, NotFound
from workshop.extensions import db
from workshop.live.models import Proposal, Workshop
from workshop.monitor import services
from workshop.monitor.models import GOAL_LEVELS
from workshop.tree.models import ItemSource, PlanItem
from workshop.voting import promote as vote_promote
from workshop.voting.tally import compute


def promote(plan, vote_step, mode, parent_id=None, top=3, threshold=1, picked=(), actor=None):
    """The chosen winners as indicators; returns the new indicators."""
    if vote_step is None or vote_step.kind != "vote" or \
            db.session.get(Workshop, vote_step.workshop_id).plan_id != plan.id:
        raise NotFound(_l("This vote is not part of this plan."))
    if mode not in vote_promote.MODES:
        raise DomainError(_l("Choose how to pick the winners."), field="mode")
    goal = db.session.get(PlanItem, parent_id) if parent_id else None
    if goal is not None and (goal.plan_id != plan.id or goal.level not in GOAL_LEVELS):
        raise DomainError(_l("Indicators belong to strategic or operational goals."),
                          field="parent_id")
    tally = compute(vote_step)
    chosen, rows = vote_promote._choose(tally, mode, top, threshold, set(picked))
    done = vote_promote.promoted_ids(plan)
    fresh = [p for p in chosen if p not in done]
    made = []
    try:
        with db.session.begin_nested():  # refused or raced: none of it stays
            for pid in fresh:
                proposal = db.session.get(Proposal, pid)
                target = goal
                if target is None and proposal.parent_item_id:
                    target = db.session.get(PlanItem, proposal.parent_item_id)
                if target is None or target.level not in GOAL_LEVELS:
                    continue  # an indicator needs a goal to measure
                source = ItemSource(plan_id=plan.id, field="indicator", proposal_id=pid,
                                    vote_step_id=vote_step.id,
                                    summary=vote_promote._summary(proposal, vote_step,
                                                                  rows[pid][1], tally))
                db.session.add(source)
                db.session.flush()
                made.append(services.add_indicator(plan, target.id,
                                                   {"name": proposal.text[:200]},
                                                   source_id=source.id))
            if fresh and not made and goal is None:
                raise DomainError(_l("These proposals were not made for a goal: choose the "
                                     "goal they measure under “Under”."), field="parent_id")
    except IntegrityError:  # promoted at the same moment on another screen
        return []
    return made
