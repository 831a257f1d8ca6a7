"""Rules for plans and work domains. They flush and never commit: the page that calls them
commits each change once (`realtime.executor.execute`)."""

from contextlib import contextmanager

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from workshop.core.colours import HEX_COLOUR, PALETTE
from workshop.core.errors import Conflict, DomainError, Forbidden, NotFound
from workshop.extensions import db
from workshop.orgs import audit
from workshop.orgs import services as orgs
from workshop.orgs.access import role_in
from workshop.orgs.models import Membership
from workshop.plans.access import EDIT, authorise_plan
from workshop.plans.models import Domain, Plan, PlanMember

CREATORS = ("administrator", "facilitator")

MAX_DOMAINS = 12
MIN_YEAR, MAX_YEAR = 1990, 2100

# Later areas (proposals, plan items, …) register a function here that counts what a
# domain holds: fn(domain) -> list of (label, count). A domain holding anything
# cannot be removed.
DOMAIN_CONTENT_COUNTERS = []


def list_plans():
    """Every plan of this install, newest first (commands and exports of the whole
    install; pages list `access.visible_plans(account)`)."""
    return db.session.scalars(select(Plan).order_by(Plan.created_at.desc(), Plan.id.desc())).all()


def get_plan(plan_id):
    """The plan with this id, unchecked (commands, seeds and background work; pages and
    events go through `access.authorise_plan`); NotFound otherwise."""
    plan = db.session.get(Plan, plan_id)
    if plan is None:
        raise NotFound(_l("This plan does not exist."))
    return plan


def get_domain(plan, domain_id):
    """A domain of `plan`; NotFound for an unknown id or another plan's domain."""
    domain = db.session.get(Domain, domain_id)
    if domain is None or domain.plan_id != plan.id:
        raise NotFound(_l("This work domain does not exist."))
    return domain


def clean_plan_fields(data):
    fields = {
        "title": (data.get("title") or "").strip(),
        "organisation": (data.get("organisation") or "").strip(),
        "mission": (data.get("mission") or "").strip(),
        "tagline": (data.get("tagline") or "").strip(),
        "horizon_start": data.get("horizon_start"),
        "horizon_end": data.get("horizon_end"),
    }
    if not fields["title"]:
        raise DomainError(_l("Give the plan a title."), field="title")
    if not fields["organisation"]:
        raise DomainError(_l("Name the organisation."), field="organisation")
    for key in ("horizon_start", "horizon_end"):
        year = fields[key]
        if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
            raise DomainError(
                _l("Enter a year between %(a)d and %(b)d.", a=MIN_YEAR, b=MAX_YEAR), field=key
            )
    if fields["horizon_end"] < fields["horizon_start"]:
        raise DomainError(
            _l("The horizon cannot end before it starts."), field="horizon_end"
        )
    return fields


def create_plan(data, created_by=None, organisation=None):
    """A facilitator starts a new plan (status draft) in `organisation` (by default the
    installation's first). A creator who is not its administrator joins the plan's team
    as its facilitator."""
    fields = clean_plan_fields(data)
    if organisation is None:
        organisation = orgs.home_organisation(fields["organisation"])
    plan = Plan(**fields, organisation_id=organisation.id,
                created_by_id=created_by.id if created_by else None)
    db.session.add(plan)
    db.session.flush()
    audit.record(organisation.id, "plan_created", plan.title, created_by)
    if created_by is not None:
        role = role_in(created_by, organisation.id)
        if role not in CREATORS:
            raise Forbidden(_l("Your role in this organisation does not allow new plans."))
        if role != "administrator":
            membership = db.session.scalar(select(Membership).where(
                Membership.organisation_id == organisation.id,
                Membership.account_id == created_by.id))
            db.session.add(PlanMember(plan_id=plan.id, membership_id=membership.id,
                                      role="facilitator"))
            db.session.flush()
    return plan


def delete_plan(actor, plan_id, typed_title):
    """Delete a plan with everything it holds (domains, tree, workshops, review rounds,
    indicators, links); every link of it stops working. Confirmed by typing its title."""
    plan = authorise_plan(actor, plan_id, EDIT)
    if " ".join((typed_title or "").split()) != " ".join(plan.title.split()):
        raise DomainError(_l("Type the plan's title exactly to delete it."), field="confirm")
    audit.record(plan.organisation_id, "plan_deleted", plan.title, actor)
    db.session.delete(plan)
    db.session.flush()


