"""The whole plan as JSON (schema "koers-plan", version 1) and back.

`dump(plan)` writes every table that belongs to the plan with local reference numbers
("ref") instead of database ids, so the file means the same in any database. `load(data)`
restores it in one transaction: on any problem nothing is stored; export/checks.py
first holds the file to the app's own rules and names the first problem. Exporting what was
imported gives the same file again (the round trip), byte for byte.

Never exported: secrets (participants' and links' tokens, link nonces, join codes — a
restored plan gets fresh ones), participants' names in anonymous workshops and
stakeholders' names in anonymous review rounds. Indicators, their measurements and
the measurement history come along, with the plan's status thresholds.
People on the facilitator side (who changed, who answered) are written as e-mail
addresses and linked again to accounts with that address on import.
docs/export-format.md describes every field.
"""

import datetime as dt
import json
import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, DateTime, select, update

from workshop.accounts.models import Facilitator
from workshop.core import links
from workshop.export.checks import ImportRefused, check
from workshop.extensions import db
from workshop.live.models import (
    Participant,
    Proposal,
    Step,
    Workshop,
    WorkshopGroup,
    step_domains,
    step_parent_items,
)
from workshop.live.participation import SLOT_SPAN
from workshop.live.workshops import new_code
from workshop.monitor.models import Indicator, Measurement, MeasurementChange, MonitorSettings
from workshop.monitor.services import LINK_PURPOSE as PROGRESS_LINK
from workshop.orgs import audit
from workshop.orgs import services as orgs
from workshop.plans.models import Domain, Plan
from workshop.review.models import Comment, Reviewer, ReviewLink, ReviewRound
from workshop.review.services import new_link_secret
from workshop.tree.models import ItemChange, ItemSource, PlanItem, PlanVersion
from workshop.voting.models import DotBudget, Vote

SCHEMA = "koers-plan"
SCHEMA_VERSION = 1

# (key in the file, model, {column: kind of thing it refers to}, columns left out).
# Kinds: a table key below, "facilitator" (an e-mail address), "scope" (a domain or 0) or
# "slot" (a proposal's slot, which holds its domain when the limit counts per domain).
TABLES = [
    ("domains", Domain, {}, ()),
    ("items", PlanItem, {"domain_id": "domains", "parent_id": "items"}, ()),
    ("versions", PlanVersion, {"created_by_id": "facilitator"}, ()),
    ("workshops", Workshop, {"live_step_id": "steps"}, ("code", "version", "stage_version")),
    ("groups", WorkshopGroup, {"workshop_id": "workshops"}, ()),
    ("steps", Step, {"workshop_id": "workshops", "source_step_id": "steps"}, ()),
    ("participants", Participant, {"workshop_id": "workshops", "group_id": "groups"},
     ("token_hash",)),
    ("proposals", Proposal, {"workshop_id": "workshops", "step_id": "steps",
                             "domain_id": "domains", "participant_id": "participants",
                             "merged_into_id": "proposals", "parent_item_id": "items",
                             "plan_item_id": "items", "slot": "slot"}, ()),
    ("votes", Vote, {"step_id": "steps", "participant_id": "participants",
                     "proposal_id": "proposals", "scope": "scope"}, ()),
    ("dot_budgets", DotBudget, {"step_id": "steps", "participant_id": "participants",
                                "scope": "scope"}, ()),
    ("item_sources", ItemSource, {"item_id": "items", "proposal_id": "proposals",
                                  "vote_step_id": "steps"}, ()),
    ("item_changes", ItemChange, {"item_id": "items", "actor_id": "facilitator"}, ()),
    ("indicators", Indicator, {"item_id": "items", "source_id": "item_sources",
                               "reporter_id": "facilitator"}, ()),
    ("measurements", Measurement, {"indicator_id": "indicators",
                                   "entered_by_id": "facilitator"}, ()),
    ("measurement_changes", MeasurementChange, {"indicator_id": "indicators",
                                                "measurement_id": "measurements",
                                                "actor_id": "facilitator"}, ()),
    ("review_rounds", ReviewRound, {"version_id": "versions"},
     ("shared_nonce", "shared_token_hash")),
    ("review_links", ReviewLink, {"round_id": "review_rounds"}, ("nonce", "token_hash")),
    ("reviewers", Reviewer, {"round_id": "review_rounds", "link_id": "review_links"},
     ("browser_token_hash",)),
    ("comments", Comment, {"round_id": "review_rounds", "reviewer_id": "reviewers",
                           "item_id": "items", "answered_by_id": "facilitator"}, ()),
]
# Self-references and references forward in the list: set once every row exists.
LATE = {("items", "parent_id"), ("steps", "source_step_id"),
        ("proposals", "merged_into_id"), ("workshops", "live_step_id")}
