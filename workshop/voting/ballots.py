"""Casting votes: dots, scores and rankings, each change atomic and idempotent.

Each change function returns {"ack", "broadcast"} without committing; the event layer
wraps it in core.receipts.run_once (one transaction, once per client id).
"""

import random

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, true, update

from workshop.core.errors import Conflict, DomainError, NotFound
from workshop.extensions import db
from workshop.live.models import PLAN_LEVEL_KINDS, Proposal, Step, Workshop
from workshop.live.participation import open_live_step
from workshop.voting.models import DotBudget, Vote


def _insert_ignore(model, values, keys):
    """INSERT … ON CONFLICT DO NOTHING, on SQLite and PostgreSQL alike."""
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    db.session.execute(insert(model).values(**values).on_conflict_do_nothing(
        index_elements=keys))


def _bump_seq(step):
    return db.session.execute(
        update(Step).where(Step.id == step.id).values(vote_seq=Step.vote_seq + 1)
        .returning(Step.vote_seq).execution_options(synchronize_session=False)
    ).scalar_one()


def scope_of(proposal):
    return proposal.domain_id or 0


def allowed_scopes(step):
    """The domain ids voted on in this step; [0] when the items are plan-wide."""
    source = step.source_step
    if source is not None and source.item_kind in PLAN_LEVEL_KINDS:
        return [0]
    return [d.id for d in step.domains]


def ballot_items(step, participant=None):
    """The proposals on the ballot, in this participant's own random order when shuffled."""
    scopes = allowed_scopes(step)
    query = select(Proposal).where(Proposal.step_id == step.source_step_id,
                                   Proposal.status == "visible")
    if scopes != [0]:
        query = query.where(Proposal.domain_id.in_(scopes))
    items = db.session.scalars(query.order_by(Proposal.id)).all()
    if step.shuffle and participant is not None:
        # Stable per person and step: a reload shows the same order, neighbours differ.
        random.Random(f"{step.id}:{participant.id}").shuffle(items)
    return items


def _ballot_item(step, proposal_id):
    proposal = db.session.get(Proposal, proposal_id) if isinstance(proposal_id, int) else None
    if proposal is None or proposal.workshop_id != step.workshop_id:
        raise NotFound(_l("This item is not on the ballot."))
    if proposal.step_id != step.source_step_id or scope_of(proposal) not in allowed_scopes(step):
        raise NotFound(_l("This item is not on the ballot."))
    if proposal.status != "visible":
        raise Conflict(_l("This item was hidden or merged; it can no longer get votes."))
    return proposal


def _vote_step(participant, step_id, method):
    workshop = db.session.get(Workshop, participant.workshop_id)
    step = open_live_step(workshop, step_id, "vote")
    if step.vote_method != method:
        raise Conflict(_l("This step uses another way of voting. Reload the page."))
    return step


def _budget_scope(step, proposal):
    return scope_of(proposal) if step.budget_per_domain else 0


def my_votes(step, participant):
    """{proposal_id: value} and {scope: dots left} for one participant."""
    votes = {v.proposal_id: v.value for v in db.session.scalars(
        select(Vote).where(Vote.step_id == step.id, Vote.participant_id == participant.id,
                           Vote.value > 0 if step.vote_method == "dots" else true()))}
    spent = {b.scope: b.spent for b in db.session.scalars(
        select(DotBudget).where(DotBudget.step_id == step.id,
                                DotBudget.participant_id == participant.id))}
    scopes = allowed_scopes(step) if step.budget_per_domain else [0]
    left = {str(s): step.dot_budget - spent.get(s, 0) for s in scopes}
    return votes, left


def _change_dots(step, participant, proposal, delta):
    """Move `delta` dots onto (or off) an item: two conditional UPDATEs or nothing."""
    keys = {"step_id": step.id, "participant_id": participant.id}
    scope = _budget_scope(step, proposal)
    _insert_ignore(DotBudget, {**keys, "scope": scope, "budget": step.dot_budget, "spent": 0},
                   ["step_id", "participant_id", "scope"])
    _insert_ignore(Vote, {**keys, "proposal_id": proposal.id, "method": "dots",
                          "scope": scope_of(proposal), "value": 0},
                   ["step_id", "participant_id", "proposal_id"])
    item = db.session.execute(
        update(Vote).where(Vote.step_id == step.id, Vote.participant_id == participant.id,
                           Vote.proposal_id == proposal.id, Vote.value + delta >= 0,
                           Vote.value + delta <= step.max_per_item)
        .values(value=Vote.value + delta).returning(Vote.value)
        .execution_options(synchronize_session=False)).scalar_one_or_none()
    if item is None:
        raise Conflict(_l("At most %(n)d dots per item.", n=step.max_per_item)
                       if delta > 0 else _l("There are no dots on this item to take off."))
    spent = db.session.execute(
        update(DotBudget).where(DotBudget.step_id == step.id,
                                DotBudget.participant_id == participant.id,
                                DotBudget.scope == scope, DotBudget.spent + delta >= 0,
                                DotBudget.spent + delta <= DotBudget.budget)
        .values(spent=DotBudget.spent + delta).returning(DotBudget.spent)
        .execution_options(synchronize_session=False)).scalar_one_or_none()
    if spent is None:
        raise Conflict(_l("You have no dots left here. Take one off another item first."))
    return {"proposal_id": proposal.id, "dots": item, "scope": str(scope),
            "left": step.dot_budget - spent}


