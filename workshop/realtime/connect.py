"""The one Socket.IO connect handler: each kind of screen registers how it connects.

A live workshop's screens connect with `{workshop, role[, token]}`, the facilitator's
review screen with `{review, role: "review"}`. The key in the connect payload picks the
area's connector (`live.events`, `review.events`); a connector joins its rooms or calls
`refuse(code)`, which the client sees as a refused connection with that code.
"""

from flask import current_app
from flask_socketio import ConnectionRefusedError

from workshop.extensions import db, socketio

CONNECTORS = {}  # payload key -> connect(auth)


def connector(key):
    """Register `function(auth)` for connect payloads that carry `key`."""
    def register(function):
        CONNECTORS[key] = function
        return function

    return register


def refuse(code):
    db.session.rollback()
    raise ConnectionRefusedError(code)


@socketio.on("connect")
def on_connect(auth=None):
    try:
        keys = [key for key in CONNECTORS if isinstance(auth, dict) and key in auth]
        if len(keys) != 1:
            refuse("bad_auth")
        CONNECTORS[keys[0]](auth)
    except ConnectionRefusedError:
        raise
    except Exception:
        db.session.rollback()
        current_app.logger.exception("Socket connect failed")
        raise ConnectionRefusedError("unavailable") from None
