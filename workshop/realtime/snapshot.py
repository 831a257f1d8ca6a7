"""What a connection sees when it (re)connects: everything its role may see, with the
versions it reflects. Later changes reach it as events (see realtime.delivery)."""

from workshop.extensions import db
from workshop.live import presence, serialize
from workshop.live.models import Participant, Workshop
from workshop.live.participation import own_proposals
from workshop.voting import tally
from workshop.voting.ballots import ballot_for
from workshop.voting.moderation import list_step_proposals


def snapshot_for(identity):
    """Everything this connection may see, with the version it reflects."""
    db.session.expire_all()
    workshop = db.session.get(Workshop, identity["workshop_id"])
    # Read the versions before the data: any change after this has a higher version
    # and reaches the client as an event (it is already in the room).
    versions = {"version": workshop.version, "stage_version": workshop.stage_version}
    if identity["role"] == "participant":
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

