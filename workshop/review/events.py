"""Socket.IO for the facilitator's review screen: live news of one round's comments."""

from flask import session
from flask_login import current_user
from flask_socketio import join_room

from workshop.core.errors import Forbidden, NotFound
from workshop.core.payloads import Int, PayloadError, Str, parse
from workshop.extensions import db
from workshop.plans.access import EDIT, authorise_plan
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
    round_ = db.session.get(ReviewRound, values["review"])
    if round_ is None:
        refuse("unknown_review")
    try:
        authorise_plan(current_user, round_.plan_id, EDIT)
    except NotFound:
        refuse("unknown_review")  # another organisation's: as if it did not exist
    except Forbidden:
        refuse("forbidden")
    session[IDENTITY] = {"role": "review", "workshop_id": None, "participant_id": None,
                         "actor": f"f{current_user.id}"}
    join_room(review_room(values["review"]))
    for name in staff_rooms(current_user):
        join_room(name)
