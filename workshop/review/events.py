"""Socket.IO for the facilitator's review screen: live news of one round's comments."""

from flask import session
from flask_login import current_user
from flask_socketio import join_room

from workshop.core.payloads import Int, PayloadError, Str, parse
from workshop.extensions import db
from workshop.realtime.connect import connector, refuse
from workshop.realtime.executor import IDENTITY
from workshop.realtime.rooms import review_room
from workshop.realtime.staff_sessions import staff_rooms
from workshop.review.models import ReviewRound


@connector("review")
def connect_review(auth):
    """A logged-in facilitator's review screen joins its round's room (and the rooms
    that end with the facilitator's session)."""
    try:
        values = parse(auth, review=Int(), role=Str(max_length=16))
    except PayloadError:
        refuse("bad_auth")
    if values["role"] != "review":
        refuse("bad_auth")
    if not current_user.is_authenticated:
        refuse("login_required")
    if db.session.get(ReviewRound, values["review"]) is None:
        refuse("unknown_review")
    session[IDENTITY] = {"role": "review", "workshop_id": None, "participant_id": None,
                         "actor": f"f{current_user.id}"}
    join_room(review_room(values["review"]))
    for name in staff_rooms(current_user):
        join_room(name)
