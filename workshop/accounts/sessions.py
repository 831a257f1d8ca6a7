"""Log-ins as something other areas can follow: each log-in has a key, and ending one
(log-out) or all of a person's (password changed) is announced as a signal.

The live area listens and ends the staff Socket.IO connections those log-ins opened
(workshop/live/staff_sessions.py): a console tab must not outlive its session.
"""

import secrets

from blinker import Namespace
from flask import current_app, session

LOGIN_KEY = "login_key"

_signals = Namespace()
# send(app, facilitator_id=…, login_key=… or None for a session from before login keys)
login_ended = _signals.signal("login-ended")
# send(app, facilitator_id=…): every log-in of that person ends (password changed)
all_logins_ended = _signals.signal("all-logins-ended")


def new_login_key():
    session[LOGIN_KEY] = secrets.token_hex(8)


def current_login_key():
    return session.get(LOGIN_KEY)


def end_this_login(facilitator):
    login_ended.send(current_app._get_current_object(), facilitator_id=facilitator.id,
                     login_key=current_login_key())


def end_every_login(facilitator):
    all_logins_ended.send(current_app._get_current_object(), facilitator_id=facilitator.id)
