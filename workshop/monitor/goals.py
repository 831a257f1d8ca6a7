"""A goal's indicators when the goal itself changes in the tree: they follow a merge, and
the delete page counts those that would go with it."""

from sqlalchemy import func, select, update

from workshop.extensions import db
from workshop.monitor.models import Indicator
from workshop.tree import services as tree


def merge(plan, target, source, actor=None):
    """Merge `source` into `target` (`tree.merge`); the indicators that measure `source`
    now measure `target`, their measurements with them. A refusal moves nothing."""
    with db.session.begin_nested():
        db.session.execute(update(Indicator).where(Indicator.item_id == source.id)
                           .values(item_id=target.id))
        merged = tree.merge(plan, target, source, actor)
    return merged


def indicators_under(item):
    """How many indicators measure `item` or anything under it (they go when it goes)."""
    ids, stack = [], [item]
    while stack:
        node = stack.pop()
        ids.append(node.id)
        stack.extend(node.children)
    return db.session.scalar(select(func.count(Indicator.id)).where(Indicator.item_id.in_(ids)))
