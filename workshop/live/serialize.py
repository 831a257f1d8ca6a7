"""What each audience may see of a workshop, as plain JSON-able dicts.

Three audiences: staff (console and presenter: everything), the room (every phone:
the live step and settings), and one participant (their own proposals).
"""

from datetime import UTC, datetime

from sqlalchemy import select

from workshop.extensions import db
from workshop.live.models import Participant, Proposal


def iso(moment):
    """UTC datetimes as ISO 8601 with a Z, or None."""
    return None if moment is None else moment.replace(tzinfo=UTC).isoformat().replace(
        "+00:00", "Z")


def now_iso():
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def domain(d):
    return {"id": d.id, "name": d.name, "colour": d.colour}


def step(s):
    """A step as every screen shows it."""
    return {
        "id": s.id,
        "position": s.position,
        "kind": s.kind,
        "title": s.title,
        "body": s.body,
        "item_kind": s.item_kind,
        "max_length": s.max_length,
        "max_per_participant": s.max_per_participant,
        "limit_per_domain": s.limit_per_domain,
        "time_limit_seconds": s.time_limit_seconds,
        "state": s.state,
        "ends_at": iso(s.ends_at),
        "remaining_seconds": s.remaining_seconds,
        "domains": [domain(d) for d in s.domains],
        "parents": [{"id": p.id, "text": p.text, "domain_id": p.domain_id}
                    for p in s.parent_items],
        **({"vote": {
            "method": s.vote_method, "source_step_id": s.source_step_id,
            "dot_budget": s.dot_budget, "budget_per_domain": s.budget_per_domain,
            "max_per_item": s.max_per_item, "score_min": 0 if s.score_max == 10 else 1,
            "score_max": s.score_max, "score_low_label": s.score_low_label,
            "score_high_label": s.score_high_label, "rank_top": s.rank_top,
            "reveal": s.reveal, "presenter_top": s.presenter_top,
        }} if s.kind == "vote" else {}),
    }


def stage(workshop):
    """The room's view: the workshop's settings and its live step."""
    return {
        "workshop": {
            "id": workshop.id,
            "code": workshop.code,
            "title": workshop.title,
            "anonymous": workshop.anonymous,
            "joining_open": workshop.joining_open,
            "premoderation": workshop.premoderation,
            "status": workshop.status,
        },
        "groups": [{"id": g.id, "name": g.name} for g in workshop.groups],
        "step": step(workshop.live_step) if workshop.live_step else None,
        "server_time": now_iso(),
    }


def agenda(workshop):
    return [
        {"id": s.id, "position": s.position, "kind": s.kind, "title": s.title, "state": s.state,
         "item_kind": s.item_kind, "time_limit_seconds": s.time_limit_seconds}
        for s in workshop.steps
    ]


def own_proposal(p):
    """A proposal as its author sees it."""
    return {
        "id": p.id,
        "step_id": p.step_id,
        "domain_id": p.domain_id,
        "parent_item_id": p.parent_item_id,
        "text": p.text,
        "status": p.status,
    }


def absorbed(proposals):
    """{proposal id: every proposal merged into it, directly or through others}."""
    steps = {p.step_id for p in proposals}
    merged = db.session.scalars(
        select(Proposal).where(Proposal.step_id.in_(steps), Proposal.status == "merged")
    ).all() if steps else []
    children = {}
    for child in merged:
        children.setdefault(child.merged_into_id, []).append(child)
    found = {}
    for proposal in proposals:
        collected, frontier = [], [proposal.id]
        while frontier:
            kids = [k for pid in frontier for k in children.get(pid, [])]
            collected.extend(kids)
            frontier = [k.id for k in kids]
        found[proposal.id] = collected
    return found


def staff_proposals(proposals, anonymous):
    """Proposals as the console and presenter see them, with all their authors."""
    absorbed_by = absorbed(proposals)
    authors_of = {}
    everyone = {p.participant_id for p in proposals} | {
        c.participant_id for kids in absorbed_by.values() for c in kids}
    people = {
        person.id: person
        for person in db.session.scalars(
            select(Participant).where(Participant.id.in_(everyone - {None})))
    }
    for p in proposals:
        ids = [p.participant_id] + [c.participant_id for c in absorbed_by[p.id]]
        authors_of[p.id] = [people[i] for i in dict.fromkeys(ids) if i in people]
    return [
        {
            **own_proposal(p),
            "merged_into_id": p.merged_into_id,
            "absorbed_ids": [c.id for c in absorbed_by[p.id]],
            "authors": [] if anonymous else [a.display_name for a in authors_of[p.id]],
            "author_count": len(authors_of[p.id]),
            "group_ids": sorted({a.group_id for a in authors_of[p.id] if a.group_id}),
            "created_at": iso(p.created_at),
        }
        for p in proposals
    ]
