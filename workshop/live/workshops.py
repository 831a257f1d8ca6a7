"""Rules for workshops: creating, settings, groups, join codes, duplicating."""

import re
import secrets
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from workshop.core.errors import Conflict, DomainError, NotFound
from workshop.core.outcome import Outcome
from workshop.extensions import db
from workshop.live import serialize
from workshop.live.changes import WorkshopChanged
from workshop.live.models import Participant, Step, Workshop, WorkshopGroup
from workshop.orgs import audit
from workshop.plans.access import EDIT, authorise_plan

# No 0/O, 1/I/L: a code read off a projector is typed without doubt.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
MAX_GROUPS = 8


def new_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw):
    """Upper-case, drop spaces and dashes; None when it cannot be a join code."""
    code = re.sub(r"[\s\-]", "", str(raw or "")).upper()
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        return None
    return code


def get_workshop(workshop_id):
    workshop = db.session.get(Workshop, workshop_id)
    if workshop is None:
        raise NotFound(_l("This workshop does not exist."))
    return workshop


def authorise_workshop(account, workshop_id, need=EDIT):
    """The workshop if `account` may `need` its plan (plans.access); NotFound for a
    workshop of a plan that is not theirs, as for one that does not exist."""
    workshop = db.session.get(Workshop, workshop_id) if isinstance(workshop_id, int) else None
    if workshop is None:
        raise NotFound(_l("This workshop does not exist."))
    try:
        authorise_plan(account, workshop.plan_id, need)
    except NotFound:
        raise NotFound(_l("This workshop does not exist.")) from None
    return workshop


def delete_workshop(actor, workshop_id, typed_title):
    """Delete a workshop with everything of it (agenda, participants, proposals, votes);
    its join code stops working. The facilitator confirms by typing its title."""
    workshop = authorise_workshop(actor, workshop_id, EDIT)
    if " ".join((typed_title or "").split()) != " ".join(workshop.title.split()):
        raise DomainError(_l("Type the workshop's title exactly to delete it."),
                          field="confirm")
    plan = workshop.plan
    audit.record(plan.organisation_id, "workshop_deleted", workshop.title, actor,
                 plan=plan.title, code=workshop.code)
    db.session.delete(workshop)
    db.session.flush()
    return plan


def get_by_code(raw_code):
    """The workshop with this join code (any spelling), or NotFound."""
    code = normalise_code(raw_code)
    workshop = code and db.session.scalar(select(Workshop).where(Workshop.code == code))
    if not workshop:
        raise NotFound(_l("There is no workshop with this code. Check the code on the screen."))
    return workshop


def list_for_plan(plan):
    return db.session.scalars(
        select(Workshop).where(Workshop.plan_id == plan.id).order_by(Workshop.created_at.desc())
    ).all()


def bump(workshop_id, stage=False):
    """Increase the workshop's version (and stage version) in the current transaction.

    Returns (version, stage_version). One atomic UPDATE, so two processes never hand
    out the same number.
    """
    values = {"version": Workshop.version + 1}
    if stage:
        values["stage_version"] = Workshop.stage_version + 1
    row = db.session.execute(
        update(Workshop)
        .where(Workshop.id == workshop_id)
        .values(**values)
        .returning(Workshop.version, Workshop.stage_version)
        .execution_options(synchronize_session=False)
    ).one()
    return row.version, row.stage_version


def edited(workshop, value=None, stage=False):
    """The Outcome of a facilitator's edit on a page (settings or agenda): `value` for the
    page, and a WorkshopChanged with the agenda (and the stage, when `stage`: phones see
    the change) serialised in this transaction; `execute` publishes it after the commit.

    Call it after the edit's bump: the versions are read back in the same transaction,
    which holds the workshop row's lock since that UPDATE, so no other change can have
    moved them on.
    """
    db.session.flush()
    db.session.expire(workshop)
    phones = {"stage_version": workshop.stage_version,
              "stage": serialize.stage(workshop)} if stage else {}
    return Outcome(value=value, events=(WorkshopChanged(
        workshop.id, workshop.version, agenda=serialize.agenda(workshop), **phones),))


def _clean_groups(names):
    cleaned, seen = [], set()
    for raw in names:
        name = " ".join(str(raw).split())[:80]
        if name and name.lower() not in seen:
            cleaned.append(name)
            seen.add(name.lower())
    if not cleaned:
        raise DomainError(_l("Give at least one group."), field="groups")
    if len(cleaned) > MAX_GROUPS:
        raise DomainError(lazy_ngettext("Use at most %(num)d group.", "Use at most %(num)d groups.",
                                        MAX_GROUPS), field="groups")
    return cleaned


