"""Rules for a workshop's agenda: its steps, and running them one at a time."""

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import func, select, update

from workshop.core.errors import Conflict, DomainError, NotFound
from workshop.core.outcome import Outcome
from workshop.core.time import utcnow
from workshop.extensions import db
from workshop.live import serialize
from workshop.live.changes import WorkshopChanged
from workshop.live.models import (
    Proposal,
    Step,
    Workshop,
)
from workshop.live.step_settings import clean_step
from workshop.live.workshops import bump, copy_step

MAX_STEPS = 60
EXTEND_RANGE = (10, 3600)


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


def update_step(step, data):
    """A facilitator edits a step, even while it is live (phones follow)."""
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
    bump(step.workshop_id, stage=step.workshop.live_step_id == step.id)
    db.session.flush()
    return step


# Settings that decide what a vote means: fixed once the first vote is in.
VOTE_RULES = ("kind", "source_step_id", "vote_method", "dot_budget", "budget_per_domain",
              "max_per_item", "score_max", "rank_top")


def _has_votes(step):
    from workshop.voting.models import Vote

    return db.session.scalar(select(Vote.id).where(Vote.step_id == step.id).limit(1))


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
    db.session.flush()


def duplicate_step(step):
    """Insert a fresh copy of a step right after it."""
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
    db.session.flush()
    return copy


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
    db.session.flush()


# -- running the agenda: used by the facilitator's console over Socket.IO ------------------
# Each returns an Outcome (the ack, and a WorkshopChanged event) without committing: the
# socket executor runs it once per client id, commits, acks, then publishes the event.


def _stage_result(workshop):
    db.session.flush()
    version, stage_version = bump(workshop.id, stage=True)
    db.session.expire(workshop)
    return Outcome(ack={"stage_version": stage_version}, events=(WorkshopChanged(
        workshop.id, version, stage_version=stage_version, stage=serialize.stage(workshop),
        agenda=serialize.agenda(workshop)),))


def _swap_live_step(workshop, step):
    """Point the workshop at `step`, refusing if another screen changed it meanwhile."""
    expected = workshop.live_step_id
    condition = (Workshop.live_step_id.is_(None) if expected is None
                 else Workshop.live_step_id == expected)
    swapped = db.session.execute(
        update(Workshop).where(Workshop.id == workshop.id, condition)
        .values(live_step_id=step.id, status="running")
        .execution_options(synchronize_session=False)
    ).rowcount
    if swapped != 1:
        raise Conflict(_l("The live step was just changed on another screen. Look again."))
    return expected


def start_step(workshop, step_id):
    """Make a step the live one (also to go back to an earlier step, or reopen it)."""
    step = get_step(workshop, step_id)
    if workshop.live_step_id == step.id and step.state in ("open", "paused"):
        raise Conflict(_l("This step is already running."))
    previous = _swap_live_step(workshop, step)
    if previous is not None and previous != step.id:
        db.session.execute(
            update(Step).where(Step.id == previous, Step.state.in_(("open", "paused")))
            .values(state="closed", ends_at=None, remaining_seconds=None)
            .execution_options(synchronize_session=False)
        )
    limit = step.time_limit_seconds
    step.state = "open"
    step.ends_at = utcnow() + timedelta(seconds=limit) if limit else None
    step.remaining_seconds = None
    db.session.flush()
    db.session.expire_all()  # the core UPDATEs above bypassed the session
    return _stage_result(workshop)


def _live_step_in(workshop, states, message):
    step = workshop.live_step
    if step is None or step.state not in states:
        raise Conflict(message)
    return step


def _set_state(step, from_states, **values):
    changed = db.session.execute(
        update(Step).where(Step.id == step.id, Step.state.in_(from_states)).values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        raise Conflict(_l("The step was just changed on another screen. Look again."))
    db.session.expire(step)


def pause_step(workshop):
    """Freeze the live step: no submissions, the timer stops."""
    step = _live_step_in(workshop, ("open",), _l("Only a running step can be paused."))
    remaining = None
    if step.ends_at is not None:
        remaining = max(0, round((step.ends_at - utcnow()).total_seconds()))
    _set_state(step, ("open",), state="paused", ends_at=None, remaining_seconds=remaining)
    return _stage_result(workshop)


def resume_step(workshop):
    """Continue a paused step; the timer goes on where it stopped."""
    step = _live_step_in(workshop, ("paused",), _l("Only a paused step can be resumed."))
    ends_at = None
    if step.remaining_seconds is not None:
        ends_at = utcnow() + timedelta(seconds=step.remaining_seconds)
    _set_state(step, ("paused",), state="open", ends_at=ends_at, remaining_seconds=None)
    return _stage_result(workshop)


def close_step(workshop):
    """Close the live step: phones show the 'thanks, wait for the next step' state."""
    step = _live_step_in(workshop, ("open", "paused"), _l("This step is not running."))
    _set_state(step, ("open", "paused"), state="closed", ends_at=None, remaining_seconds=None)
    return _stage_result(workshop)


def extend_timer(workshop, seconds):
    """Give the live step more time (or a timer, if it had none)."""
    if not isinstance(seconds, int) or not EXTEND_RANGE[0] <= seconds <= EXTEND_RANGE[1]:
        raise DomainError(_l("Extend by 10 seconds to 1 hour."))
    step = _live_step_in(workshop, ("open", "paused"), _l("This step is not running."))
    if step.state == "paused":
        _set_state(step, ("paused",), remaining_seconds=(step.remaining_seconds or 0) + seconds)
    else:
        now = utcnow()
        base = step.ends_at if step.ends_at and step.ends_at > now else now
        _set_state(step, ("open",), ends_at=base + timedelta(seconds=seconds))
    return _stage_result(workshop)


def set_joining(workshop, is_open):
    """Open or close the workshop to new participants."""
    if is_open and workshop.status == "finished":
        raise Conflict(_l("This workshop has finished. Start a step to reopen it first."))
    workshop.joining_open = bool(is_open)
    return _stage_result(workshop)


def finish_workshop(workshop):
    """End the workshop: the live step closes and the join page says it is over."""
    step = workshop.live_step
    if step is not None and step.state in ("open", "paused"):
        _set_state(step, ("open", "paused"), state="closed", ends_at=None,
                   remaining_seconds=None)
    workshop.status = "finished"
    workshop.joining_open = False
    return _stage_result(workshop)


def set_reveal(workshop, step_id, mode):
    """Choose who sees a vote step's results: console only, the projector, or everyone."""
    from workshop.live.models import REVEAL_MODES

    step = get_step(workshop, step_id)
    if step.kind != "vote":
        raise DomainError(_l("Only a vote step has results to show."))
    if mode not in REVEAL_MODES:
        raise DomainError(_l("Choose who sees the results."))
    step.reveal = mode
    return _stage_result(workshop)
