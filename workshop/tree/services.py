"""Editing the plan tree. Each change leaves a history entry; the services flush and never
commit: the caller's edge (`realtime.executor.execute`) commits each change once."""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import func, select

from workshop.core.errors import DomainError, NotFound
from workshop.core.text import plain_text
from workshop.extensions import db
from workshop.plans.models import Domain, Plan
from workshop.plans.services import clean_plan_fields, require_editable
from workshop.tree.models import LEVELS, PARENT_LEVEL, ItemChange, PlanItem

TEXT_MAX = 2000
EDITABLE = ("text", "owner", "deadline", "note", "horizon_year")


def record(plan, item, action, field=None, old=None, new=None, actor=None):
    """Keep one history entry (part of the caller's transaction)."""
    db.session.add(ItemChange(
        plan_id=plan.id, item_id=item.id if item is not None else None, action=action,
        field=field, old_value=None if old is None else str(old),
        new_value=None if new is None else str(new),
        actor_id=actor.id if actor is not None else None))


def get_item(plan, item_id):
    item = db.session.get(PlanItem, item_id) if isinstance(item_id, int) else None
    if item is None or item.plan_id != plan.id:
        raise NotFound(_l("This item is not part of this plan."))
    return item


def tree(plan):
    """{domain: [ambition items with .children loaded]} in the plan's domain order."""
    items = db.session.scalars(select(PlanItem).where(PlanItem.plan_id == plan.id)
                               .order_by(PlanItem.position, PlanItem.id)).all()
    roots = {d.id: [] for d in plan.domains}
    for item in items:
        if item.parent_id is None and item.domain_id in roots:
            roots[item.domain_id].append(item)
    return [(d, roots[d.id]) for d in plan.domains]


def clean_text(text):
    text = plain_text(text)
    if not text:
        raise DomainError(_l("Write the text of the item."), field="text")
    if len(text) > TEXT_MAX:
        raise DomainError(lazy_ngettext("Keep it under %(num)d character.",
                                        "Keep it under %(num)d characters.", TEXT_MAX),
                          field="text")
    return text


def _check_place(plan, level, domain_id, parent):
    if level not in LEVELS:
        raise DomainError(_l("Choose a level."), field="level")
    domain = db.session.get(Domain, domain_id) if isinstance(domain_id, int) else None
    if domain is None or domain.plan_id != plan.id:
        raise DomainError(_l("Choose a work domain of this plan."), field="domain_id")
    wanted = PARENT_LEVEL[level]
    if wanted is None and parent is not None:
        raise DomainError(_l("An ambition sits directly under its work domain."),
                          field="parent_id")
    if wanted is not None and (parent is None or parent.level != wanted):
        raise DomainError(_l("Choose the item this one belongs under."), field="parent_id")
    if parent is not None and parent.domain_id != domain.id:
        raise DomainError(_l("The item above is in another work domain."), field="parent_id")
    return domain


def _next_position(plan, parent_id, domain_id):
    top = db.session.scalar(select(func.max(PlanItem.position)).where(
        PlanItem.plan_id == plan.id, PlanItem.parent_id.is_(None) if parent_id is None
        else PlanItem.parent_id == parent_id, PlanItem.domain_id == domain_id))
    return (top or 0) + 1


def new_item(plan, level, domain_id, text, parent=None, actor=None, **details):
    """Add an item: used by the editor and by promotion."""
    require_editable(plan)
    domain = _check_place(plan, level, domain_id, parent)
    item = PlanItem(plan_id=plan.id, domain_id=domain.id, level=level, text=clean_text(text),
                    parent_id=parent.id if parent else None,
                    position=_next_position(plan, parent.id if parent else None, domain.id),
                    **{k: v for k, v in details.items() if k in EDITABLE and v is not None})
    db.session.add(item)
    db.session.flush()
    _children_changed(parent)
    record(plan, item, "created", "text", None, item.text, actor)
    return item