# Columns without a foreign key that may name an item no longer in the plan.
LOOSE = {("item_changes", "item_id"), ("comments", "item_id"),
         ("measurement_changes", "measurement_id")}
GONE_KINDS = ("items", "domains", "measurements")
PLAN_FIELDS = ("title", "organisation", "mission", "tagline", "horizon_start", "horizon_end",
               "status", "created_at", "updated_at")


# ---------------------------------------------------------------- export


def _rows(plan):
    """Every row of the plan per table, in id order (the order refs are given in)."""
    workshop_ids = select(Workshop.id).where(Workshop.plan_id == plan.id)
    step_ids = select(Step.id).where(Step.workshop_id.in_(workshop_ids))
    round_ids = select(ReviewRound.id).where(ReviewRound.plan_id == plan.id)
    indicator_ids = select(Indicator.id).where(Indicator.plan_id == plan.id)
    where = {
        "domains": Domain.plan_id == plan.id, "items": PlanItem.plan_id == plan.id,
        "versions": PlanVersion.plan_id == plan.id, "workshops": Workshop.plan_id == plan.id,
        "groups": WorkshopGroup.workshop_id.in_(workshop_ids),
        "steps": Step.workshop_id.in_(workshop_ids),
        "participants": Participant.workshop_id.in_(workshop_ids),
        "proposals": Proposal.workshop_id.in_(workshop_ids),
        "votes": Vote.step_id.in_(step_ids), "dot_budgets": DotBudget.step_id.in_(step_ids),
        "item_sources": ItemSource.plan_id == plan.id,
        "item_changes": ItemChange.plan_id == plan.id,
        "review_rounds": ReviewRound.plan_id == plan.id,
        "review_links": ReviewLink.round_id.in_(round_ids),
        "reviewers": Reviewer.round_id.in_(round_ids),
        "comments": Comment.round_id.in_(round_ids),
        "indicators": Indicator.plan_id == plan.id,
        "measurements": Measurement.indicator_id.in_(indicator_ids),
        "measurement_changes": MeasurementChange.indicator_id.in_(indicator_ids),
    }
    out = {}
    for key, model, _refs, _skip in TABLES:
        order = [model.__table__.c[c.name] for c in model.__table__.primary_key.columns]
        out[key] = db.session.scalars(select(model).where(where[key]).order_by(*order)).all()
    return out


class _Refs:
    """Database id → ref per table; ids no longer in the plan (a deleted item that a
    version or the history still names) get refs after the live ones, in the order met."""

    def __init__(self, rows):
        self.maps = {key: {row.id: n for n, row in enumerate(items, 1)}
                     for key, items in rows.items() if key not in ("dot_budgets",)}
        self.emails = dict(db.session.execute(select(Facilitator.id, Facilitator.email)).all())

    def __call__(self, kind, value):
        if value is None:
            return None
        if kind == "facilitator":
            return self.emails.get(value)
        if kind == "scope":
            return 0 if value == 0 else self("domains", value)
        if kind == "slot":  # a limit per domain numbers slots after the domain's id
            domain, n = divmod(value, SLOT_SPAN)
            return n if domain == 0 else self("domains", domain) * SLOT_SPAN + n
        known = self.maps[kind]
        if value not in known:
            if kind not in GONE_KINDS:
                return None
            known[value] = len(known) + 1
        return known[value]


