"""What a step's settings may be: the checks behind adding and editing agenda steps.

`clean_step(workshop, data)` turns a form's (or a client's) values into the fields of a
Step, or raises a DomainError naming the field that is wrong. It reads the database
(the collect step voted on, the plan's domains and items) but changes nothing.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from workshop.core.errors import DomainError
from workshop.extensions import db
from workshop.live.models import ITEM_KINDS, PLAN_LEVEL_KINDS, VOTE_METHODS, Step
from workshop.plans.models import Domain

EDITABLE_KINDS = ("info", "collect", "vote")
TIME_LIMIT_RANGE = (10, 4 * 3600)
# Vote settings a facilitator may choose (export/checks.py holds an imported plan to them).
PRESENTER_TOP_RANGE = (1, 50)
DOT_BUDGET_RANGE = (1, 100)
RANK_TOP_RANGE = (1, 20)
SCORE_MAXIMA = (5, 10)


def clean_step(workshop, data):
    """The settings of a new or edited step, checked; DomainError names the wrong field."""
    kind = data.get("kind")
    if kind not in EDITABLE_KINDS:
        raise DomainError(_l("Choose what kind of step this is."), field="kind")
    title = " ".join((data.get("title") or "").split())
    if not title:
        raise DomainError(_l("Give the step a title."), field="title")
    body = (data.get("body") or "").strip()
    if len(body) > 2000:
        raise DomainError(_l("Keep the text under 2,000 characters."), field="body")
    limit = data.get("time_limit_seconds")
    if limit is not None and not (
        isinstance(limit, int) and TIME_LIMIT_RANGE[0] <= limit <= TIME_LIMIT_RANGE[1]
    ):
        raise DomainError(_l("A time box lasts from 10 seconds to 4 hours."),
                          field="time_limit_seconds")
    fields = {"kind": kind, "title": title[:200], "body": body, "time_limit_seconds": limit,
              "item_kind": None, "domains": [], "parent_items": []}
    if kind == "collect":
        fields.update(_clean_collect(workshop, data))
    if kind == "vote":
        fields.update(_clean_vote(workshop, data))
    return fields


def _int_in(data, name, low, high, message):
    value = data.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise DomainError(message, field=name)
    return value


def _clean_vote(workshop, data):
    source = db.session.get(Step, data.get("source_step_id")) if isinstance(
        data.get("source_step_id"), int) else None
    if source is None or source.workshop_id != workshop.id or source.kind != "collect":
        raise DomainError(_l("Choose the collect step whose proposals are voted on."),
                          field="source_step_id")
    method = data.get("vote_method")
    if method not in VOTE_METHODS:
        raise DomainError(_l("Choose how people vote."), field="vote_method")
    fields = {"source_step_id": source.id, "item_kind": source.item_kind, "vote_method": method,
              "shuffle": bool(data.get("shuffle", True)),
              "budget_per_domain": bool(data.get("budget_per_domain", True))}
    fields["presenter_top"] = None if data.get("presenter_top") is None else _int_in(
        data, "presenter_top", *PRESENTER_TOP_RANGE,
        _l("Show a top of 1 to 50 items, or leave the field empty to show them all."))
    if method == "dots":
        fields["dot_budget"] = _int_in(data, "dot_budget", *DOT_BUDGET_RANGE,
                                       _l("Give between 1 and 100 dots."))
        fields["max_per_item"] = _int_in(data, "max_per_item", 1, fields["dot_budget"],
                                         _l("Allow 1 dot per item, up to the whole budget."))
    elif method == "score":
        fields["score_max"] = 10 if data.get("score_max") == 10 else 5
        for end in ("score_low_label", "score_high_label"):
            fields[end] = " ".join((data.get(end) or "").split())[:40]
    else:
        fields["rank_top"] = _int_in(data, "rank_top", *RANK_TOP_RANGE,
                                     _l("Rank a top 1 to 20."))
    if source.item_kind in PLAN_LEVEL_KINDS:
        fields["domains"] = []
    else:
        wanted = set(data.get("domain_ids") or [])
        fields["domains"] = [d for d in source.domains if d.id in wanted]
        if not fields["domains"] or len(fields["domains"]) != len(wanted):
            raise DomainError(_l("Choose one or more work domains of the collect step."),
                              field="domain_ids")
    return fields


def _clean_collect(workshop, data):
    item_kind = data.get("item_kind")
    if item_kind not in ITEM_KINDS:
        raise DomainError(_l("Choose what participants propose."), field="item_kind")
    max_length = data.get("max_length")
    if not isinstance(max_length, int) or not 10 <= max_length <= 2000:
        raise DomainError(_l("Allow between 10 and 2,000 characters."), field="max_length")
    max_per = data.get("max_per_participant")
    if not isinstance(max_per, int) or not 1 <= max_per <= 100:
        raise DomainError(_l("Allow between 1 and 100 proposals per person."),
                          field="max_per_participant")
    per_domain = data.get("limit_per_domain", False)
    if not isinstance(per_domain, bool):
        raise DomainError(_l("Choose whether the limit counts in each work domain."),
                          field="limit_per_domain")
    # Mission statements and taglines are for the whole plan: one count, in the step.
    per_domain = per_domain and item_kind not in PLAN_LEVEL_KINDS
    parents = _clean_parents(workshop, item_kind, data.get("parent_item_ids") or [])
    if parents:  # the domains follow from the items proposals are made for
        domain_ids = {p.domain_id for p in parents}
        domains = db.session.scalars(select(Domain).where(Domain.id.in_(domain_ids))
                                     .order_by(Domain.position)).all()
        return {"item_kind": item_kind, "max_length": max_length,
                "max_per_participant": max_per, "limit_per_domain": per_domain,
                "domains": domains, "parent_items": parents}
    domains = []
    if item_kind not in PLAN_LEVEL_KINDS:
        wanted = set(data.get("domain_ids") or [])
        domains = db.session.scalars(
            select(Domain).where(Domain.plan_id == workshop.plan_id, Domain.id.in_(wanted))
            .order_by(Domain.position)
        ).all()
        if not domains or len(domains) != len(wanted):
            raise DomainError(_l("Choose one or more work domains of this plan."),
                              field="domain_ids")
    return {"item_kind": item_kind, "max_length": max_length,
            "max_per_participant": max_per, "limit_per_domain": per_domain,
            "domains": domains, "parent_items": []}


# Proposing children: strategic goals under ambitions, operational goals under strategic
# goals, indicators for either kind of goal.
CHILD_OF = {"strategic_goal": ("ambition",), "operational_goal": ("strategic_goal",),
            "indicator": ("strategic_goal", "operational_goal")}


def _clean_parents(workshop, item_kind, parent_ids):
    if not parent_ids:
        return []
    from workshop.tree.models import PlanItem

    wanted = CHILD_OF.get(item_kind, ())
    items = db.session.scalars(select(PlanItem).where(
        PlanItem.plan_id == workshop.plan_id, PlanItem.id.in_(set(parent_ids)))
        .order_by(PlanItem.domain_id, PlanItem.position)).all()
    if not wanted or len(items) != len(set(parent_ids)) or any(
            i.level not in wanted for i in items):
        raise DomainError(_l("Choose plan items one level above what participants propose."),
                          field="parent_item_ids")
    return items
