"""Open staff connections end with the session that opened them.

A console or presenter tab stays connected after the HTTP session is gone (Socket.IO
keeps the session it had when it connected). So a staff connection joins two rooms: one
per log-in and one per facilitator. Logging out ends the log-in's connections; changing
the password ends all of the facilitator's (every other session is logged out then).

This process disconnects its own connections in the room; every connection, also those
of other processes (through the message queue), is told `session_ended`, upon which the
page reloads — and a stale session meets the log-in page.
"""

import secrets

from flask import session

from workshop.extensions import socketio

LOGIN_KEY = "login_key"


def new_login_key():
    session[LOGIN_KEY] = secrets.token_hex(8)


def staff_rooms(facilitator):
    """The rooms a staff connection of `facilitator` in this session joins."""
    rooms = [f"staff-f{facilitator.id}"]
    if session.get(LOGIN_KEY):
        rooms.append(f"staff-login-{session[LOGIN_KEY]}")
    return rooms


def _end(room):
    socketio.emit("session_ended", {}, to=room)
    manager = socketio.server.manager
    for sid, _eio_sid in list(manager.get_participants("/", room)):
        socketio.server.disconnect(sid, namespace="/")


def end_this_login():
    if session.get(LOGIN_KEY):
        _end(f"staff-login-{session[LOGIN_KEY]}")


def end_every_login(facilitator):
    _end(f"staff-f{facilitator.id}")
