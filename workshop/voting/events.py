"""Socket.IO events for voting. Same contract as workshop.realtime.executor: strict payloads,
a client-made id per change, commit → ack → (coalesced) tally."""

from workshop.core.payloads import CLIENT_ID, Int, IntList, Str
from workshop.extensions import db
from workshop.live import running
from workshop.live.models import Workshop
from workshop.realtime.executor import CONSOLE, PARTICIPANT, live_event, run_command
from workshop.realtime.staff_sessions import staff_account
from workshop.voting import ballots


def _participant(identity):
    # The connection already proved who this is: no need to load the row for a vote.
    return ballots.Voter(identity["participant_id"], identity["workshop_id"])


@live_event("add_dot", PARTICIPANT, cid=CLIENT_ID, step_id=Int(), proposal_id=Int(),
            delta=Int(minimum=-1, maximum=1))
def on_add_dot(identity, v):
    """A participant puts a dot on an item (delta 1) or takes one off (delta -1)."""
    return run_command(identity, v["cid"], lambda: ballots.add_dots(
        _participant(identity), v["step_id"], v["proposal_id"], v["delta"]))


@live_event("move_dot", PARTICIPANT, cid=CLIENT_ID, step_id=Int(), from_id=Int(), to_id=Int())
def on_move_dot(identity, v):
    """A participant moves one of their dots to another item."""
    return run_command(identity, v["cid"], lambda: ballots.move_dot(
        _participant(identity), v["step_id"], v["from_id"], v["to_id"]))


@live_event("set_score", PARTICIPANT, cid=CLIENT_ID, step_id=Int(), proposal_id=Int(),
            score=Int(minimum=0, maximum=10, required=False))
def on_set_score(identity, v):
    """A participant scores an item (score null clears it)."""
    return run_command(identity, v["cid"], lambda: ballots.set_score(
        _participant(identity), v["step_id"], v["proposal_id"], v["score"]))


@live_event("set_ranking", PARTICIPANT, cid=CLIENT_ID, step_id=Int(),
            domain_id=Int(minimum=0), proposal_ids=IntList(max_items=20, min_items=0))
def on_set_ranking(identity, v):
    """A participant sets their top k in one domain (domain_id 0 for plan-wide items)."""
    return run_command(identity, v["cid"], lambda: ballots.set_ranking(
        _participant(identity), v["step_id"], v["domain_id"], v["proposal_ids"]))


@live_event("set_reveal", CONSOLE, cid=CLIENT_ID, step_id=Int(),
            reveal=Str(max_length=16, min_length=1))
def on_set_reveal(identity, v):
    """The facilitator shows a vote's results on the projector, to everyone, or hides them."""
    return run_command(identity, v["cid"], lambda: running.set_reveal(
        db.session.get(Workshop, identity["workshop_id"]), v["step_id"], v["reveal"],
        actor=staff_account()))
