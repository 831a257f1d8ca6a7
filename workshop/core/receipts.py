"""Idempotent writes: a change sent again with the same client-made id happens once.

The receipt row and the change commit in one transaction; the receipt's primary key
makes a second, simultaneous attempt fail in the database and return the first result.
"""

import json
from datetime import datetime, timedelta

from sqlalchemy import String, Text, delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from workshop.core.errors import DomainError
from workshop.core.outcome import Outcome
from workshop.core.time import utcnow
from workshop.extensions import db


class EventReceipt(db.Model):
    __tablename__ = "event_receipts"

    actor: Mapped[str] = mapped_column(String(40), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    result: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def _stored(actor, client_id):
    receipt = db.session.get(EventReceipt, (actor, client_id))
    return None if receipt is None else Outcome(ack=json.loads(receipt.result))


def run_once(actor, client_id, change):
    """Run `change()` (which must not commit) once per (actor, client_id), and commit.

    Returns (outcome, replayed): the change's Outcome, or for a retry the stored ack of
    the earlier attempt (with no events: they were published then). Raises whatever
    `change` raises, with nothing stored. Without a client id the change simply runs.
    """
    if client_id is None:
        try:
            result = _outcome(change())
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
        return result, False
    # Optimistic: first attempts far outnumber retries, so the change runs straight
    # away. A retry then either fails on the receipt's key, or is refused by a rule (the
    # last dot is already spent): either way the stored first result is returned.
    try:
        result = _outcome(change())
        db.session.add(
            EventReceipt(actor=actor, client_id=client_id, result=json.dumps(result.ack))
        )
        db.session.commit()
    except (IntegrityError, DomainError):
        db.session.rollback()
        earlier = _stored(actor, client_id)
        if earlier is not None:
            return earlier, True
        raise
    except BaseException:
        db.session.rollback()
        raise
    return result, False


def _outcome(result):
    if not isinstance(result, Outcome):  # a socket command answers with an ack
        raise TypeError(f"A command returns an Outcome, not {type(result).__name__}")
    return result


# A phone resends an unanswered write within seconds or minutes (or when it comes back
# online); a week covers a phone that was off all workshop day and more.
KEEP_RECEIPTS = timedelta(days=7)


def prune(older_than=KEEP_RECEIPTS, now=None):
    """Forget receipts older than `older_than`; returns how many were removed."""
    cutoff = (now or utcnow()) - older_than
    removed = db.session.execute(
        delete(EventReceipt).where(EventReceipt.created_at < cutoff)).rowcount
    db.session.commit()
    return removed