def _children_changed(*parents):
    """Items moved by id: reload these parents' children when next read, so a later step
    of the same change (a version snapshot, an export) sees the tree as it now is."""
    for parent in parents:
        if parent is not None:
            db.session.expire(parent, ["children"])


def add_item(plan, level, domain_id, text, parent_id=None, actor=None):
    """A facilitator writes an item into the plan by hand."""
    parent = get_item(plan, parent_id) if parent_id else None
    return new_item(plan, level, domain_id, text, parent, actor)


def edit_item(plan, item, data, actor=None):
    """Change an item's text or details; every changed field is kept in the history."""
    require_editable(plan)
    for field in EDITABLE:
        if field not in data:
            continue
        value = data[field]
        if field == "text":
            value = clean_text(value)
        elif field == "horizon_year":
            if value is not None and (not isinstance(value, int) or not 1990 <= value <= 2100):
                raise DomainError(_l("Enter a year between %(a)d and %(b)d.", a=1990, b=2100),
                                  field=field)
        else:
            value = " ".join(str(value or "").split())[:2000]
        old = getattr(item, field)
        if old != value:
            setattr(item, field, value)
            record(plan, item, "edited", field, old, value, actor)
    db.session.flush()
    return item


def _siblings(item):
    return db.session.scalars(select(PlanItem).where(
        PlanItem.plan_id == item.plan_id, PlanItem.domain_id == item.domain_id,
        PlanItem.parent_id.is_(None) if item.parent_id is None
        else PlanItem.parent_id == item.parent_id).order_by(PlanItem.position, PlanItem.id)).all()


def reorder(plan, item, offset, actor=None):
    """Move an item one place up (-1) or down (+1) among its siblings."""
    require_editable(plan)
    siblings = _siblings(item)
    index = siblings.index(item)
    target = index + offset
    if 0 <= target < len(siblings):
        siblings[index], siblings[target] = siblings[target], siblings[index]
        record(plan, item, "reordered", "position", index + 1, target + 1, actor)
    for position, sibling in enumerate(siblings, start=1):
        sibling.position = position
    db.session.flush()


def place_at(plan, item, index, actor=None):
    """Drag and drop: put an item at 0-based `index` among its siblings."""
    require_editable(plan)
    siblings = _siblings(item)
    if not isinstance(index, int) or not 0 <= index < len(siblings):
        raise DomainError(_l("That place does not exist."))
    siblings.remove(item)
    siblings.insert(index, item)
    for position, sibling in enumerate(siblings, start=1):
        sibling.position = position
    record(plan, item, "reordered", "position", None, index + 1, actor)
    db.session.flush()


def move(plan, item, domain_id, parent_id=None, actor=None):
    """Move an item (with what hangs under it) to another parent or domain."""
    require_editable(plan)
    parent = get_item(plan, parent_id) if parent_id else None
    if parent is not None and (parent.id == item.id or _is_under(parent, item)):
        raise DomainError(_l("An item cannot move under itself."), field="parent_id")
    domain = _check_place(plan, item.level, domain_id, parent)
    old = f"{item.domain.name} / {item.parent_id or '-'}"
    old_parent = db.session.get(PlanItem, item.parent_id) if item.parent_id else None
    item.parent_id = parent.id if parent else None
    item.position = _next_position(plan, item.parent_id, domain.id)
    _set_domain(item, domain.id)
    record(plan, item, "moved", "place", old, f"{domain.name} / {item.parent_id or '-'}",
           actor)
    db.session.flush()
    _children_changed(old_parent, parent)


def _is_under(candidate, item):
    node = candidate
    while node.parent_id is not None:
        if node.parent_id == item.id:
            return True
        node = db.session.get(PlanItem, node.parent_id)
    return False


def _set_domain(item, domain_id):
    item.domain_id = domain_id
    for child in item.children:
        _set_domain(child, domain_id)