def _plain(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _document(doc, mapping):
    """A copy of a version's content with its item and domain ids passed through
    `mapping(kind, id)`: database ids → refs on export, refs → new ids on import."""
    doc = json.loads(json.dumps(doc))

    def walk(nodes):
        for node in nodes:
            node["id"] = mapping("items", node["id"])
            walk(node["children"])

    for domain in doc["domains"]:
        domain["id"] = mapping("domains", domain["id"])
        walk(domain["items"])
    return doc


def dump(plan):
    """The plan and everything made for it, as one JSON-ready dict."""
    rows = _rows(plan)
    refs = _Refs(rows)
    emails = refs.emails
    out = {"schema": SCHEMA, "version": SCHEMA_VERSION,
           "plan": {name: _plain(getattr(plan, name)) for name in PLAN_FIELDS}}
    out["plan"]["created_by"] = emails.get(plan.created_by_id)
    settings = db.session.get(MonitorSettings, plan.id)
    out["plan"]["monitoring"] = {
        "on_track_tolerance": settings.on_track_tolerance if settings else 10.0,
        "off_track_tolerance": settings.off_track_tolerance if settings else 25.0,
        "public_link": bool(settings and settings.public_token_hash)}
    anonymous = {("workshop", w.id) for w in rows["workshops"] if w.anonymous}
    anonymous |= {("round", r.id) for r in rows["review_rounds"] if not r.named}
    for key, model, ref_columns, skip in TABLES:
        table = []
        for row in rows[key]:
            record = {} if key in ("votes", "dot_budgets") else {"ref": refs(key, row.id)}
            for column in model.__table__.columns:
                name = column.name
                if name in skip or name in ("id", "plan_id"):
                    continue
                value = getattr(row, name)
                if name in ref_columns:
                    record[name.removesuffix("_id")] = refs(ref_columns[name], value)
                else:
                    record[name] = _plain(value)
            table.append(record)
            _extra(key, row, record, refs, anonymous)
        out[key] = table
    return out


def _extra(key, row, record, refs, anonymous):
    """Fields that are more than a column: JSON held in text, link tables, privacy."""
    if key == "versions":
        record["content"] = _document(json.loads(row.content), refs)
    elif key == "steps":
        record["domains"] = [refs("domains", d.id) for d in row.domains]
        record["parent_items"] = [refs("items", i.id) for i in row.parent_items]
    elif key == "participants" and ("workshop", row.workshop_id) in anonymous:
        record["display_name"] = None
    elif key in ("reviewers", "review_links") and ("round", row.round_id) in anonymous:
        record["name"] = record["organisation"] = record["group_name"] = ""
    elif key == "item_sources":
        summary = json.loads(row.summary)
        summary["workshop_id"] = refs("workshops", summary.get("workshop_id"))
        record["summary"] = summary
    elif key == "review_rounds":
        record["domain_ids"] = [refs("domains", i) for i in json.loads(row.domain_ids)]
        record["levels"] = json.loads(row.levels)
        record["shared_link"] = row.shared_token_hash is not None


def dumps(plan):
    return json.dumps(dump(plan), ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------- import


def load(data, organisation=None):
    """Restore a plan from `dump`'s output as a new plan of `organisation` (by default the
    installation's first); returns it. All or nothing."""
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise ImportRefused(_l("This is not a Koers plan export."))
    if data.get("version") != SCHEMA_VERSION:
        raise ImportRefused(_l("This export has schema version %(v)s; this Koers reads "
                               "version %(n)s.", v=data.get("version"), n=SCHEMA_VERSION))
    try:
        check(data, TABLES, PLAN_FIELDS, LOOSE, GONE_KINDS)  # before a row is written
        # A savepoint: a refusal halfway leaves none of the file's rows (the caller's
        # executor commits the whole plan once it is restored).
        with db.session.begin_nested():
            plan = _restore(data, organisation or orgs.home_organisation())
            audit.record(plan.organisation_id, "imported", plan.title)
    except ImportRefused:
        raise
    except Exception as error:  # any malformed field: refuse the whole file
        detail = str(getattr(error, "orig", None) or error).splitlines()[0][:200]
        raise ImportRefused(_l("The file could not be restored (%(error)s); nothing was "
                               "stored.", error=detail)) from error
    return plan


class _Ids:
    """Ref → new database id per table; refs past the table's rows (gone items and
    domains) become negative ids, which no real row ever has."""

    def __init__(self, data):
        self.maps = {key: {} for key, *_ in TABLES}
        self.sizes = {key: len(data.get(key) or []) for key, *_ in TABLES}
        self.emails = {email: fid for fid, email in db.session.execute(
            select(Facilitator.id, Facilitator.email)).all()}

    def __call__(self, kind, ref, loose=False):
        """The new id for `ref`; `loose` accepts an item or domain the plan no longer has
        (where the file keeps a name without a foreign key: versions, history)."""
        if ref is None:
            return None
        if kind == "facilitator":
            return self.emails.get(ref)
        if kind == "scope":
            return 0 if ref == 0 else self("domains", ref, loose=True)
        if kind == "slot":
            if not isinstance(ref, int) or isinstance(ref, bool) or ref < 1:
                raise ImportRefused(_l("A reference in the file is not a number."))
            domain, n = divmod(ref, SLOT_SPAN)
            return n if domain == 0 else self("domains", domain) * SLOT_SPAN + n
        if not isinstance(ref, int) or isinstance(ref, bool):
            raise ImportRefused(_l("A reference in the file is not a number."))
        if ref in self.maps[kind]:
            return self.maps[kind][ref]
        if loose and kind in GONE_KINDS and ref > self.sizes[kind]:
            return -ref
        raise ImportRefused(_l("The file refers to something it does not contain "
                               "(%(kind)s %(ref)s).", kind=kind, ref=ref))


def _value(column, value):
    if value is None:
        return None
    if isinstance(column.type, DateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(column.type, Date):
        return dt.date.fromisoformat(value)
    return value


def _restore(data, organisation):
    ids = _Ids(data)
    source = data["plan"]
    plan = Plan(**{name: _value(Plan.__table__.c[name], source[name]) for name in PLAN_FIELDS},
                organisation_id=organisation.id)
    plan.created_by_id = ids("facilitator", source.get("created_by"))
    db.session.add(plan)
    db.session.flush()
    monitoring = source.get("monitoring") or {}
    settings = MonitorSettings(plan_id=plan.id,
                               on_track_tolerance=monitoring.get("on_track_tolerance", 10.0),
                               off_track_tolerance=monitoring.get("off_track_tolerance", 25.0))
    if monitoring.get("public_link"):
        settings.public_nonce, _token, settings.public_token_hash = \
            links.new_link_secret(PROGRESS_LINK)
    db.session.add(settings)
    late = []
    for key, model, ref_columns, skip in TABLES:
        created = []
        for record in data.get(key) or []:
            row = model()
            for column in model.__table__.columns:
                name = column.name
                if name in skip or name == "id":
                    continue
                if name == "plan_id":
                    row.plan_id = plan.id
                elif name in ref_columns:
                    ref = record.get(name.removesuffix("_id"))
                    if (key, name) in LATE:
                        late.append((model, row, name, ref_columns[name], ref, record))
                    else:
                        setattr(row, name, ids(ref_columns[name], ref,
                                               loose=(key, name) in LOOSE))
                elif name in record:
                    setattr(row, name, _value(column, record[name]))
            _restore_extra(key, row, record, ids)
            db.session.add(row)
            created.append((record, row))
        db.session.flush()
        for record, row in created:
            if "ref" in record:
                ids.maps[key][record["ref"]] = row.id
        if key == "steps":
            _link_steps(created, ids)
    for model, row, name, kind, ref, record in late:
        if ref is None:
            continue
        table = model.__table__
        values = {name: ids(kind, ref)}
        if "updated_at" in table.c:  # keep the file's time, not the time of this fix-up
            values["updated_at"] = _value(table.c.updated_at, record.get("updated_at"))
        db.session.execute(update(table).where(table.c.id == row.id).values(**values))
    return plan


def _restore_extra(key, row, record, ids):
    if key == "versions":
        row.content = json.dumps(_document(
            record["content"], lambda kind, ref: ids(kind, ref, loose=True)))
    elif key == "workshops":
        row.code = new_code()
    elif key == "participants":
        row.token_hash = secrets.token_hex(32)  # nobody can act as them: a new token
    elif key == "item_sources":
        summary = dict(record["summary"])
        summary["workshop_id"] = ids("workshops", summary.get("workshop_id"))
        row.summary = json.dumps(summary)
    elif key == "review_rounds":
        row.domain_ids = json.dumps([ids("domains", ref, loose=True)
                                     for ref in record["domain_ids"]])
        row.levels = json.dumps(record["levels"])
        if record.get("shared_link"):
            row.shared_nonce, _token, row.shared_token_hash = new_link_secret()
    elif key == "review_links":
        row.nonce, _token, row.token_hash = new_link_secret()


def _link_steps(created, ids):
    for record, row in created:
        for ref in record.get("domains") or []:
            db.session.execute(step_domains.insert().values(
                step_id=row.id, domain_id=ids("domains", ref)))
        for ref in record.get("parent_items") or []:
            db.session.execute(step_parent_items.insert().values(
                step_id=row.id, item_id=ids("items", ref)))
