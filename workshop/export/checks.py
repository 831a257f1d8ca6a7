"""Checks a plan archive (export/archive.py) against the app's own rules before a row is
stored: `check(data)` raises ImportRefused naming the first problem — which table, which
record (counted from 1, as in the file), which field and which rule.

The rules are the app's, read from where the app keeps them rather than restated:
  - every column: its type (a whole number, yes/no, a date, text) and whether it may be
    empty, and the length of a String(n) column (SQLite does not enforce lengths);
  - the simple CHECK constraints of the models (`kind IN (…)`, `max_length BETWEEN 10
    AND 2000`, `value >= 0`): the database enforces them too, but cannot say where;
  - the forms' and services' maxima for text without a column length (a plan's mission,
    an item's text, a comment, a measurement's note, an indicator's definition) and a
    plan's horizon years;
  - a step's vote settings as step_settings.py allows them; every vote against its step:
    its method, dots per item and per participant within the budget (per domain or per
    step), a score on the step's scale, a rank position within the step's top;
  - a proposal's text within its collect step's maximum length.
  - every reference names a record of the file (a deleted item, domain or measurement
    only where the history may keep one).
"""

import datetime as dt
import math
import re
from collections import defaultdict

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, Date, DateTime, Float, Integer, String
from wtforms.validators import Length

from workshop.core.errors import DomainError
from workshop.core.values import MAX_ABS
from workshop.live import step_settings
from workshop.live.models import Step
from workshop.monitor.imports import MAX_NOTE
from workshop.monitor.services import TEXT_LIMITS as INDICATOR_LIMITS
from workshop.plans.forms import DomainForm, PlanForm
from workshop.plans.models import Plan
from workshop.plans.services import MAX_YEAR, MIN_YEAR
from workshop.review.forms import AnswerForm, ReactionForm, RoundForm
from workshop.tree.forms import ItemForm


class ImportRefused(DomainError):
    """The file is not a Koers plan this version can restore; nothing was stored."""


# (table, column) → the form field whose Length validator is the app's maximum.
FORM_LIMITS = {
    ("plan", "mission"): (PlanForm, "mission"),
    ("plan", "tagline"): (PlanForm, "tagline"),
    ("domains", "description"): (DomainForm, "description"),
    ("items", "text"): (ItemForm, "text"),
    ("items", "note"): (ItemForm, "note"),
    ("review_rounds", "invitation"): (RoundForm, "invitation"),
    ("comments", "text"): (ReactionForm, "text"),
    ("comments", "rewording"): (ReactionForm, "rewording"),
    ("comments", "reply"): (AnswerForm, "reply"),
}


def form_max(form, name):
    """The `max` of the Length validator on a form's field (an unbound WTForms field)."""
    for validator in getattr(form, name).kwargs.get("validators", ()):
        if isinstance(validator, Length) and validator.max >= 0:
            return validator.max
    raise LookupError(f"{form.__name__}.{name} has no maximum length")


def _text_limits():
    limits = {key: form_max(*field) for key, field in FORM_LIMITS.items()}
    limits.update({("indicators", name): n for name, n in INDICATOR_LIMITS.items()})
    limits[("measurements", "note")] = MAX_NOTE
    return limits


class _Refuse:
    def __init__(self, table, number, field):
        self.table, self.number, self.field = table, number, field

    def __call__(self, problem):
        where = (_l("the plan, field “%(field)s”", field=self.field) if self.number is None
                 else _l("“%(table)s” record %(n)s, field “%(field)s”", table=self.table,
                         n=self.number, field=self.field))
        raise ImportRefused(_l("The file was not restored: %(where)s: %(problem)s; nothing "
                               "was stored.", where=where, problem=problem))


_IN = re.compile(r"^(?:(\w+) IS NULL OR )?(\w+) IN \((.*)\)$", re.S)
_BETWEEN = re.compile(r"^(\w+) BETWEEN (-?\d+) AND (-?\d+)$")
_AT_LEAST = re.compile(r"^(\w+) >= (-?\d+)$")


