"""Write receipts guard retries; old ones are forgotten so the table does not grow forever."""

from datetime import timedelta

from sqlalchemy import func, select

from workshop.core.outcome import Outcome
from workshop.core.receipts import EventReceipt, prune
from workshop.core.time import utcnow
from workshop.extensions import db
from workshop.realtime.executor import execute, run_once


def _count():
    return db.session.scalar(select(func.count()).select_from(EventReceipt))


def test_old_receipts_are_pruned_and_recent_ones_still_guard_retries(app):
    calls = []

    def change():
        calls.append(1)
        db.session.flush()
        return Outcome(ack={"ok": True})

    run_once("p1", "cid-00000001", change)
    db.session.add(EventReceipt(actor="p1", client_id="cid-old-0001", result="{}",
                                created_at=utcnow() - timedelta(days=8)))
    db.session.commit()
    assert _count() == 2
    assert execute(prune) == 1  # the server start commits it through the executor
    assert _count() == 1
    # The recent receipt still answers a retry with the first result (and stores nothing).
    assert run_once("p1", "cid-00000001", change) == (Outcome(ack={"ok": True}), True)
    assert _count() == 1