def merge(plan, target, source, actor=None):
    """Merge `source` into `target` (same level): its children and provenance move over
    (its indicators too, when the merge goes through `monitor.goals.merge`)."""
    require_editable(plan)
    if source.id == target.id or source.level != target.level:
        raise DomainError(_l("Merge two different items of the same level."))
    parent = db.session.get(PlanItem, source.parent_id) if source.parent_id else None
    for child in list(source.children):
        child.parent_id = target.id
        _set_domain(child, target.domain_id)
    for origin in list(source.sources):
        origin.item_id = target.id
    record(plan, target, "merged", "text", source.text, target.text, actor)
    record(plan, source, "deleted", "text", source.text, None, actor)
    db.session.flush()
    db.session.expire(source, ["children", "sources"])  # they belong to the target now
    db.session.delete(source)
    db.session.flush()
    db.session.expire(target)  # its children, sources and indicators grew
    _children_changed(parent)
    return target


def split(plan, item, parts, actor=None):
    """Split an item into several of the same level; the first keeps its place."""
    require_editable(plan)
    texts = [clean_text(p) for p in parts if (p or "").strip()]
    if len(texts) < 2:
        raise DomainError(_l("Give at least two parts, one per line."), field="parts")
    parent = db.session.get(PlanItem, item.parent_id) if item.parent_id else None
    old = item.text
    item.text = texts[0]
    record(plan, item, "split", "text", old, item.text, actor)
    made = [item]
    for text in texts[1:]:
        made.append(new_item(plan, item.level, item.domain_id, text, parent, actor))
    db.session.flush()
    return made


def delete(plan, item, actor=None):
    """Remove an item and what hangs under it (asked for confirmation first)."""
    require_editable(plan)
    record(plan, item, "deleted", "text", item.text, None, actor)
    parent = db.session.get(PlanItem, item.parent_id) if item.parent_id else None
    db.session.delete(item)
    db.session.flush()
    _children_changed(parent)


def history(plan, item=None):
    query = select(ItemChange).where(ItemChange.plan_id == plan.id)
    if item is not None:
        query = query.where(ItemChange.item_id == item.id)
    return db.session.scalars(query.order_by(ItemChange.id.desc())).all()


def revert(plan, change_id, actor=None):
    """Undo an edit: the field gets its old value back (itself a new history entry)."""
    require_editable(plan)
    change = db.session.get(ItemChange, change_id) if isinstance(change_id, int) else None
    if change is None or change.plan_id != plan.id or change.action != "edited":
        raise NotFound(_l("This change cannot be reverted."))
    if change.field in ("mission", "tagline"):
        setattr(plan, change.field, change.old_value or "")
        record(plan, None, "reverted", change.field, change.new_value, change.old_value, actor)
        db.session.flush()
        return plan
    item = get_item(plan, change.item_id)
    value = change.old_value
    if change.field == "horizon_year":
        value = int(value) if value not in (None, "None", "") else None
    old = getattr(item, change.field)
    setattr(item, change.field, value)
    record(plan, item, "reverted", change.field, old, value, actor)
    db.session.flush()
    return item


def update_plan(plan, data, actor=None):
    """A facilitator edits the plan's title, organisation, mission, tagline or horizon.

    The mission and tagline keep a history (they can come out of a workshop and be
    reverted like plan items).
    """
    require_editable(plan)
    for key, value in clean_plan_fields(data).items():
        if key in ("mission", "tagline") and getattr(plan, key) != value:
            record(plan, None, "edited", key, getattr(plan, key), value, actor)
        setattr(plan, key, value)
    db.session.flush()
    return plan


def set_plan_field(plan, field, value, actor=None):
    """Change the mission or tagline with history (used by the editor and promotion)."""
    require_editable(plan)
    value = " ".join((value or "").split())
    old = getattr(plan, field)
    if old != value:
        setattr(plan, field, value)
        record(plan, None, "edited", field, old, value, actor)
    db.session.flush()


def count_in_domain(domain):
    """For the plans area: a domain with plan items cannot be removed."""
    n = db.session.scalar(select(func.count()).where(PlanItem.domain_id == domain.id))
    return [(_l("plan items"), n)]


def get_plan_for_item(item):
    return db.session.get(Plan, item.plan_id)
