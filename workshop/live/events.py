"""Socket.IO events of a live workshop: thin handlers around the live services.

Every write carries a client-made id `cid` and is answered with an acknowledgement
`{ok: true, …}` or `{ok: false, error, code, field}`. Order: validate → commit → ack →
broadcast.
docs/realtime.md describes each event for third-party clients.
"""


from flask import current_app, request, session
from flask_login import current_user
from flask_socketio import emit, join_room

from workshop.accounts.sessions import current_login_key
from workshop.core.errors import Forbidden, NotFound
from workshop.core.payloads import CLIENT_ID, Bool, Int, IntList, PayloadError, Str, parse
from workshop.extensions import db, socketio
from workshop.live import participation, presence, running, workshops
from workshop.live.cookies import token_from_cookies
from workshop.live.models import Participant, Workshop
from workshop.plans.access import EDIT
from workshop.realtime.connect import connector, refuse
from workshop.realtime.delivery import schedule_presence
from workshop.realtime.executor import (
    CONSOLE,
    EVERYONE,
    IDENTITY,
    PARTICIPANT,
    STAFF_ROLES,
    execute,
    live_event,
    run_command,
)
from workshop.realtime.rooms import console_room, participant_room, room, staff_room
from workshop.realtime.snapshot import snapshot_for
from workshop.realtime.staff_sessions import staff_rooms
from workshop.voting import moderation


@connector("workshop")
def connect_workshop(auth):
    """Phones, consoles and presenters connect with {workshop, role[, token]}."""
    try:
        values = parse(auth, workshop=Int(),
                       role=Str(max_length=16), token=Str(max_length=100, required=False))
    except PayloadError:
        refuse("bad_auth")
    workshop = db.session.get(Workshop, values["workshop"])
    if workshop is None:
        refuse("unknown_workshop")
    if values["role"] == "participant":
        token = values["token"] or token_from_cookies(request.cookies, workshop.id)
        participant = participation.participant_for_token(workshop, token)
        if participant is None:
            refuse("not_joined")
        identity = {"role": "participant", "workshop_id": workshop.id,
                    "participant_id": participant.id, "actor": f"p{participant.id}"}
        rooms = [room(workshop.id), participant_room(participant.id)]
    elif values["role"] in STAFF_ROLES:
        if not current_user.is_authenticated:
            refuse("login_required")
        try:
            workshops.authorise_workshop(current_user, workshop.id, EDIT)
        except NotFound:
            refuse("unknown_workshop")  # another organisation's: as if it did not exist
        except Forbidden:
            refuse("forbidden")
        identity = {"role": values["role"], "workshop_id": workshop.id,
                    "participant_id": None, "actor": f"f{current_user.id}:w{workshop.id}"}
        rooms = [staff_room(workshop.id), *staff_rooms(current_user)]
        if values["role"] == "console":
            rooms.append(console_room(workshop.id))
    else:
        refuse("bad_auth")
    session[IDENTITY] = identity
    for name in rooms:
        join_room(name)
    staff = identity["role"] in STAFF_ROLES
    execute(lambda: presence.add_connection(
        request.sid, workshop.id, identity["role"], identity["participant_id"],
        facilitator_id=current_user.id if staff else None,
        login_key=current_login_key() if staff else None))
    emit("snapshot", snapshot_for(identity))
    schedule_presence(current_app._get_current_object(), workshop.id)


@socketio.on("disconnect")
def on_disconnect(reason=None):
    """A connection closed: presence counts drop."""
    try:
        workshop_id = execute(lambda: presence.remove_connection(request.sid))
    except Exception:  # never let a disconnect raise; the row is swept on restart
        db.session.rollback()
        current_app.logger.exception("Could not record a disconnect")
        return
    if workshop_id is not None:
        schedule_presence(current_app._get_current_object(), workshop_id)


def _workshop(identity):
    return db.session.get(Workshop, identity["workshop_id"])


def _participant(identity):
    return db.session.get(Participant, identity["participant_id"])


TEXT = Str(max_length=5000)


@live_event("request_snapshot", EVERYONE)
def on_request_snapshot(identity, _values):
    """Any client that missed a version asks for everything it may see again."""
    return {"ok": True, "snapshot": snapshot_for(identity)}


