"""Write receipts: a change sent again with the same client-made id happens once.

`realtime.executor.run_once` adds the receipt row in the change's own transaction; the
receipt's primary key makes a second, simultaneous attempt fail in the database, and the
executor answers it with the first result stored here.
"""

from datetime import datetime, timedelta

from sqlalchemy import String, Text, delete
from sqlalchemy.orm import Mapped, mapped_column

from workshop.core.time import utcnow
from workshop.extensions import db


class EventReceipt(db.Model):
    __tablename__ = "event_receipts"

    actor: Mapped[str] = mapped_column(String(40), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    result: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# A phone resends an unanswered write within seconds or minutes (or when it comes back
# online); a week covers a phone that was off all workshop day and more.
KEEP_RECEIPTS = timedelta(days=7)


def prune(older_than=KEEP_RECEIPTS, now=None):
    """Forget receipts older than `older_than`; returns how many were removed."""
    cutoff = (now or utcnow()) - older_than
    return db.session.execute(
        delete(EventReceipt).where(EventReceipt.created_at < cutoff)).rowcount
