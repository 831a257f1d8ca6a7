"""Sending changes to the rooms of a workshop, always after the change is committed.

Rooms: `w<id>:staff` (console and presenter), `w<id>:console` (the console only: results
while they are hidden), `w<id>:room` (every phone of the workshop) and `p<id>` (one
participant's own screens).
"""

import time

from flask import current_app

from workshop.extensions import db, socketio
from workshop.live import presence, serialize
from workshop.live.models import Workshop
from workshop.voting import tally
from workshop.voting.ballots import ballot_for

PRESENCE_INTERVAL = 1.0  # seconds between presence updates of one workshop


def staff_room(workshop_id):
    return f"w{workshop_id}:staff"


def console_room(workshop_id):
    """Only the facilitator's console: sees results even while they are hidden."""
    return f"w{workshop_id}:console"


def room(workshop_id):
    return f"w{workshop_id}:room"


def participant_room(participant_id):
    return f"p{participant_id}"


def announce(workshop_id, broadcast):
    """Send a committed change: staff get all of it, phones the stage, authors their own."""
    staff = {key: broadcast[key] for key in ("version", "stage_version", "stage", "agenda",
                                             "proposals") if key in broadcast}
    socketio.emit("changed", staff, to=staff_room(workshop_id))
    if "stage" in broadcast:
        socketio.emit(
            "stage_changed",
            {"stage_version": broadcast["stage_version"], "stage": broadcast["stage"]},
            to=room(workshop_id),
        )
    for participant_id, proposal in broadcast.get("own", []):
        socketio.emit("own_proposal_changed", {"proposal": proposal},
                      to=participant_room(participant_id))


def dispatch(workshop_id, broadcast):
    """Send what a committed change means: a versioned change and/or a fresh tally."""
    from workshop.voting.stream import request_tally

    if "version" in broadcast:
        announce(workshop_id, broadcast)
    if "tally_step" in broadcast:
        request_tally(broadcast["tally_step"])
        return
    # Proposals hidden or merged, or a step changed: the live vote's tally may differ,
    # and so may the phones' ballots (they fetch theirs again on this hint).
    workshop = db.session.get(Workshop, workshop_id)
    if workshop is not None and workshop.live_step and workshop.live_step.kind == "vote":
        request_tally(workshop.live_step.id)
        if broadcast.get("proposals"):
            socketio.emit("ballot_changed", {"step_id": workshop.live_step.id},
                          to=room(workshop_id))


def after_ack_dispatch(workshop_id, broadcast):
    """After a write's ack: a vote only marks its step's tally as due (the tally loop
    sends it later, so no task is needed); anything else is sent by a background task."""
    from workshop.voting.stream import request_tally

    if set(broadcast) <= {"tally_step", "workshop_id"}:
        request_tally(broadcast["tally_step"])
        return
    after_ack(dispatch, workshop_id, broadcast)


def after_ack(function, *args):
    """Run `function` once the current event's acknowledgement has been sent.

    Under gevent the task runs when this greenlet yields, which is after the ack is
    queued. The threading mode (tests) runs it at once: there the order of two
    clients' messages cannot be observed anyway.
    """
    app = current_app._get_current_object()
    if app.config["SOCKETIO_ASYNC_MODE"] == "threading":
        function(*args)
        return

    def run():
        with app.app_context():
            try:
                function(*args)
            finally:
                db.session.remove()

    socketio.start_background_task(run)


_presence_due = {}


def schedule_presence(app, workshop_id):
    """Send presence counts to staff at most once per PRESENCE_INTERVAL per workshop.

    Only a debounce lives in memory; the counts themselves come from the database.
    """
    if app.config["SOCKETIO_ASYNC_MODE"] == "threading":
        send_presence(workshop_id)
        return
    if workshop_id in _presence_due:
        return
    _presence_due[workshop_id] = time.monotonic()

    def later():
        socketio.sleep(PRESENCE_INTERVAL)
        _presence_due.pop(workshop_id, None)
        with app.app_context():
            try:
                send_presence(workshop_id)
            finally:
                db.session.remove()

    socketio.start_background_task(later)


def send_presence(workshop_id):
    workshop = db.session.get(Workshop, workshop_id)
    if workshop is not None:
        socketio.emit("presence", presence.counts(workshop), to=staff_room(workshop_id))


def snapshot_for(identity):
    """Everything this connection may see, with the version it reflects."""
    from workshop.live.moderation import list_step_proposals
    from workshop.live.participation import own_proposals

    db.session.expire_all()
    workshop = db.session.get(Workshop, identity["workshop_id"])
    # Read the versions before the data: any change after this has a higher version
    # and reaches the client as an event (it is already in the room).
    versions = {"version": workshop.version, "stage_version": workshop.stage_version}
    if identity["role"] == "participant":
        from workshop.live.models import Participant

        me = db.session.get(Participant, identity["participant_id"])
        snapshot = {
            "role": "participant",
            "stage_version": versions["stage_version"],
            "stage": serialize.stage(workshop),
            "me": {"id": me.id, "display_name": me.display_name, "group_id": me.group_id},
            "own_proposals": [serialize.own_proposal(p) for p in own_proposals(me)],
        }
        step = workshop.live_step
        if step is not None and step.kind == "vote":
            snapshot["ballot"] = ballot_for(step, me)
            if step.reveal == "everyone":  # phones see results only once revealed to all
                snapshot["tally"] = tally.compute(step)
        return snapshot
    step = workshop.live_step
    proposals = list_step_proposals(step) if step is not None and step.kind == "collect" else []
    snapshot = {
        "role": identity["role"],
        **versions,
        "stage": serialize.stage(workshop),
        "agenda": serialize.agenda(workshop),
        "proposals": serialize.staff_proposals(proposals, workshop.anonymous),
        "presence": presence.counts(workshop),
    }
    if step is not None and step.kind == "vote" and (
            identity["role"] == "console" or step.reveal != "hidden"):
        snapshot["tally"] = tally.compute(step)
    return snapshot


def announce_agenda(workshop_id):
    """After a page changed the agenda or settings: staff get the new agenda, and phones
    the new stage when it changed."""
    versions = db.session.info.pop("koers_versions", None)
    if versions is None:
        return
    version, stage_version, stage_changed = versions
    db.session.expire_all()
    workshop = db.session.get(Workshop, workshop_id)
    change = {"version": version, "agenda": serialize.agenda(workshop)}
    if stage_changed:
        change.update(stage_version=stage_version, stage=serialize.stage(workshop))
    dispatch(workshop_id, change)
