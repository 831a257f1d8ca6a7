"""Editing a workshop's agenda: adding, changing, moving, copying and removing steps.

The pages' changes return an Outcome whose WorkshopChanged carries the new agenda (and
the stage, when phones see the change), serialised in the same transaction; `execute`
publishes it after the commit. `add_step` alone returns the bare step: other changes
build on it inside their own transaction (voting.promote.seed_vote_source, the demo,
seeds and tests), and the page adds a step through `new_step`.
Running the steps (the live step, its timer, results) is workshop.live.running.
"""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import func, select

from workshop.core.errors import Conflict, DomainError, NotFound
from workshop.extensions import db
from workshop.live.models import Proposal, Step
from workshop.live.step_settings import clean_step
from workshop.live.workshops import bump, copy_step, edited

MAX_STEPS = 60


def get_step(workshop, step_id):
    """A step of this workshop; NotFound for another workshop's step or a bad id."""
    step = db.session.get(Step, step_id) if isinstance(step_id, int) else None
    if step is None or step.workshop_id != workshop.id:
        raise NotFound(_l("This step is not part of this workshop."))
    return step


def _ordered(workshop):
    return db.session.scalars(
        select(Step).where(Step.workshop_id == workshop.id).order_by(Step.position, Step.id)
    ).all()


def add_step(workshop, data):
    """A facilitator adds a step at the end of the agenda."""
    fields = clean_step(workshop, data)
    count = db.session.scalar(select(func.count()).where(Step.workshop_id == workshop.id))
    if count >= MAX_STEPS:
        raise DomainError(lazy_ngettext("An agenda has at most %(num)d step.",
                                        "An agenda has at most %(num)d steps.", MAX_STEPS))
    step = Step(workshop_id=workshop.id, position=count + 1, **fields)
    db.session.add(step)
    bump(workshop.id)
    db.session.flush()
    return step


def new_step(workshop, data):
    """The agenda page adds a step: `add_step`, as an Outcome with the new agenda."""
    return edited(workshop, add_step(workshop, data))


def update_step(step, data):
    """A facilitator edits a step, even while it is live (phones follow). Outcome: the step."""
    fields = clean_step(step.workshop, data)
    if step.kind != fields["kind"] and _has_proposals(step):
        raise Conflict(_l("This step already has proposals, so its kind cannot change."),
                       field="kind")
    if step.kind == "collect" and fields.get("limit_per_domain", step.limit_per_domain) != (
            step.limit_per_domain) and _has_proposals(step):
        # The proposals already sent were counted the other way.
        raise Conflict(_l("Proposals have been sent already, so what the limit counts can no "
                          "longer change."), field="limit_per_domain")
    if step.kind == "vote" and _has_votes(step) and any(
            name in fields and getattr(step, name) != fields[name] for name in VOTE_RULES):
        raise Conflict(_l("People have voted already: how they vote can no longer change. "
                          "Duplicate the step to vote again with other settings."))
    for key, value in fields.items():
        setattr(step, key, value)
    live = step.workshop.live_step_id == step.id
    bump(step.workshop_id, stage=live)
    return edited(step.workshop, step, stage=live)


# Settings that decide what a vote means: fixed once the first vote is in.
VOTE_RULES = ("kind", "source_step_id", "vote_method", "dot_budget", "budget_per_domain",
              "max_per_item", "score_max", "rank_top")


def _has_votes(step):
    """Every vote written bumps the step's counter (voting.ballots): past 0, one is in."""
    return (step.vote_seq or 0) > 0


def _has_proposals(step):
    return db.session.scalar(select(Proposal.id).where(Proposal.step_id == step.id).limit(1))


def move_step(step, offset):
    """Move a step one place up (-1) or down (+1) in the agenda."""
    steps = _ordered(step.workshop)
    index = steps.index(step)
    target = index + offset
    if 0 <= target < len(steps):
        steps[index], steps[target] = steps[target], steps[index]
    for position, each in enumerate(steps, start=1):
        each.position = position
    bump(step.workshop_id)
    return edited(step.workshop)


def duplicate_step(step):
    """Insert a fresh copy of a step right after it. Outcome: the copy."""
    steps = _ordered(step.workshop)
    if len(steps) >= MAX_STEPS:
        raise DomainError(lazy_ngettext("An agenda has at most %(num)d step.",
                                        "An agenda has at most %(num)d steps.", MAX_STEPS))
    copy = copy_step(step, step.position + 1)
    copy.workshop_id = step.workshop_id
    index = steps.index(step)
    steps.insert(index + 1, copy)
    db.session.add(copy)
    for position, each in enumerate(steps, start=1):
        each.position = position
    bump(step.workshop_id)
    return edited(step.workshop, copy)


def delete_step(step):
    """Remove a step that is not live and holds no proposals."""
    if step.workshop.live_step_id == step.id:
        raise Conflict(_l("This step is live. Move to another step first."))
    if _has_proposals(step):
        raise Conflict(_l("This step holds proposals, so it stays. You can skip it."))
    workshop = step.workshop
    db.session.delete(step)
    db.session.flush()
    for position, each in enumerate(_ordered(workshop), start=1):
        each.position = position
    bump(workshop.id)
    return edited(workshop)
