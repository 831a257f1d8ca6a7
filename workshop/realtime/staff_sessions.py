"""Staff connections (console, presenter, review screen) end with their log-in.

Socket.IO keeps the session a connection had when it connected, so an open console
would outlive a log-out. Each staff connection is recorded with its facilitator and
log-in key (live_connections) and joins a room per log-in and per facilitator. When a
log-in ends (accounts.sessions signals), every recorded connection is disconnected by
sid — python-socketio forwards a disconnect for another process's sid through the
message queue — and every connection in the rooms is sent `session_ended`, upon which
Koers' pages reload to the log-in page. Staff events also check the log-in is still
valid (a password change makes every older session stale).
"""

from flask import session

from workshop.accounts import services as accounts
from workshop.accounts.sessions import all_logins_ended, current_login_key, login_ended
from workshop.extensions import socketio
from workshop.live import presence


def person_room(facilitator_id):
    return f"staff-f{facilitator_id}"


def login_room(login_key):
    return f"staff-login-{login_key}"


def staff_rooms(facilitator):
    """The rooms a staff connection of `facilitator` in this session joins."""
    key = current_login_key()
    return [person_room(facilitator.id), *([login_room(key)] if key else [])]


def still_logged_in():
    """False once the session that opened this connection was ended by a password change
    (or the account is gone)."""
    return staff_account() is not None


def staff_account():
    """The account of this staff connection's session, None once that session ended."""
    return accounts.load_by_session_id(session.get("_user_id"))


def _end(room, sids):
    socketio.emit("session_ended", {}, to=room)
    local = [sid for sid, _eio in socketio.server.manager.get_participants("/", room)]
    for sid in dict.fromkeys([*sids, *local]):
        socketio.server.disconnect(sid, namespace="/")


@login_ended.connect
def _on_login_ended(_app, facilitator_id, login_key):
    if login_key:
        _end(login_room(login_key), presence.staff_sids(login_key=login_key))
    else:  # a session from before log-in keys: end the person's, valid ones reconnect
        _end(person_room(facilitator_id), presence.staff_sids(facilitator_id=facilitator_id))


@all_logins_ended.connect
def _on_all_logins_ended(_app, facilitator_id):
    _end(person_room(facilitator_id), presence.staff_sids(facilitator_id=facilitator_id))
