"""Running the agenda: one live step, pause, resume, timer, going back."""

from datetime import timedelta

import pytest

from tests.conftest import collect_step
from workshop.core.errors import Conflict, DomainError
from workshop.core.time import utcnow
from workshop.extensions import db
from workshop.live import agenda, running
from workshop.live.models import Step
from workshop.realtime.executor import run_once


def run(change):
    result, _ = run_once("test", None, change)
    return result


@pytest.fixture
def workshop(make_workshop):
    workshop = make_workshop()
    agenda.add_step(workshop, {"kind": "info", "title": "Welkom"})
    agenda.add_step(workshop, collect_step(workshop.plan, time_limit_seconds=300))
    agenda.add_step(workshop, {"kind": "info", "title": "Pauze"})
    db.session.commit()
    return workshop


def _states(workshop):
    db.session.expire_all()
    return [s.state for s in workshop.steps]


def test_exactly_one_step_is_live_and_going_back_reopens_it(workshop):
    welcome, collect, pause = workshop.steps
    run(lambda: running.start_step(workshop, welcome.id))
    run(lambda: running.start_step(workshop, collect.id))
    assert _states(workshop) == ["closed", "open", "pending"]
    assert workshop.live_step_id == collect.id and workshop.status == "running"
    run(lambda: running.start_step(workshop, welcome.id))  # back to an earlier step
    assert _states(workshop) == ["open", "closed", "pending"]
    assert workshop.live_step_id == welcome.id


def test_starting_a_step_starts_its_timer(workshop):
    collect = workshop.steps[1]
    before = utcnow()
    result = run(lambda: running.start_step(workshop, collect.id))
    db.session.expire_all()
    assert before + timedelta(seconds=299) < collect.ends_at <= utcnow() + timedelta(seconds=300)
    assert result.events[0].stage["step"]["id"] == collect.id
    assert result.events[0].stage_version == workshop.stage_version


def test_pause_freezes_the_timer_and_resume_continues_it(workshop):
    collect = workshop.steps[1]
    run(lambda: running.start_step(workshop, collect.id))
    run(lambda: running.pause_step(workshop))
    db.session.expire_all()
    assert collect.state == "paused" and collect.ends_at is None
    assert 298 <= collect.remaining_seconds <= 300
    run(lambda: running.extend_timer(workshop, 60))
    db.session.expire_all()
    assert 358 <= collect.remaining_seconds <= 360
    run(lambda: running.resume_step(workshop))
    db.session.expire_all()
    left = (collect.ends_at - utcnow()).total_seconds()
    assert collect.state == "open" and 345 <= left <= 360


def test_extend_gives_a_timer_to_a_step_without_one(workshop):
    welcome = workshop.steps[0]
    run(lambda: running.start_step(workshop, welcome.id))
    run(lambda: running.extend_timer(workshop, 120))
    db.session.expire_all()
    # A loaded CI machine may take seconds between the call and the check.
    assert 110 <= (welcome.ends_at - utcnow()).total_seconds() <= 120
    with pytest.raises(DomainError):
        run(lambda: running.extend_timer(workshop, 5))


def test_close_and_commands_in_the_wrong_state_are_refused(workshop):
    with pytest.raises(Conflict):
        run(lambda: running.pause_step(workshop))  # nothing live yet
    run(lambda: running.start_step(workshop, workshop.steps[0].id))
    with pytest.raises(Conflict):
        run(lambda: running.resume_step(workshop))
    with pytest.raises(Conflict):
        run(lambda: running.start_step(workshop, workshop.steps[0].id))  # already running
    run(lambda: running.close_step(workshop))
    assert _states(workshop)[0] == "closed"
    with pytest.raises(Conflict):
        run(lambda: running.close_step(workshop))
    versions = (workshop.version, workshop.stage_version)
    db.session.expire_all()
    assert (workshop.version, workshop.stage_version) == versions  # refusals changed nothing


def test_a_stale_start_from_another_screen_is_refused(app, workshop):
    """Two consoles: B acts on a view read before A moved on, and is refused."""
    import threading

    from workshop.live.models import Workshop

    welcome, collect, pause = workshop.steps
    run(lambda: running.start_step(workshop, welcome.id))
    b_has_read, a_has_moved = threading.Event(), threading.Event()
    outcome = []

    def console_b():
        with app.app_context():
            stale = db.session.get(Workshop, workshop.id)
            assert stale.live_step is not None  # loaded now, before A moves on
            b_has_read.set()
            a_has_moved.wait(5)
            try:
                run(lambda: running.start_step(stale, pause.id))
                outcome.append("started")
            except Conflict:
                outcome.append("refused")
            finally:
                db.session.remove()

    thread = threading.Thread(target=console_b)
    thread.start()
    b_has_read.wait(5)
    run(lambda: running.start_step(workshop, collect.id))
    a_has_moved.set()
    thread.join(10)
    assert outcome == ["refused"]
    db.session.expire_all()
    assert workshop.live_step_id == collect.id
    assert [s.state for s in workshop.steps] == ["closed", "open", "pending"]


def test_another_workshops_step_cannot_be_started(workshop, make_workshop):
    other = make_workshop(plan=workshop.plan, title="Other")
    foreign = agenda.add_step(other, {"kind": "info", "title": "Foreign"})
    db.session.commit()
    with pytest.raises(Exception) as error:
        run(lambda: running.start_step(workshop, foreign.id))
    assert "not part of this workshop" in str(error.value.message)
    assert db.session.get(Step, foreign.id).state == "pending"


def test_finish_closes_the_live_step_and_joining(workshop):
    run(lambda: running.start_step(workshop, workshop.steps[1].id))
    run(lambda: running.finish_workshop(workshop))
    db.session.expire_all()
    assert workshop.status == "finished" and not workshop.joining_open
    assert workshop.steps[1].state == "closed"
