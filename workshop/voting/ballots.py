"""Casting votes: dots, scores and rankings, each change atomic and idempotent.

Each change function returns an Outcome (the ack, and a VotesCast event) without
committing; the socket executor runs it once per client id and commits.
"""

import random
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import delete, select, true, update

from workshop.core.errors import Conflict, DomainError, NotFound
from workshop.core.outcome import Outcome
from workshop.extensions import db
from workshop.live.models import (
    PLAN_LEVEL_KINDS,
    Participant,
    Proposal,
    Step,
    Workshop,
    step_domains,
)
from workshop.live.participation import check_open
from workshop.plans.models import Domain
from workshop.voting.changes import VotesCast
from workshop.voting.models import DotBudget, Vote


def _insert():
    """The dialect's INSERT, which has ON CONFLICT (SQLite and PostgreSQL alike)."""
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def _core(statement):
    """Run a Core statement on the session's connection (same transaction).

    The vote path is hot: Core skips the ORM's bookkeeping for rows it does not load.
    """
    return db.session.connection().execute(statement)


def _add_within(model, keys, values, column, delta, low, high):
    """Add `delta` to `column` of the row at `keys` (created when missing) only if the
    result stays within [low, high]: one atomic statement. Returns the new value or None.
    """
    table = model.__table__
    new = table.c[column] + delta
    if delta < 0:  # taking away never creates a row (and a new row's CHECK would fail first)
        statement = (
            update(table).where(*(table.c[k] == v for k, v in keys.items()),
                                new >= low, new <= high)
            .values({column: new}).returning(table.c[column])
        )
        return _core(statement).scalar_one_or_none()
    insert = _insert()
    statement = (
        insert(table).values(**keys, **values, **{column: delta})
        .on_conflict_do_update(index_elements=list(keys), set_={column: new},
                               where=(new >= low) & (new <= high))
        .returning(table.c[column])
    )
    return _core(statement).scalar_one_or_none()


@dataclass(frozen=True)
class Voter:
    """Who votes: enough of a participant for the ballot (no row to load)."""

    id: int
    workshop_id: int


_PARTICIPANTS = Participant.__table__


def _serialise(participant):
    """Take this participant's ballot lock before reading or writing any of their votes.

    A ballot change writes several rows (a ranking deletes and inserts up to 20, a move
    two items and their budgets). Two of one person's changes running at once (a double
    tap, two tabs, a phone's retry) would take those row locks in different orders and
    deadlock on PostgreSQL. Locking the participant's row first (FOR NO KEY UPDATE: vote
    rows pointing at it still insert) makes them queue instead, one at a time.

    SQLite runs the reads before a transaction's first write outside it: an item read as
    visible could be merged or hidden before the vote is written. A first (empty) write
    takes SQLite's one write lock, so what follows reads the current state.
    """
    participants = _PARTICIPANTS
    if db.session.get_bind().dialect.name == "postgresql":
        _core(select(participants.c.id).where(participants.c.id == participant.id)
              .with_for_update(key_share=True))
    else:
        _core(update(participants).where(participants.c.id == participant.id)
              .values(workshop_id=participants.c.workshop_id))


def _bump_seq(step):
    steps = Step.__table__
    return _core(update(steps).where(steps.c.id == step.id)
                 .values(vote_seq=steps.c.vote_seq + 1).returning(steps.c.vote_seq)).scalar_one()


def scope_of(proposal):
    return proposal.domain_id or 0


def allowed_scopes(step):
    """The domain ids voted on in this step; [0] when the items are plan-wide.

    A vote step carries its collect step's item kind, so this needs no extra query for
    plan-wide items, and one small one (the step's domains) otherwise.
    """
    if step.item_kind in PLAN_LEVEL_KINDS:
        return [0]
    return list(db.session.connection().scalars(
        select(step_domains.c.domain_id).join(Domain, Domain.id == step_domains.c.domain_id)
        .where(step_domains.c.step_id == step.id).order_by(Domain.position)))


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


_PROPOSAL = Proposal.__table__
_STEP = Step.__table__
_STEP_FIELDS = [_STEP.c[name] for name in (
    "id", "workshop_id", "kind", "state", "ends_at", "vote_method", "item_kind",
    "source_step_id", "dot_budget", "budget_per_domain", "max_per_item", "score_max",
    "rank_top", "shuffle")]


def _ballot_item(step, proposal_id):
    # FOR SHARE (PostgreSQL): a merge or hide of this item waits until the vote is
    # stored (and then takes it along), or the vote waits and sees the item's new status.
    proposal = _core(
        select(_PROPOSAL.c.id, _PROPOSAL.c.workshop_id, _PROPOSAL.c.step_id,
               _PROPOSAL.c.domain_id, _PROPOSAL.c.status).where(_PROPOSAL.c.id == proposal_id)
        .with_for_update(read=True)
    ).first() if isinstance(proposal_id, int) else None
    if proposal is None or proposal.workshop_id != step.workshop_id:
        raise NotFound(_l("This item is not on the ballot."))
    if proposal.step_id != step.source_step_id or scope_of(proposal) not in allowed_scopes(step):
        raise NotFound(_l("This item is not on the ballot."))
    if proposal.status != "visible":
        raise Conflict(_l("This item was hidden or merged; it can no longer get votes."))
    return proposal


