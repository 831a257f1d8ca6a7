"""Coalesced tallies: however many votes arrive, a workshop's screens get a fresh full
tally at most every 0.1 s (console, presenter) and every 0.3 s (phones, once revealed).

Only "this step has new votes" lives in process memory; the tally itself is read from
the database, so any process can send it.
"""

import time

from flask import current_app

from workshop.extensions import db, socketio
from workshop.live.models import Step
from workshop.realtime.rooms import console_room, room, staff_room
from workshop.voting.tally import compute

STAFF_INTERVAL = 0.1
PHONE_INTERVAL = 0.3
IDLE_ROUNDS = 50  # the loop stops after 5 s without votes and restarts on the next one

_dirty = set()
_phones_sent = {}
_running = {"loop": False}


def request_tally(step_id):
    """Ask for a tally of `step_id` to be sent soon (after the current ack)."""
    app = current_app._get_current_object()
    if app.config["SOCKETIO_ASYNC_MODE"] == "threading":
        send_tally(step_id, phones_now=True)  # tests: at once, no background loop
        return
    _dirty.add(step_id)
    if not _running["loop"]:
        _running["loop"] = True
        socketio.start_background_task(_loop, app)


def _loop(app):
    idle = 0
    try:
        while idle < IDLE_ROUNDS:
            socketio.sleep(STAFF_INTERVAL)
            if not _dirty:
                idle += 1
                continue
            idle = 0
            steps = list(_dirty)
            _dirty.clear()
            with app.app_context():
                for step_id in steps:
                    try:
                        send_tally(step_id)
                    except Exception:  # one bad tally must not stop the others
                        db.session.rollback()
                        app.logger.exception("Tally of step %s failed", step_id)
                db.session.remove()
    finally:
        _running["loop"] = False


def send_tally(step_id, phones_now=False):
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
        if phones_now or now - _phones_sent.get(step_id, 0) >= PHONE_INTERVAL:
            _phones_sent[step_id] = now
            socketio.emit("tally_updated", tally, to=room(workshop_id))
        else:
            _dirty.add(step_id)  # the phones get it on a later round
