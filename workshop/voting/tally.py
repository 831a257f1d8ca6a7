"""Vote results from indexed aggregates in the database, split by group where allowed.

Dots: the sum of dots. Score: the mean score. Ranking: a Borda count over each
person's top k — first place earns k points, second k-1, …, k-th 1 point.

Group splits are shown only when every group that voted in a domain has at least
`min_group_size` voters there, so no one's vote can be singled out (not even by
subtracting the shown groups from the total). Where two shown groups rank an item
far apart (by a third of the list or more, at least two places), it is marked.
"""

from sqlalchemy import func, select

from workshop.extensions import db
from workshop.live.models import Participant, Proposal, Step, Workshop
from workshop.plans.models import Domain
from workshop.voting.ballots import allowed_scopes
from workshop.voting.models import Vote

VOTES = Vote.__table__
PEOPLE = Participant.__table__
PROPOSALS = Proposal.__table__
DOMAINS = Domain.__table__
STEPS = Step.__table__


def _points(step):
    if step.vote_method == "rank":
        return step.rank_top + 1 - VOTES.c.value
    return VOTES.c.value


def compute(step):
    """The full tally of a vote step, as sent to screens (sorted, with group splits).

    Runs up to ten times a second during a vote: Core queries, no ORM objects.
    """
    connection = db.session.connection()
    workshop = db.session.get(Workshop, step.workshop_id)
    seq = step.vote_seq  # read first: a tally's content is at least as new as its seq
    counted = VOTES.c.value > 0 if step.vote_method == "dots" else VOTES.c.value >= 0
    voters_of = VOTES.join(PEOPLE, PEOPLE.c.id == VOTES.c.participant_id)
    totals = connection.execute(
        select(VOTES.c.proposal_id, PEOPLE.c.group_id, func.sum(_points(step)), func.count())
        .select_from(voters_of).where(VOTES.c.step_id == step.id, counted)
        .group_by(VOTES.c.proposal_id, PEOPLE.c.group_id)
    ).all()
    voter_rows = connection.execute(
        select(VOTES.c.scope, PEOPLE.c.group_id, func.count(func.distinct(VOTES.c.participant_id)))
        .select_from(voters_of).where(VOTES.c.step_id == step.id, counted)
        .group_by(VOTES.c.scope, PEOPLE.c.group_id)
    ).all()
    by_item = {}
    for proposal_id, group_id, total, count in totals:
        entry = by_item.setdefault(proposal_id, {"sum": 0, "count": 0, "groups": {}})
        entry["sum"] += total
        entry["count"] += count
        entry["groups"][str(group_id or 0)] = (total, count)
    voters = {}
    for scope, group_id, count in voter_rows:
        voters.setdefault(scope, {})[str(group_id or 0)] = count
    scopes = allowed_scopes(step)
    domains = {row.id: row for row in connection.execute(
        select(DOMAINS.c.id, DOMAINS.c.name, DOMAINS.c.colour).where(DOMAINS.c.id.in_(scopes)))}
    items = connection.execute(
        select(PROPOSALS.c.id, PROPOSALS.c.text, PROPOSALS.c.domain_id).where(
            PROPOSALS.c.step_id == step.source_step_id, PROPOSALS.c.status == "visible")
        .order_by(PROPOSALS.c.id)).all()
    return {
        "step_id": step.id,
        "seq": seq,
        "method": step.vote_method,
        "reveal": step.reveal,
        "min_group_size": workshop.min_group_size,
        "groups": [{"id": g.id, "name": g.name} for g in workshop.groups],
        "domains": [
            _domain_tally(step, workshop, scope, domains.get(scope),
                          [i for i in items if (i.domain_id or 0) == scope],
                          by_item, voters.get(scope, {}))
            for scope in scopes
        ],
    }


def steps_with_results(step_ids):
    """The vote steps among `step_ids` with at least one vote that counts in their tally
    (a dot, a score or a rank on an item still on the ballot): those have results."""
    if not step_ids:
        return set()
    counted = (STEPS.c.vote_method != "dots") | (VOTES.c.value > 0)
    return set(db.session.execute(
        select(VOTES.c.step_id).distinct()
        .join(STEPS, STEPS.c.id == VOTES.c.step_id)
        .join(PROPOSALS, PROPOSALS.c.id == VOTES.c.proposal_id)
        .where(VOTES.c.step_id.in_(list(step_ids)), counted, PROPOSALS.c.status == "visible",
               PROPOSALS.c.step_id == STEPS.c.source_step_id)).scalars())


def has_results(step):
    """True once someone's vote counts in this vote step."""
    return step.id in steps_with_results([step.id])


def _value(step, total, count):
    if step.vote_method == "score":
        return round(total / count, 2) if count else None
    return int(total)


def _domain_tally(step, workshop, scope, domain, items, by_item, voters):
    # Splits only when every group that voted reaches the threshold: otherwise a small
    # group's votes could be worked out as the total minus the groups shown.
    voting = [str(g.id) for g in workshop.groups if voters.get(str(g.id), 0) > 0]
    if voters.get("0", 0) or any(voters[g] < workshop.min_group_size for g in voting):
        shown = []
    else:
        shown = voting
    rows = []
    for item in items:
        entry = by_item.get(item.id, {"sum": 0, "count": 0, "groups": {}})
        rows.append({
            "proposal_id": item.id,
            "text": item.text,
            "value": _value(step, entry["sum"], entry["count"]),
            "count": entry["count"],
            "by_group": {gid: _value(step, *entry["groups"].get(gid, (0, 0)))
                         for gid in shown},
        })
    rows.sort(key=lambda r: (-(r["value"] or 0), r["proposal_id"]))
    _mark_divergence(rows, shown)
    return {
        "domain_id": scope or None,
        "name": domain.name if domain else None,
        "colour": domain.colour if domain else None,
        "voters": {"total": sum(voters.values()), "by_group": voters},
        "shown_groups": shown,
        "items": rows,
    }


def _mark_divergence(rows, shown):
    """Flag items that two shown groups place far apart in their own rankings."""
    for row in rows:
        row["diverges"] = False
    if len(shown) < 2 or len(rows) < 3:
        return
    places = {}
    for gid in shown:
        ordered = sorted(rows, key=lambda r: (-(r["by_group"][gid] or 0), r["proposal_id"]))
        places[gid] = {r["proposal_id"]: n for n, r in enumerate(ordered)}
    gap = max(2, -(-len(rows) // 3))
    for row in rows:
        spots = [places[gid][row["proposal_id"]] for gid in shown]
        row["diverges"] = max(spots) - min(spots) >= gap