def _vote_step(participant, step_id, method):
    # One query for the settings a vote needs, only if it is this workshop's live step.
    workshops = Workshop.__table__
    step = _core(
        select(*_STEP_FIELDS).join(workshops, workshops.c.live_step_id == _STEP.c.id)
        .where(workshops.c.id == participant.workshop_id, _STEP.c.id == step_id)
    ).first()
    if step is None or step.kind != "vote":
        raise Conflict(_l("This step is no longer open for voting."))
    check_open(step)
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
    rows = {b.scope: b for b in db.session.scalars(
        select(DotBudget).where(DotBudget.step_id == step.id,
                                DotBudget.participant_id == participant.id))}
    scopes = allowed_scopes(step) if step.budget_per_domain else [0]
    left = {str(s): (rows[s].budget - rows[s].spent) if s in rows else step.dot_budget
            for s in scopes}
    return votes, left


def _change_dots(step, participant, proposal, delta):
    """Move `delta` dots onto (or off) an item: two conditional UPDATEs or nothing."""
    keys = {"step_id": step.id, "participant_id": participant.id}
    scope = _budget_scope(step, proposal)
    item = _add_within(Vote, {**keys, "proposal_id": proposal.id},
                       {"method": "dots", "scope": scope_of(proposal)},
                       "value", delta, 0, step.max_per_item)
    if item is None:
        raise Conflict(ngettext("At most %(num)d dot per item.", "At most %(num)d dots per item.",
                                step.max_per_item)
                       if delta > 0 else _l("There are no dots on this item to take off."))
    # The budget row's CHECK (0 <= spent <= budget) stands behind this condition.
    spent = _add_within(DotBudget, {**keys, "scope": scope}, {"budget": step.dot_budget},
                        "spent", delta, 0, step.dot_budget)
    if spent is None:
        raise Conflict(_l("You have no dots left here. Take one off another item first."))
    return {"proposal_id": proposal.id, "dots": item, "scope": str(scope),
            "left": step.dot_budget - spent}  # settings are fixed once votes exist


def _result(step, ack):
    seq = _bump_seq(step)
    return Outcome(ack={**ack, "seq": seq}, events=(VotesCast(step.workshop_id, step.id),))


def add_dots(participant, step_id, proposal_id, delta):
    """A participant puts a dot on an item (+1) or takes one off (-1)."""
    if delta not in (-1, 1):
        raise DomainError(_l("Add or remove one dot at a time."))
    _serialise(participant)
    step = _vote_step(participant, step_id, "dots")
    proposal = _ballot_item(step, proposal_id)
    return _result(step, _change_dots(step, participant, proposal, delta))


def move_dot(participant, step_id, from_id, to_id):
    """A participant moves one dot from one item to another, in one transaction."""
    _serialise(participant)
    step = _vote_step(participant, step_id, "dots")
    source, target = _ballot_item(step, from_id), _ballot_item(step, to_id)
    if source.id == target.id:
        raise DomainError(_l("Choose another item to move the dot to."))
    taken = _change_dots(step, participant, source, -1)
    given = _change_dots(step, participant, target, 1)
    return _result(step, {"changes": [taken, given]})


def set_score(participant, step_id, proposal_id, score):
    """A participant scores an item (or clears the score with None)."""
    _serialise(participant)
    step = _vote_step(participant, step_id, "score")
    proposal = _ballot_item(step, proposal_id)
    low = 0 if step.score_max == 10 else 1
    keys = {"step_id": step.id, "participant_id": participant.id, "proposal_id": proposal.id}
    if score is None:
        db.session.execute(delete(Vote).filter_by(**keys))
    else:
        if not isinstance(score, int) or not low <= score <= step.score_max:
            raise DomainError(_l("Give a score from %(a)d to %(b)d.", a=low, b=step.score_max))
        _core(_insert()(Vote.__table__).values(
            **keys, method="score", scope=scope_of(proposal), value=score
        ).on_conflict_do_update(index_elements=list(keys), set_={"value": score}))
    return _result(step, {"proposal_id": proposal.id, "score": score})


def set_ranking(participant, step_id, scope, proposal_ids):
    """A participant sets their top k for one domain (replacing their earlier order)."""
    _serialise(participant)
    step = _vote_step(participant, step_id, "rank")
    if scope not in allowed_scopes(step):
        raise DomainError(_l("Choose one of the work domains of this step."))
    if len(proposal_ids) > step.rank_top or len(set(proposal_ids)) != len(proposal_ids):
        raise DomainError(ngettext("Rank at most %(num)d item.",
                                   "Rank at most %(num)d different items.", step.rank_top))
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
