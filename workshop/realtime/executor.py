"""The executor of the HTTP edge: one change, one transaction, then its events.

A route validates its form, then hands the service call to `execute`, which commits
once and publishes what the service returned. A refusal (DomainError) or any other
error rolls the whole change back: nothing of it is left behind.
"""

from workshop.core.outcome import events_of, value_of
from workshop.extensions import db
from workshop.realtime.delivery import deliver


def execute(change):
    """Run `change()` (a service call that flushes, never commits) as one transaction.

    Returns the service's value; raises what it raised, with nothing stored.
    """
    try:
        result = change()
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    publish(events_of(result))
    return value_of(result)


def publish(events):
    """Deliver committed events to whoever is connected (see workshop.realtime)."""
    for event in events:
        deliver(event)
