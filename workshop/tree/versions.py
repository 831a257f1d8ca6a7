"""Plan status (draft → review → final) and the versions it snapshots, compared word by word."""

import difflib
import json
import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from workshop.core.errors import Conflict, NotFound
from workshop.extensions import db
from workshop.tree.models import PlanVersion
from workshop.tree.services import record, tree

TRANSITIONS = {("draft", "review"), ("review", "final"), ("review", "draft"),
               ("final", "draft"), ("draft", "final")}
SNAPSHOT_ON = ("review", "final")


def _node(item):
    return {"id": item.id, "level": item.level, "text": item.text, "owner": item.owner,
            "deadline": item.deadline, "horizon_year": item.horizon_year, "note": item.note,
            "children": [_node(c) for c in item.children]}


def content(plan):
    """The plan as a document: mission, tagline, and the tree per domain."""
    return {
        "title": plan.title, "organisation": plan.organisation, "mission": plan.mission,
        "tagline": plan.tagline, "horizon": [plan.horizon_start, plan.horizon_end],
        "domains": [{"id": d.id, "name": d.name, "colour": d.colour,
                     "items": [_node(i) for i in items]} for d, items in tree(plan)],
    }


def set_status(plan, status, actor=None):
    """Move the plan on (or back); review and final keep a numbered version."""
    if (plan.status, status) not in TRANSITIONS:
        raise Conflict(_l("A plan cannot go from this status to that one."))
    old = plan.status
    plan.status = status
    record(plan, None, "status", "status", old, status, actor)
    version = None
    if status in SNAPSHOT_ON:
        number = (db.session.scalar(select(func.max(PlanVersion.number)).where(
            PlanVersion.plan_id == plan.id)) or 0) + 1
        version = PlanVersion(plan_id=plan.id, number=number, status=status,
                              content=json.dumps(content(plan)),
                              created_by_id=actor.id if actor else None)
        db.session.add(version)
    db.session.flush()
    return version


def list_versions(plan):
    return db.session.scalars(select(PlanVersion).where(PlanVersion.plan_id == plan.id)
                              .order_by(PlanVersion.number)).all()


def get_version(plan, number):
    version = db.session.scalar(select(PlanVersion).where(
        PlanVersion.plan_id == plan.id, PlanVersion.number == number))
    if version is None:
        raise NotFound(_l("This version does not exist."))
    return version


def _flatten(document):
    items = {}

    def walk(nodes, domain):
        for node in nodes:
            items[node["id"]] = {**node, "domain": domain}
            walk(node["children"], domain)

    for domain in document["domains"]:
        walk(domain["items"], domain["name"])
    return items


def word_diff(old, new):
    """[(kind, text)] with kind "same", "removed" or "added", word by word."""
    a, b = re.findall(r"\S+|\s+", old or ""), re.findall(r"\S+|\s+", new or "")
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(("removed", "".join(a[i1:i2])))
        if j2 > j1:
            parts.append(("added", "".join(b[j1:j2])))
    return parts


def compare(old_doc, new_doc):
    """What changed between two plan documents: added, removed and changed items, and the
    mission and tagline, each change marked word by word."""
    old, new = _flatten(old_doc), _flatten(new_doc)
    fields = [{"field": name, "diff": word_diff(old_doc[name], new_doc[name])}
              for name in ("mission", "tagline") if old_doc[name] != new_doc[name]]
    changed = [{"item": new[i], "diff": word_diff(old[i]["text"], new[i]["text"]),
                "moved": old[i]["domain"] != new[i]["domain"]}
               for i in new if i in old and (old[i]["text"] != new[i]["text"]
                                             or old[i]["domain"] != new[i]["domain"])]
    return {"fields": fields,
            "added": [new[i] for i in new if i not in old],
            "removed": [old[i] for i in old if i not in new],
            "changed": changed}