def _clean_domain_fields(data):
    name = (data.get("name") or "").strip()
    colour = (data.get("colour") or "").strip().lower()
    if not name:
        raise DomainError(_l("Give the work domain a name."), field="name")
    if not HEX_COLOUR.match(colour):
        raise DomainError(_l("Choose a colour."), field="colour")
    return {"name": name, "description": (data.get("description") or "").strip(),
            "colour": colour}


def next_colour(plan):
    """A palette colour not yet used by the plan's domains."""
    used = {d.colour for d in plan.domains}
    for colour in PALETTE:
        if colour not in used:
            return colour
    return PALETTE[len(plan.domains) % len(PALETTE)]


@contextmanager
def _unique_name():
    """The change inside is flushed in a savepoint: a name the plan already has (the
    unique key, also under a race) becomes a Conflict and leaves the rest untouched."""
    try:
        with db.session.begin_nested():
            yield
    except IntegrityError:
        raise Conflict(
            _l("This plan already has a work domain with that name."), field="name"
        ) from None


def require_editable(plan):
    """A final plan is read-only until it is reopened."""
    if plan.status == "final":
        raise Conflict(_l("This plan is final. Reopen it to make changes."))


def _editable(plan):
    require_editable(plan)


def add_domain(plan, data):
    """A facilitator adds a work domain at the end of the plan's list."""
    _editable(plan)
    count = db.session.scalar(select(func.count()).where(Domain.plan_id == plan.id))
    if count >= MAX_DOMAINS:
        raise DomainError(lazy_ngettext("A plan can have at most %(num)d work domain.",
                                        "A plan can have at most %(num)d work domains.",
                                        MAX_DOMAINS))
    top = db.session.scalar(select(func.max(Domain.position)).where(Domain.plan_id == plan.id))
    domain = Domain(plan_id=plan.id, position=(top or 0) + 1, **_clean_domain_fields(data))
    with _unique_name():
        db.session.add(domain)
    db.session.expire(plan, ["domains"])  # the next read includes it
    return domain


def update_domain(domain, data):
    """A facilitator edits a domain's name, description or colour."""
    _editable(domain.plan)
    fields = _clean_domain_fields(data)
    with _unique_name():
        for key, value in fields.items():
            setattr(domain, key, value)
    return domain


def _ordered(plan):
    return db.session.scalars(
        select(Domain).where(Domain.plan_id == plan.id).order_by(Domain.position, Domain.id)
    ).all()


def reorder_domains(plan, domain_ids):
    """Put the plan's domains in the given order; the list must name each exactly once."""
    _editable(plan)
    domains = _ordered(plan)
    by_id = {d.id: d for d in domains}
    if sorted(domain_ids) != sorted(by_id):
        raise DomainError(_l("The work domains changed while you were reordering them. "
                             "Reload the page and try again."))
    for position, domain_id in enumerate(domain_ids, start=1):
        by_id[domain_id].position = position
    db.session.flush()
    db.session.expire(plan, ["domains"])  # read again in the new order
    return [by_id[i] for i in domain_ids]


def move_domain(domain, offset):
    """Move a domain up (-1) or down (+1) one place; no-op at either end."""
    domains = _ordered(domain.plan)
    ids = [d.id for d in domains]
    index = ids.index(domain.id)
    target = index + offset
    if 0 <= target < len(ids):
        ids[index], ids[target] = ids[target], ids[index]
    return reorder_domains(domain.plan, ids)


def domain_content(domain):
    """What a domain holds, as (label, count) pairs with count > 0."""
    found = []
    for counter in DOMAIN_CONTENT_COUNTERS:
        found.extend((label, n) for label, n in counter(domain) if n)
    return found


def remove_domain(domain):
    """A facilitator removes an empty work domain; refused while it holds content."""
    _editable(domain.plan)
    if domain_content(domain):
        raise Conflict(
            _l("This work domain still holds content. Move or remove that first.")
        )
    plan = domain.plan
    db.session.delete(domain)
    db.session.flush()
    for position, remaining in enumerate(_ordered(plan), start=1):
        remaining.position = position
    db.session.flush()
    db.session.expire(plan, ["domains"])