def _constraint_rules(table):
    """{column: [(kind, argument)]} from the table's simple CHECK constraints."""
    rules = defaultdict(list)
    for constraint in table.constraints:
        if not isinstance(constraint, CheckConstraint):
            continue
        text = " ".join(str(constraint.sqltext).split())
        if match := _IN.match(text):
            rules[match.group(2)].append(("in", re.findall(r"'([^']*)'", match.group(3))))
        elif match := _BETWEEN.match(text):
            rules[match.group(1)].append(("between", (int(match.group(2)),
                                                      int(match.group(3)))))
        elif match := _AT_LEAST.match(text):
            rules[match.group(1)].append(("between", (int(match.group(2)), None)))
    return rules


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _check_value(refuse, column, value, rules, limit):
    kind = column.type
    if value is None:
        if not column.nullable:
            refuse(_l("it may not be empty"))
        return
    if isinstance(kind, Boolean):
        if not isinstance(value, bool):
            refuse(_l("not yes or no (true/false)"))
    elif isinstance(kind, Integer):
        if not _is_int(value):
            refuse(_l("not a whole number"))
    elif isinstance(kind, Float):
        if not (_is_int(value) or isinstance(value, float)) or not math.isfinite(value) \
                or abs(value) > MAX_ABS:
            refuse(_l("not a number (or beyond ±10^15)"))
    elif isinstance(kind, DateTime | Date):
        parse = dt.datetime.fromisoformat if isinstance(kind, DateTime) else \
            dt.date.fromisoformat
        try:
            parse(value)
        except (TypeError, ValueError):
            refuse(_l("not a date in the form 2026-03-31"))
    elif isinstance(kind, String) and kind.length:  # Text (no length) may hold JSON
        if not isinstance(value, str):
            refuse(_l("not text"))
        limit = min(filter(None, (limit, kind.length)))
    if limit is not None:
        if not isinstance(value, str):
            refuse(_l("not text"))
        if len(value) > limit:
            refuse(_l("%(length)s characters, more than the %(max)s allowed",
                      length=format_decimal(len(value)), max=format_decimal(limit)))
    for rule, argument in rules:
        if rule == "in" and value not in argument:
            refuse(_l("“%(value)s” is not one of: %(values)s", value=str(value)[:40],
                      values=", ".join(argument)))
        if rule == "between" and _is_int(value):
            low, high = argument
            if value < low or (high is not None and value > high):
                refuse(_between(value, low, high))


def _between(value, low, high):
    if high is None:
        return _l("%(value)s is less than %(low)s", value=value, low=low)
    return _l("%(value)s is not between %(low)s and %(high)s", value=value, low=low, high=high)


def check(data, tables, plan_fields, loose=(), gone_kinds=()):
    """Refuse `data` (a dumped plan) at its first problem; see the module docstring.
    `loose` columns may name a row of a `gone_kinds` table the plan no longer has."""
    limits = _text_limits()
    plan = data.get("plan")
    if not isinstance(plan, dict):
        _Refuse("plan", None, "plan")(_l("the file has no plan"))
    plan_rules = _constraint_rules(Plan.__table__)
    for name in plan_fields:
        column = Plan.__table__.c[name]
        refuse = _Refuse("plan", None, name)
        if name not in plan:
            refuse(_l("it is missing"))
        _check_value(refuse, column, plan[name], plan_rules[name], limits.get(("plan", name)))
        if name.startswith("horizon_") and _is_int(plan[name]) \
                and not MIN_YEAR <= plan[name] <= MAX_YEAR:
            refuse(_between(plan[name], MIN_YEAR, MAX_YEAR))
    for key, model, ref_columns, skip in tables:
        records = data.get(key) or []
        if not isinstance(records, list):
            _Refuse(key, 1, key)(_l("not a list of records"))
        rules = _constraint_rules(model.__table__)
        for number, record in enumerate(records, 1):
            if not isinstance(record, dict):
                _Refuse(key, number, "ref")(_l("not a record"))
            for column in model.__table__.columns:
                name = column.name
                if name in skip or name in ("id", "plan_id") or name in ref_columns \
                        or name not in record:
                    continue
                _check_value(_Refuse(key, number, name), column, record[name], rules[name],
                             limits.get((key, name)))
    _check_refs(data, tables, loose, gone_kinds)
    _check_steps(data)
    _check_votes(data)
    _check_proposals(data)


SPECIAL_KINDS = ("facilitator", "scope", "slot")  # e-mail addresses and coded numbers