def _result(step, ack):
    seq = _bump_seq(step)
    return {"ack": {**ack, "seq": seq},
            "broadcast": {"tally_step": step.id, "workshop_id": step.workshop_id}}


def add_dots(participant, step_id, proposal_id, delta):
    """A participant puts a dot on an item (+1) or takes one off (-1)."""
    if delta not in (-1, 1):
        raise DomainError(_l("Add or remove one dot at a time."))
    step = _vote_step(participant, step_id, "dots")
    proposal = _ballot_item(step, proposal_id)
    return _result(step, _change_dots(step, participant, proposal, delta))


def move_dot(participant, step_id, from_id, to_id):
    """A participant moves one dot from one item to another, in one transaction."""
    step = _vote_step(participant, step_id, "dots")
    source, target = _ballot_item(step, from_id), _ballot_item(step, to_id)
    if source.id == target.id:
        raise DomainError(_l("Choose another item to move the dot to."))
    taken = _change_dots(step, participant, source, -1)
    given = _change_dots(step, participant, target, 1)
    return _result(step, {"changes": [taken, given]})


def set_score(participant, step_id, proposal_id, score):
    """A participant scores an item (or clears the score with None)."""
    step = _vote_step(participant, step_id, "score")
    proposal = _ballot_item(step, proposal_id)
    low = 0 if step.score_max == 10 else 1
    keys = {"step_id": step.id, "participant_id": participant.id, "proposal_id": proposal.id}
    if score is None:
        db.session.execute(delete(Vote).filter_by(**keys))
    else:
        if not isinstance(score, int) or not low <= score <= step.score_max:
            raise DomainError(_l("Give a score from %(a)d to %(b)d.", a=low, b=step.score_max))
        _insert_ignore(Vote, {**keys, "method": "score", "scope": scope_of(proposal),
                              "value": score}, ["step_id", "participant_id", "proposal_id"])
        db.session.execute(update(Vote).filter_by(**keys).values(value=score)
                           .execution_options(synchronize_session=False))
    return _result(step, {"proposal_id": proposal.id, "score": score})


def set_ranking(participant, step_id, scope, proposal_ids):
    """A participant sets their top k for one domain (replacing their earlier order)."""
    step = _vote_step(participant, step_id, "rank")
    if scope not in allowed_scopes(step):
        raise DomainError(_l("Choose one of the work domains of this step."))
    if len(proposal_ids) > step.rank_top or len(set(proposal_ids)) != len(proposal_ids):
        raise DomainError(_l("Rank at most %(n)d different items.", n=step.rank_top))
    items = [_ballot_item(step, pid) for pid in proposal_ids]
    if any(scope_of(item) != scope for item in items):
        raise DomainError(_l("Rank the items of one work domain at a time."))
    db.session.execute(delete(Vote).where(Vote.step_id == step.id,
                                          Vote.participant_id == participant.id,
                                          Vote.scope == scope))
    db.session.flush()
    for position, item in enumerate(items, start=1):
        db.session.add(Vote(step_id=step.id, participant_id=participant.id,
                            proposal_id=item.id, method="rank", scope=scope, value=position))
    db.session.flush()
    return _result(step, {"scope": str(scope), "ranking": [i.id for i in items]})


def follow_merge(target, sources):
    """When proposals merge, their votes follow: per person the larger count, capped.

    Dots that no longer count (a person had dots on both) go back to their budget.
    A ranking keeps the better position. Called inside the merge's transaction.
    """
    steps = db.session.scalars(select(Step).where(Step.source_step_id == target.step_id,
                                                  Step.kind == "vote")).all()
    for step in steps:
        for source in sources:
            for vote in db.session.scalars(select(Vote).where(
                    Vote.step_id == step.id, Vote.proposal_id == source.id)).all():
                _fold_vote(step, vote, target)
        _bump_seq(step)


def _fold_vote(step, vote, target):
    kept = db.session.scalar(select(Vote).where(
        Vote.step_id == step.id, Vote.participant_id == vote.participant_id,
        Vote.proposal_id == target.id))
    if kept is None:
        vote.proposal_id = target.id
        return
    if step.vote_method == "rank":
        better = min(kept.value, vote.value)
        db.session.delete(vote)  # free its position before taking it over
        db.session.flush()
        kept.value = better
        db.session.flush()
        return
    if step.vote_method == "dots":
        merged = min(max(kept.value, vote.value), step.max_per_item)
        refund = kept.value + vote.value - merged
        kept.value = merged
        scope = scope_of(target) if step.budget_per_domain else 0
        db.session.execute(update(DotBudget).where(
            DotBudget.step_id == step.id, DotBudget.participant_id == vote.participant_id,
            DotBudget.scope == scope).values(spent=DotBudget.spent - refund))
    else:
        kept.value = max(kept.value, vote.value)
    db.session.delete(vote)
    db.session.flush()


def ballot_for(step, participant):
    """What a participant's phone shows in a vote step: items, their votes, dots left."""
    votes, left = my_votes(step, participant)
    return {
        "items": [{"id": p.id, "text": p.text, "domain_id": p.domain_id}
                  for p in ballot_items(step, participant)],
        "votes": {str(k): v for k, v in votes.items()},
        "left": left,
    }
