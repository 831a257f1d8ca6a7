"""Delivering published events to the rooms of a workshop, always after the commit.

`deliver(event)` is the one way an event reaches screens: one registered function per
event type (functools.singledispatch), so adding an event means adding its delivery here.

Rooms: `w<id>:staff` (console and presenter), `w<id>:console` (the console only: results
while they are hidden), `w<id>:room` (every phone of the workshop) and `p<id>` (one
participant's own screens).
"""

from functools import singledispatch

from flask import current_app

from workshop.extensions import db, socketio
from workshop.live import presence
from workshop.live.changes import WorkshopChanged
from workshop.live.models import Workshop
from workshop.realtime.rooms import participant_room, review_room, room, staff_room
from workshop.realtime.tallies import request_tally
from workshop.review.changes import CommentsChanged
from workshop.voting.changes import VotesCast


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

    The task runs in the background: under gevent when this greenlet yields, which is
    after the ack is queued; under the threading mode in a thread of its own. Either
    way the handler returns (and acknowledges) without waiting for the broadcast.
    """
    in_background(function, *args)


def in_background(function, *args):
    """Run `function(*args)` in a background task with its own app context and session."""
    app = current_app._get_current_object()

    def run():
        with app.app_context():
            try:
                function(*args)
            except Exception:  # a failed broadcast is logged; the change is committed
                db.session.rollback()
                app.logger.exception("Delivery by %s failed", function.__name__)
            finally:
                db.session.remove()

    return socketio.start_background_task(run)


def schedule_presence(app, workshop_id):
    """Send presence counts to staff at most once per PRESENCE_INTERVAL per workshop.

    Only a debounce lives in memory (the workshops with a send pending); the counts
    themselves come from the database.
    """
    due = app.extensions.setdefault("koers_presence_due", set())
    if workshop_id in due:
        return
    due.add(workshop_id)
    interval = app.config["PRESENCE_INTERVAL"]

    def later():
        socketio.sleep(interval)
        due.discard(workshop_id)
        send_presence(workshop_id)

    in_background(later)


def send_presence(workshop_id):
    workshop = db.session.get(Workshop, workshop_id)
    if workshop is not None:
        socketio.emit("presence", presence.counts(workshop), to=staff_room(workshop_id))
