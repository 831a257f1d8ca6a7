"""Coalesced tallies: however many votes arrive, a workshop's screens get a fresh full
tally at most every TALLY_STAFF_INTERVAL (console, presenter; 0.1 s) and every
TALLY_PHONE_INTERVAL (phones, once revealed; 0.3 s).

Only "this step has new votes" lives in process memory (per app), and only while it
matters: a set of due step ids, and for each step whose phones were sent a tally in the
last phone interval, when that was. Both are emptied as the loop goes, so the memory is
bounded by the steps voted on in the last interval, however long the server runs. The
tally itself is read from the database, so any process can send it.
"""

import time

from flask import current_app

from workshop.extensions import db, socketio
from workshop.live.models import Step
from workshop.realtime.rooms import console_room, room, staff_room
from workshop.voting.tally import compute

IDLE_ROUNDS = 50  # the loop stops after 50 rounds without votes and restarts on the next one



def _state(app):
    # due: step ids with new votes; phones_sent: step id -> monotonic time of its last
    # tally to the phones (only within the last phone interval).
    return app.extensions.setdefault("koers_tallies", {
        "due": set(), "phones_sent": {}, "loop": False, "sending": False})


def request_tally(step_id):
    """Ask for a tally of `step_id` to be sent soon (after the current ack)."""
    app = current_app._get_current_object()
    state = _state(app)
    state["due"].add(step_id)
    if not state["loop"]:
        state["loop"] = True
        socketio.start_background_task(_loop, app)


def idle(app):
    """True when no tally is due or being sent (what a test waits for)."""
    state = _state(app)
    return not state["due"] and not state["sending"]


def _loop(app):
    state = _state(app)
    due, phones_sent = state["due"], state["phones_sent"]
    staff_interval = app.config["TALLY_STAFF_INTERVAL"]
    phone_interval = app.config["TALLY_PHONE_INTERVAL"]
    rounds_idle = 0
    try:
        while rounds_idle < IDLE_ROUNDS:
            socketio.sleep(staff_interval)
            _forget_sent_before(phones_sent, time.monotonic() - phone_interval)
            if not due:
                rounds_idle += 1
                continue
            rounds_idle = 0
            state["sending"] = True
            steps = list(due)
            due.clear()
            with app.app_context():
                for step_id in steps:
                    try:
                        send_tally(step_id, state, phone_interval)
                    except Exception:  # one bad tally must not stop the others
                        db.session.rollback()
                        app.logger.exception("Tally of step %s failed", step_id)
                db.session.remove()
            state["sending"] = False
    finally:
        state["loop"] = state["sending"] = False
        phones_sent.clear()
        if due:  # a vote arrived while the loop was stopping
            state["loop"] = True
            socketio.start_background_task(_loop, app)


def _forget_sent_before(phones_sent, moment):
    for step_id, sent in list(phones_sent.items()):
        if sent < moment:
            del phones_sent[step_id]


def send_tally(step_id, state, phone_interval):
    """Compute the tally from the database and send it to whoever may see it now."""
    step = db.session.get(Step, step_id)
    if step is None or step.kind != "vote":
        return
    db.session.refresh(step)
    tally = compute(step)
    workshop_id = step.workshop_id
    if step.reveal == "hidden":
        socketio.emit("tally_updated", tally, to=console_room(workshop_id))
    else:
        socketio.emit("tally_updated", tally, to=staff_room(workshop_id))
    if step.reveal == "everyone":
        now = time.monotonic()
        if now - state["phones_sent"].get(step_id, float("-inf")) >= phone_interval:
            state["phones_sent"][step_id] = now
            socketio.emit("tally_updated", tally, to=room(workshop_id))
        else:
            state["due"].add(step_id)  # the phones get it on a later round
