"""The plan's progress at a glance: every indicator's status, rolled up per goal,
ambition and work domain (the worst status below wins, counts alongside), and the
measurements that are overdue."""

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select

from workshop.extensions import db
from workshop.monitor import chart, services
from workshop.monitor import status as rules
from workshop.monitor.models import Indicator, Measurement
from workshop.tree.services import tree


@dataclass
class Node:
    item: object
    indicators: list = field(default_factory=list)  # [(indicator, result)]
    children: list = field(default_factory=list)
    rollup: dict = field(default_factory=dict)


def _points(plan):
    rows = db.session.execute(
        select(Measurement.indicator_id, Measurement.date, Measurement.value)
        .join(Indicator).where(Indicator.plan_id == plan.id)
        .order_by(Measurement.date, Measurement.id)).all()
    out = {}
    for indicator_id, day, value in rows:
        out.setdefault(indicator_id, []).append((day, value))
    return out


def results(plan, today=None, points=None):
    """{indicator id: (indicator, result)} for every indicator of the plan."""
    today = today or dt.date.today()
    limits = services.thresholds(plan)
    points = _points(plan) if points is None else points
    return {i.id: (i, services.evaluate(i, today, limits, points.get(i.id, [])))
            for i in services.indicators(plan)}


def charts(view, today=None, width=520, height=200):
    """{indicator id: line-chart geometry} for every indicator in an overview (from the
    measurements the overview already read)."""
    today = today or dt.date.today()
    return {indicator_id: chart.line_chart(services.spec(indicator),
                                           view["points"].get(indicator_id, []), today,
                                           width=width, height=height)
            for indicator_id, (indicator, _result) in view["evaluated"].items()}


def overview(plan, today=None):
    """[(domain, rollup, [Node of each ambition])], and the overdue list."""
    points = _points(plan)
    evaluated = results(plan, today, points)
    by_item = {}
    for indicator, result in evaluated.values():
        by_item.setdefault(indicator.item_id, []).append((indicator, result))

    def build(item):
        node = Node(item=item, indicators=by_item.get(item.id, []),
                    children=[build(child) for child in item.children])
        statuses = [r.status for _i, r in node.indicators]
        statuses += [s for child in node.children for s, n in child.rollup["counts"].items()
                     for _ in range(n)]
        node.rollup = rules.rollup(statuses)
        return node

    domains = []
    for domain, ambitions in tree(plan):
        nodes = [build(a) for a in ambitions]
        statuses = [s for n in nodes for s, k in n.rollup["counts"].items() for _ in range(k)]
        domains.append((domain, rules.rollup(statuses), nodes))
    overdue = sorted(((i, r) for i, r in evaluated.values() if r.overdue),
                     key=lambda pair: (pair[1].next_due, pair[0].name))
    return {"domains": domains, "overdue": overdue, "evaluated": evaluated, "points": points,
            "total": rules.rollup(r.status for _i, r in evaluated.values()),
            "count": len(evaluated)}


def reporting(view):
    """[(reporter's name or None, indicators, overdue)] for the dashboard, the late first."""
    rows = {}
    for indicator, result in view["evaluated"].values():
        name = indicator.reporter.name if indicator.reporter else None
        count, late = rows.get(name, (0, 0))
        rows[name] = (count + 1, late + (1 if result.overdue else 0))
    return sorted(((name, count, late) for name, (count, late) in rows.items()),
                  key=lambda row: (-row[2], row[0] is None, row[0] or ""))