@live_event("submit_proposal", PARTICIPANT, cid=CLIENT_ID, step_id=Int(),
            domain_id=Int(required=False), parent_item_id=Int(required=False), text=TEXT)
def on_submit_proposal(identity, v):
    """A participant proposes an item in the live collect step."""
    return run_command(identity, v["cid"], lambda: participation.submit_proposal(
        _participant(identity), v["step_id"], v["domain_id"], v["text"],
        v["parent_item_id"]))


@live_event("edit_proposal", PARTICIPANT, cid=CLIENT_ID, proposal_id=Int(), text=TEXT)
def on_edit_proposal(identity, v):
    """A participant corrects their own proposal."""
    return run_command(identity, v["cid"], lambda: participation.edit_own_proposal(
        _participant(identity), v["proposal_id"], v["text"]))


@live_event("withdraw_proposal", PARTICIPANT, cid=CLIENT_ID, proposal_id=Int())
def on_withdraw_proposal(identity, v):
    """A participant withdraws their own proposal."""
    return run_command(identity, v["cid"], lambda: participation.withdraw_own_proposal(
        _participant(identity), v["proposal_id"]))


@live_event("start_step", CONSOLE, cid=CLIENT_ID, step_id=Int())
def on_start_step(identity, v):
    """The facilitator makes a step live (forward, back, or reopening it)."""
    return run_command(identity, v["cid"], lambda: running.start_step(_workshop(identity),
                                                              v["step_id"]))


def _step_command(name, change, doc):
    def handler(identity, v):
        return run_command(identity, v["cid"], lambda: change(_workshop(identity)))

    handler.__doc__ = doc
    handler.__name__ = f"on_{name}"
    live_event(name, CONSOLE, cid=CLIENT_ID)(handler)


_step_command("pause_step", running.pause_step, "The facilitator pauses the live step.")
_step_command("resume_step", running.resume_step, "The facilitator resumes the live step.")
_step_command("close_step", running.close_step, "The facilitator closes the live step.")
_step_command("finish_workshop", running.finish_workshop, "The facilitator ends the workshop.")


@live_event("extend_timer", CONSOLE, cid=CLIENT_ID, seconds=Int(minimum=10, maximum=3600))
def on_extend_timer(identity, v):
    """The facilitator gives the live step more time."""
    return run_command(identity, v["cid"], lambda: running.extend_timer(_workshop(identity),
                                                                v["seconds"]))


@live_event("set_joining", CONSOLE, cid=CLIENT_ID, open=Bool())
def on_set_joining(identity, v):
    """The facilitator opens or closes the workshop to new participants."""
    return run_command(identity, v["cid"],
                       lambda: running.set_joining(_workshop(identity), v["open"]))


def _moderation_command(name, change, doc):
    def handler(identity, v):
        return run_command(identity, v["cid"],
                           lambda: change(_workshop(identity), v["proposal_id"]))

    handler.__doc__ = doc
    handler.__name__ = f"on_{name}"
    live_event(name, CONSOLE, cid=CLIENT_ID, proposal_id=Int())(handler)


_moderation_command("hide_proposal", moderation.hide_proposal,
                    "The facilitator takes a proposal off the wall.")
_moderation_command("unhide_proposal", moderation.unhide_proposal,
                    "The facilitator puts a hidden proposal back.")
_moderation_command("approve_proposal", moderation.approve_proposal,
                    "The facilitator approves a waiting proposal (pre-moderation).")
_moderation_command("unmerge_proposal", moderation.unmerge_proposal,
                    "The facilitator undoes a merge.")


@live_event("moderate_edit", CONSOLE, cid=CLIENT_ID, proposal_id=Int(), text=TEXT)
def on_moderate_edit(identity, v):
    """The facilitator corrects the text of any proposal."""
    return run_command(identity, v["cid"], lambda: moderation.edit_proposal(
        _workshop(identity), v["proposal_id"], v["text"]))


@live_event("merge_proposals", CONSOLE, cid=CLIENT_ID, target_id=Int(),
            source_ids=IntList(max_items=50))
def on_merge_proposals(identity, v):
    """The facilitator merges duplicates into one proposal."""
    return run_command(identity, v["cid"], lambda: moderation.merge_proposals(
        _workshop(identity), v["target_id"], v["source_ids"]))