def _clean(data):
    title = " ".join((data.get("title") or "").split())
    if not title:
        raise DomainError(_l("Give the workshop a title."), field="title")
    when = data.get("date")
    if when is not None and not isinstance(when, date):
        raise DomainError(_l("Enter a valid date."), field="date")
    min_group = data.get("min_group_size", 5)
    if not isinstance(min_group, int) or not 1 <= min_group <= 100:
        raise DomainError(_l("Choose a number from 1 to 100."), field="min_group_size")
    return {
        "title": title[:200],
        "date": when,
        "min_group_size": min_group,
        "anonymous": bool(data.get("anonymous")),
        "joining_open": bool(data.get("joining_open", True)),
        "premoderation": bool(data.get("premoderation")),
    }


def create_workshop(plan, data, actor=None):
    """A facilitator creates a workshop on a plan, with its participant groups."""
    fields = _clean(data)
    groups = _clean_groups(data.get("groups") or [])
    for _attempt in range(5):
        workshop = Workshop(plan_id=plan.id, code=new_code(), **fields)
        workshop.groups = [WorkshopGroup(name=n, position=i) for i, n in enumerate(groups)]
        try:
            with db.session.begin_nested():  # a savepoint per attempt
                db.session.add(workshop)
        except IntegrityError:  # a join-code collision: astronomically rare, try again
            continue
        audit.record(plan.organisation_id, "workshop_created", workshop.title, actor,
                     plan=plan.title)
        return workshop
    raise Conflict(_l("Could not make a unique join code. Try again."))


def update_workshop(workshop, data):
    """A facilitator changes title, date, settings or groups; phones see it at once.
    Returns an Outcome (see `edited`) whose value is the workshop."""
    for key, value in _clean(data).items():
        setattr(workshop, key, value)
    if "groups" in data:
        _apply_groups(workshop, _clean_groups(data["groups"]))
    bump(workshop.id, stage=True)
    return edited(workshop, workshop, stage=True)


def _apply_groups(workshop, names):
    existing = {g.name.lower(): g for g in workshop.groups}
    keep = []
    for position, name in enumerate(names):
        group = existing.pop(name.lower(), None) or WorkshopGroup(name=name)
        group.name, group.position = name, position
        keep.append(group)
    for dropped in existing.values():
        used = db.session.scalar(
            select(Participant.id).where(Participant.group_id == dropped.id).limit(1)
        )
        if used:
            raise Conflict(
                _l("Group “%(name)s” already has participants, so it cannot be removed.",
                   name=dropped.name),
                field="groups",
            )
    workshop.groups = keep


def duplicate_workshop(workshop, title=None):
    """Copy a workshop's settings, groups and agenda as a template for the next one."""
    copy = Workshop(
        plan_id=workshop.plan_id,
        min_group_size=workshop.min_group_size,
        code=new_code(),
        title=(title or str(_l("%(title)s (copy)", title=workshop.title)))[:200],
        anonymous=workshop.anonymous,
        joining_open=True,
        premoderation=workshop.premoderation,
    )
    copy.groups = [WorkshopGroup(name=g.name, position=g.position) for g in workshop.groups]
    copies = {step.id: copy_step(step, step.position) for step in workshop.steps}
    for original_id, new in copies.items():
        # A copied vote step votes on the copy of its collect step, not the original.
        source_id = db.session.get(Step, original_id).source_step_id
        new.source_step_id = None
        new.source_step = copies.get(source_id)
    copy.steps = list(copies.values())
    try:
        with db.session.begin_nested():
            db.session.add(copy)
    except IntegrityError:
        raise Conflict(_l("Could not make a unique join code. Try again.")) from None
    return copy


VOTE_SETTINGS = ("source_step_id", "vote_method", "dot_budget", "budget_per_domain",
                 "max_per_item", "score_max", "score_low_label", "score_high_label",
                 "rank_top", "shuffle", "presenter_top")


def copy_step(step, position):
    """A fresh, not yet started copy of `step` (its settings and domains)."""
    return Step(
        position=position,
        kind=step.kind,
        title=step.title,
        body=step.body,
        item_kind=step.item_kind,
        max_length=step.max_length,
        max_per_participant=step.max_per_participant,
        limit_per_domain=step.limit_per_domain,
        time_limit_seconds=step.time_limit_seconds,
        domains=list(step.domains),
        parent_items=list(step.parent_items),
        **{name: getattr(step, name) for name in VOTE_SETTINGS},
    )
