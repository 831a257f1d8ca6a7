"""Running a workshop's agenda from the facilitator's console (over Socket.IO): the live
step (start, pause, resume, close, more time), joining, finishing, and who sees a vote's
results.

Each returns an Outcome (the ack, and a WorkshopChanged event) without committing: the
socket executor runs it once per client id, commits, acks, then publishes the event.
Editing the agenda itself is workshop.live.agenda.
"""

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from workshop.core.errors import Conflict, DomainError
from workshop.core.outcome import Outcome
from workshop.core.time import utcnow
from workshop.extensions import db
from workshop.live import serialize
from workshop.live.agenda import get_step
from workshop.live.changes import WorkshopChanged
from workshop.live.models import REVEAL_MODES, Step, Workshop
from workshop.live.workshops import bump
from workshop.orgs import audit

EXTEND_RANGE = (10, 3600)


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


def set_reveal(workshop, step_id, mode, actor=None):
    """Choose who sees a vote step's results: console only, the projector, or everyone."""
    step = get_step(workshop, step_id)
    if step.kind != "vote":
        raise DomainError(_l("Only a vote step has results to show."))
    if mode not in REVEAL_MODES:
        raise DomainError(_l("Choose who sees the results."))
    step.reveal = mode
    if mode != "hidden":
        audit.record(workshop.plan.organisation_id, "results_revealed", step.title, actor,
                     workshop=workshop.title, to=mode)
    return _stage_result(workshop)
