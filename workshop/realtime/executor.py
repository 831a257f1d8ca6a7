"""The two edge executors: one change, one transaction, then its events.

HTTP: a route validates its form, then hands the service call to `execute`, which
commits once and publishes what the service returned. Socket.IO: `live_event` registers
a handler (rate limit, role, session, strict payload), and the handler hands its service
call to `run_command`: receipt check, the change, one commit, the ack, then publish.
A refusal (DomainError) or any other error rolls the whole change back: nothing of it
is left behind.
"""

import functools
import json

from flask import current_app, session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_socketio import disconnect
from sqlalchemy.exc import DBAPIError, IntegrityError

from workshop.core import socket_limits
from workshop.core.errors import Busy, DomainError
from workshop.core.outcome import Outcome, events_of, value_of
from workshop.core.payloads import PayloadError, parse
from workshop.core.receipts import EventReceipt
from workshop.extensions import db, socketio
from workshop.live.workshops import authorise_workshop
from workshop.plans.access import EDIT
from workshop.realtime.delivery import deliver
from workshop.realtime.staff_sessions import staff_account


def execute(change):
    """Run `change()` (a service call that flushes, never commits) as one transaction.

    Returns the service's value; raises what it raised, with nothing stored. A change
    that lost a race in the database (a unique key taken meanwhile, a deadlock, SQLite's
    snapshot gone stale under a parallel writer) is rolled back and run again on fresh
    data, where it succeeds or meets the rule that refuses it; past the retries it is
    refused as Busy ("send it again in a moment"), never a server error.
    """
    for attempt in range(RETRIES):
        try:
            result = change()
            db.session.commit()
            break
        except DBAPIError as error:
            db.session.rollback()
            if _locked(error):
                if attempt + 1 >= LOCKED_RETRIES:  # each wait is the whole busy timeout
                    raise Busy(_l("Many changes at once: send it again in a moment.")) \
                        from None
            elif not _retryable(error):
                raise
            db.session.expire_all()
        except BaseException:
            db.session.rollback()
            raise
    else:
        raise Busy(_l("Many changes at once: send it again in a moment."))
    publish(events_of(result))
    return value_of(result)


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


def publish(events):
    """Deliver committed events to whoever is connected (see workshop.realtime)."""
    for event in events:
        deliver(event)


IDENTITY = "koers_live"
RETRIES = 10
LOCKED_RETRIES = 3
STAFF_ROLES = ("console", "presenter")
# PostgreSQL's "deadlock detected" and "could not serialize access": the transaction was
# rolled back and the same change may well succeed when run again.
RETRY_SQLSTATES = ("40P01", "40001")


def _retryable(error):
    """A write that lost a race: a unique key taken meanwhile, a deadlock, a serialization
    failure. Anything else is a real error."""
    if isinstance(error, IntegrityError):
        return True
    return getattr(error.orig, "sqlstate", None) in RETRY_SQLSTATES


def _locked(error):
    """SQLite's "database is locked": another writer held the lock past the busy timeout."""
    return "database is locked" in str(getattr(error, "orig", "") or "")


def _fail(message, code, field=None):
    return {"ok": False, "error": str(message), "code": code, "field": field}


# Every live event: name -> (roles, payload spec); tests/core/test_realtime_doc.py
# holds docs/realtime.md to it.
EVENTS = {}


def live_event(name, roles, **spec):
    """Register a handler for `name`, open to `roles`, with a strictly checked payload."""
    EVENTS[name] = (tuple(roles), spec)

    def decorate(function):
        @socketio.on(name)
        @functools.wraps(function)
        def handler(payload=None):
            identity = session.get(IDENTITY)
            try:
                # First, before any database work: refused events count too.
                if (limited := socket_limits.check(name, identity)) is not None:
                    return limited  # over a rate limit: nothing is parsed or stored
                if identity is None or identity["role"] not in roles:
                    return _fail(_("This screen cannot do that."), "forbidden")
                if identity["role"] in STAFF_ROLES:
                    account = staff_account()
                    if account is None:
                        disconnect()
                        return _fail(_("Your session has ended. Log in again."),
                                     "login_required")
                    # The role may have changed since the console connected.
                    authorise_workshop(account, identity["workshop_id"], EDIT)
                values = parse({} if payload is None and not spec else payload, **spec)
                # A client id names one change of one event: the same id sent with another
                # event is another change, not a retry.
                return function({**identity, "event": name}, values)
            except PayloadError as error:
                return _fail(error.message, "bad_payload")
            except DomainError as error:
                db.session.rollback()
                return _fail(error.message, error.code, error.field)
            except Exception:
                db.session.rollback()
                current_app.logger.exception("Socket event %s failed", name)
                return _fail(_("Something went wrong on our side. Try again."), "internal")

        return handler

    return decorate


def run_command(identity, cid, change):
    """Commit the change once per client id, ack it, then broadcast it."""
    for _attempt in range(RETRIES):
        try:
            actor = f'{identity["actor"]}:{identity.get("event", "")}'
            result, replayed = run_once(actor, cid, change)
            break
        except DBAPIError as error:
            if _locked(error):
                # SQLite waited its busy timeout for the one write lock: the server is
                # overloaded, so the phone is asked to resend later rather than queued.
                raise Busy(_l("Many changes at once: send it again in a moment.")) from None
            if not _retryable(error):
                raise
            # A simultaneous write took the same slot or locked rows in another order
            # (run_once rolled back): look again with fresh data.
            db.session.expire_all()
    else:
        raise Busy(_l("Many changes at once: send it again in a moment."))
    ack = {"ok": True, **result.ack, **({"replayed": True} if replayed else {})}
    publish(result.events)  # delivery waits for the ack (see realtime.delivery.after_ack)
    return ack


EVERYONE = ("participant", *STAFF_ROLES)
PARTICIPANT = ("participant",)
CONSOLE = ("console",)