def _check_refs(data, tables, loose, gone_kinds):
    """Every reference names a record of the file (or, where allowed, a gone one)."""
    known = {key: {r.get("ref") for r in data.get(key) or []} for key, *_ in tables}
    for key, _model, ref_columns, _skip in tables:
        for number, record in enumerate(data.get(key) or [], 1):
            for column, kind in ref_columns.items():
                field = column.removesuffix("_id")
                ref = record.get(field)
                if ref is None or kind in SPECIAL_KINDS:
                    continue
                refuse = _Refuse(key, number, field)
                if not _is_int(ref):
                    refuse(_l("not a number (a reference to a record)"))
                if ref in known[kind]:
                    continue
                if (key, column) in loose and kind in gone_kinds \
                        and ref > len(known[kind]):
                    continue
                refuse(_l("it refers to %(kind)s %(ref)s, which the file does not contain",
                          kind=kind, ref=ref))


def _by_ref(records):
    return {r.get("ref"): r for r in records or [] if isinstance(r, dict)}


def _setting(step, name):
    """A step's setting, or the model's default when the file leaves it out."""
    if name in step:
        return step[name]
    default = Step.__table__.c[name].default
    return None if default is None else default.arg


def _check_steps(data):
    for number, step in enumerate(data.get("steps") or [], 1):
        if step.get("kind") != "vote":
            continue
        ranges = {"dot_budget": step_settings.DOT_BUDGET_RANGE,
                  "rank_top": step_settings.RANK_TOP_RANGE}
        if step.get("presenter_top") is not None:
            ranges["presenter_top"] = step_settings.PRESENTER_TOP_RANGE
        for name, (low, high) in ranges.items():
            value = _setting(step, name)
            if not low <= value <= high:
                _Refuse("steps", number, name)(_between(value, low, high))
        budget = _setting(step, "dot_budget")
        if not 1 <= _setting(step, "max_per_item") <= budget:
            _Refuse("steps", number, "max_per_item")(
                _between(_setting(step, "max_per_item"), 1, budget))
        if _setting(step, "score_max") not in step_settings.SCORE_MAXIMA:
            _Refuse("steps", number, "score_max")(_l("a scale must end at 5 or 10"))


def _check_votes(data):
    steps = _by_ref(data.get("steps"))
    budgets = {(b.get("step"), b.get("participant"), b.get("scope")): b.get("budget")
               for b in data.get("dot_budgets") or []}
    spent = defaultdict(int)
    for number, vote in enumerate(data.get("votes") or [], 1):
        step = steps.get(vote.get("step"))
        if step is None:
            continue  # an unknown reference: refused while restoring, with its name
        refuse = _Refuse("votes", number, "value")
        method, value = _setting(step, "vote_method"), vote.get("value", 0)
        if step.get("kind") != "vote" or vote.get("method") != method:
            _Refuse("votes", number, "method")(
                _l("a “%(vote)s” vote in a step that votes by “%(step)s”",
                   vote=vote.get("method"), step=method or step.get("kind")))
        if method == "dots":
            most = _setting(step, "max_per_item")
            if value > most:
                refuse(_l("%(value)s dots on one item, more than the step's %(max)s",
                          value=value, max=most))
            key = (vote.get("step"), vote.get("participant"), vote.get("scope"))
            spent[key] += value
            budget = budgets.get(key, _setting(step, "dot_budget"))
            if spent[key] > budget:
                refuse(_l("the participant's dots add up to %(spent)s, more than the "
                          "budget of %(budget)s", spent=spent[key], budget=budget))
        elif method == "score":
            high = _setting(step, "score_max")
            low = 0 if high == 10 else 1
            if not low <= value <= high:
                refuse(_between(value, low, high))
        elif method == "rank":
            top = _setting(step, "rank_top")
            if not 1 <= value <= top:
                refuse(_l("rank position %(value)s, outside the step's top %(top)s",
                          value=value, top=top))


def _check_proposals(data):
    steps = _by_ref(data.get("steps"))
    for number, proposal in enumerate(data.get("proposals") or [], 1):
        step = steps.get(proposal.get("step"))
        if step is None or step.get("kind") != "collect":
            continue
        most = _setting(step, "max_length")
        text = proposal.get("text")
        if isinstance(text, str) and len(text) > most:
            _Refuse("proposals", number, "text")(
                _l("%(length)s characters, more than the step's %(max)s",
                   length=format_decimal(len(text)), max=format_decimal(most)))
