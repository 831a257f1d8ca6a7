"""Promoting vote winners into the plan, keeping the thread back to proposals and votes."""

import json

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from workshop.core.errors import DomainError, NotFound
from workshop.extensions import db
from workshop.live import serialize
from workshop.live.models import Participant, Proposal, Step, Workshop
from workshop.plans.models import Plan
from workshop.tree import services
from workshop.tree.models import LEVELS, PLAN_FIELDS, ItemSource, PlanItem
from workshop.voting.tally import compute, has_results

MODES = ("top", "threshold", "pick")


def promoted_ids(plan):
    """Proposal ids already in the plan."""
    return set(db.session.scalars(select(ItemSource.proposal_id).where(
        ItemSource.plan_id == plan.id, ItemSource.proposal_id.is_not(None))))


def candidates(vote_step):
    """The vote's ranked results per domain (what the promote page offers)."""
    return compute(vote_step)


def require_results(vote_step):
    """A vote without a single vote has no winners: refuse before anything changes."""
    if not has_results(vote_step):
        raise DomainError(_l("Nobody has voted in this step yet, so there are no winners to "
                             "put into the plan."))


def _choose(tally, mode, top, threshold, picked):
    chosen = []
    for domain in tally["domains"]:
        rows = domain["items"]
        if mode == "top":
            chosen += [r["proposal_id"] for r in rows[:top]]
        elif mode == "threshold":
            chosen += [r["proposal_id"] for r in rows if (r["value"] or 0) >= threshold]
        else:
            chosen += [r["proposal_id"] for r in rows if r["proposal_id"] in picked]
    return chosen, {r["proposal_id"]: (domain, r) for domain in tally["domains"]
                    for r in domain["items"]}


def _summary(proposal, vote_step, result, tally):
    workshop = db.session.get(Workshop, proposal.workshop_id)
    collect = db.session.get(Step, proposal.step_id)
    absorbed = serialize.absorbed([proposal])[proposal.id]  # through nested merges too
    people = [proposal.participant_id] + [p.participant_id for p in absorbed]
    authors = [] if workshop.anonymous else [
        p.display_name for p in db.session.scalars(
            select(Participant).where(Participant.id.in_([i for i in people if i])))]
    groups = {str(g["id"]): g["name"] for g in tally["groups"]} if tally else {}
    return json.dumps({
        "text": proposal.text,
        "merged_texts": [p.text for p in absorbed],
        "authors": authors,
        "author_count": len([i for i in people if i]),
        "workshop": workshop.title,
        "workshop_id": workshop.id,
        "collect_step": collect.title if collect else None,
        "vote_step": vote_step.title if vote_step else None,
        "method": tally["method"] if tally else None,
        "result": result["value"] if result else None,
        "votes": result["count"] if result else None,
        "by_group": {groups.get(gid, gid): value
                     for gid, value in (result or {}).get("by_group", {}).items()},
    })


def promote(plan, vote_step, mode, level, parent_id=None, top=3, threshold=1, picked=(),
            actor=None):
    """Put the winners of a vote into the plan as items of `level` (or as the mission or
    tagline). Proposals already promoted are skipped, so promoting twice adds nothing.
    Returns the new items (or the plan field that changed)."""
    services.require_editable(plan)
    if vote_step is None or vote_step.kind != "vote" or \
            db.session.get(Workshop, vote_step.workshop_id).plan_id != plan.id:
        raise NotFound(_l("This vote is not part of this plan."))
    require_results(vote_step)
    if mode not in MODES:
        raise DomainError(_l("Choose how to pick the winners."), field="mode")
    if level not in LEVELS + PLAN_FIELDS:
        raise DomainError(_l("Choose a level."), field="level")
    tally = compute(vote_step)
    chosen, rows = _choose(tally, mode, top, threshold, set(picked))
    done = promoted_ids(plan)
    chosen = [pid for pid in chosen if pid not in done]
    if level in PLAN_FIELDS:
        return _promote_field(plan, vote_step, level, chosen[:1], rows, tally, actor)
    parent = services.get_item(plan, parent_id) if parent_id else None
    made = []
    try:
        with db.session.begin_nested():
            for pid in chosen:
                proposal = db.session.get(Proposal, pid)
                if parent is not None and proposal.domain_id != parent.domain_id:
                    continue  # under one parent: only that parent's work domain
                if proposal.plan_item_id:  # a vote on plan items ranks them; already in
                    continue
                own_parent = parent
                if own_parent is None and proposal.parent_item_id:
                    own_parent = db.session.get(PlanItem, proposal.parent_item_id)
                item = services.new_item(plan, level, proposal.domain_id, proposal.text,
                                         own_parent, actor)
                db.session.add(ItemSource(
                    plan_id=plan.id, item_id=item.id, proposal_id=pid,
                    vote_step_id=vote_step.id,
                    summary=_summary(proposal, vote_step, rows[pid][1], tally)))
                made.append(item)
            db.session.flush()
    except IntegrityError:  # promoted at the same moment on another screen
        return []
    return made


def _promote_field(plan, vote_step, field, chosen, rows, tally, actor):
    if not chosen:
        return []
    proposal = db.session.get(Proposal, chosen[0])
    try:
        with db.session.begin_nested():
            services.set_plan_field(plan, field, proposal.text, actor)
            db.session.add(ItemSource(
                plan_id=plan.id, field=field, proposal_id=proposal.id,
                vote_step_id=vote_step.id,
                summary=_summary(proposal, vote_step, rows[proposal.id][1], tally)))
            db.session.flush()
    except IntegrityError:  # promoted at the same moment on another screen
        return []
    return [field]


def provenance(item_or_plan, field=None):
    """The decoded provenance entries of an item, or of the plan's mission/tagline."""
    if isinstance(item_or_plan, Plan):
        rows = db.session.scalars(select(ItemSource).where(
            ItemSource.plan_id == item_or_plan.id, ItemSource.field == field)).all()
    else:
        rows = item_or_plan.sources
    return [json.loads(row.summary) for row in rows]


def seed_vote_source(workshop, level, domain_ids, title):
    """A closed collect step whose 'proposals' are plan items of one level, so a vote step
    can prioritise them (the voting rules stay the same). Returns the step."""
    from workshop.live import agenda

    plan = db.session.get(Plan, workshop.plan_id)
    items = db.session.scalars(select(PlanItem).where(
        PlanItem.plan_id == plan.id, PlanItem.level == level,
        PlanItem.domain_id.in_(domain_ids)).order_by(PlanItem.domain_id, PlanItem.position)
    ).all()
    if not items:
        raise DomainError(_l("There are no plan items of that level in these domains yet."))
    step = agenda.add_step(workshop, {
        "kind": "collect", "title": title, "item_kind": level, "max_length": 2000,
        "max_per_participant": 1, "domain_ids": sorted({i.domain_id for i in items})})
    step.state = "closed"
    for item in items:
        db.session.add(Proposal(workshop_id=workshop.id, step_id=step.id,
                                domain_id=item.domain_id, item_kind=level, text=item.text,
                                status="visible", plan_item_id=item.id))
    db.session.flush()  # the page adds the vote step in the same transaction
    return step
