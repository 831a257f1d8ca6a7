"""The content every document and spreadsheet is written from.

`build(plan, version)` gathers, in one read, the plan (now or as a saved version) and the
appendix on the process: the workshops held, who took part per group, the results of every
vote per item and group, and each stakeholder review round with its comments, dispositions
and replies. Renderers only lay this out; they never query the database themselves.
"""

import datetime as dt
import json

from sqlalchemy import func, select

from workshop.core.text import without_control
from workshop.extensions import db
from workshop.live.models import Participant, Step, Workshop
from workshop.monitor import progress
from workshop.review import services as review
from workshop.review.models import ReviewRound
from workshop.tree import versions
from workshop.voting import tally

FORMATS = ("docx", "pdf", "md", "xlsx", "csv", "json")
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "md": "text/markdown; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "application/zip",
    "json": "application/json",
}
SUFFIXES = {"csv": "csv.zip"}


def build(plan, number=None, today=None):
    """Everything a document of `plan` (or its version `number`) shows, as plain data."""
    if number:
        version = versions.get_version(plan, number)
        doc = json.loads(version.content)
        meta = {"number": version.number, "status": version.status,
                "date": version.created_at.date()}
    else:
        doc = versions.content(plan)
        meta = {"number": None, "status": plan.status, "date": today or dt.date.today()}
    doc = without_control(doc)  # Word and Excel refuse control characters
    return without_control({
        "plan_id": plan.id, "doc": doc, "meta": meta, "goals": flat_items(doc),
        "indicators": _indicators(plan, today), "workshops": _workshops(plan),
        "reviews": _reviews(plan)})


def _indicators(plan, today=None):
    """{goal id: [indicator with its latest value and status]} (as measured now)."""
    out = {}
    for indicator, result in progress.results(plan, today).values():
        out.setdefault(indicator.item_id, []).append({
            "name": indicator.name, "unit": indicator.unit, "direction": indicator.direction,
            "baseline_value": indicator.baseline_value, "target_value": indicator.target_value,
            "target_date": indicator.target_date, "range_low": indicator.range_low,
            "range_high": indicator.range_high, "owner": indicator.owner,
            "latest_value": result.latest_value, "latest_date": result.latest_date,
            "progress": result.progress, "status": result.status, "reason": result.reason,
            "overdue": result.overdue,
        })
    return out


def flat_items(doc):
    """Every item of the document in reading order, with its domain and parent's text."""
    rows = []

    def walk(nodes, domain, parent):
        for node in nodes:
            rows.append({**node, "domain": domain["name"],
                         "parent": parent["text"] if parent else ""})
            walk(node["children"], domain, node)

    for domain in doc["domains"]:
        walk(domain["items"], domain, None)
    return rows


def _workshops(plan):
    held = db.session.scalars(select(Workshop).where(Workshop.plan_id == plan.id)
                              .order_by(Workshop.date, Workshop.id)).all()
    out = []
    for workshop in held:
        counts = dict(db.session.execute(
            select(Participant.group_id, func.count()).where(
                Participant.workshop_id == workshop.id).group_by(Participant.group_id)).all())
        if not counts:
            continue  # planned, nobody took part: not part of the process yet
        groups = [{"name": g.name, "participants": counts.get(g.id, 0)}
                  for g in workshop.groups]
        if counts.get(None):
            groups.append({"name": None, "participants": counts[None]})
        votes = [_vote(step) for step in db.session.scalars(
            select(Step).where(Step.workshop_id == workshop.id, Step.kind == "vote",
                               Step.vote_seq > 0).order_by(Step.position))]
        out.append({"title": workshop.title, "date": workshop.date,
                    "anonymous": workshop.anonymous,
                    "participants": sum(counts.values()), "groups": groups,
                    "votes": votes})
    return out


def _vote(step):
    result = tally.compute(step)
    names = {str(g["id"]): g["name"] for g in result["groups"]}
    return {
        "title": step.title, "method": step.vote_method,
        "domains": [{
            "name": d["name"],
            "voters": d["voters"]["total"],
            "groups": [names[gid] for gid in d["shown_groups"]],
            "items": [{"text": r["text"], "value": r["value"], "count": r["count"],
                       "by_group": [r["by_group"][gid] for gid in d["shown_groups"]]}
                      for r in d["items"]],
        } for d in result["domains"]],
    }


def _reviews(plan):
    rounds = db.session.scalars(select(ReviewRound).where(ReviewRound.plan_id == plan.id)
                                .order_by(ReviewRound.opens_at, ReviewRound.id)).all()
    out = []
    for round_ in rounds:
        goals = {g["id"]: g for g in flat_items(json.loads(round_.version.content))}
        rows = []
        for comment in review.comments(round_):
            goal = goals.get(comment.item_id, {})
            who = comment.reviewer
            rows.append({
                "goal": goal.get("text", ""), "level": goal.get("level", ""),
                "domain": goal.get("domain", ""),
                "name": who.name if round_.named else "",
                "organisation": who.organisation if round_.named else "",
                "group": who.group_name,
                "reaction": comment.reaction, "text": comment.text,
                "rewording": comment.rewording, "disposition": comment.disposition,
                "reply": comment.reply,
            })
        out.append({"title": round_.title, "opens_at": round_.opens_at,
                    "closes_at": round_.closes_at, "version": round_.version.number,
                    "named": round_.named, "comments": rows})
    return out
