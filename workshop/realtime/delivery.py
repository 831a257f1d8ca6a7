"""Delivering published events to the rooms of a workshop, always after the commit.

`deliver(event)` is the one way an event reaches screens: one registered function per
event type (functools.singledispatch), so adding an event means adding its delivery here.

Rooms: `w<id>:staff` (console and presenter), `w<id>:console` (the console only: results
while they are hidden), `w<id>:room` (every phone of the workshop) and `p<id>` (one
participant's own screens).
"""

import time
from functools import singledispatch

from flask import current_app

from workshop.extensions import db, socketio
from workshop.live import presence, serialize
from workshop.live.changes import WorkshopChanged
from workshop.live.models import Workshop
from workshop.realtime.rooms import participant_room, review_room, room, staff_room
from workshop.realtime.tallies import request_tally
from workshop.review.changes import CommentsChanged
from workshop.voting import tally
from workshop.voting.ballots import ballot_for
from workshop.voting.changes import VotesCast

PRESENCE_INTERVAL = 1.0  # seconds between presence updates of one workshop


@singledispatch
def deliver(event):
    raise TypeError(f"No delivery for {type(event).__name__}")


@deliver.register
def _votes_cast(event: VotesCast):
    # Only marks the step's tally as due: the coalescer sends it (no task per vote).
    request_tally(event.step_id)


@deliver.register
def _workshop_changed(event: WorkshopChanged):
    after_ack(announce, event)


@deliver.register
def _comments_changed(event: CommentsChanged):
    socketio.emit("review_changed", {"round_id": event.round_id}, to=review_room(event.round_id))


_STAFF_FIELDS = ("version", "stage_version", "stage", "agenda", "proposals")


def announce(event):
    """Staff get all of the change, phones the stage, authors their own proposals; the
    live vote's tally (and the phones' ballots) may differ after any change."""
    workshop_id = event.workshop_id
    staff = {name: getattr(event, name) for name in _STAFF_FIELDS
             if getattr(event, name) is not None}
    socketio.emit("changed", staff, to=staff_room(workshop_id))
    if event.stage is not None:
        socketio.emit("stage_changed",
                      {"stage_version": event.stage_version, "stage": event.stage},
                      to=room(workshop_id))
    for participant_id, proposal in event.own:
        socketio.emit("own_proposal_changed", {"proposal": proposal},
                      to=participant_room(participant_id))
    # Proposals hidden or merged, or a step changed: the live vote's tally may differ,
    # and so may the phones' ballots (they fetch theirs again on this hint).
    workshop = db.session.get(Workshop, workshop_id)
    if workshop is not None and workshop.live_step and workshop.live_step.kind == "vote":
        request_tally(workshop.live_step.id)
        if event.proposals:
            socketio.emit("ballot_changed", {"step_id": workshop.live_step.id},
                          to=room(workshop_id))


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
    from workshop.live.participation import own_proposals
    from workshop.voting.moderation import list_step_proposals

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

