"""Socket.IO rooms: `w<id>:staff` (console and presenter), `w<id>:console` (the console
only: results while they are hidden), `w<id>:room` (every phone of the workshop) and
`p<id>` (one participant's own screens); `r<id>` the facilitators' review screens of one
review round."""


def staff_room(workshop_id):
    return f"w{workshop_id}:staff"


def console_room(workshop_id):
    """Only the facilitator's console: sees results even while they are hidden."""
    return f"w{workshop_id}:console"


def room(workshop_id):
    return f"w{workshop_id}:room"


def participant_room(participant_id):
    return f"p{participant_id}"


def review_room(round_id):
    """The facilitators' review screens of one review round."""
    return f"r{round_id}"
