"""The audit log: who did what, when, per organisation. Append-only for the app.

Services call `record(...)` in the transaction of the change they make, so an entry
exists exactly when its change was committed. Nothing in the app updates or deletes an
entry (`tests/orgs/test_audit.py` checks the source).
"""

import csv
import io
import json

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from workshop.core.text import spreadsheet_safe
from workshop.core.time import utcnow
from workshop.extensions import db
from workshop.orgs.models import AuditEntry, Membership

ACTIONS = {
    "sign_in": _l("Signed in"),
    "sign_in_failed": _l("Sign-in failed"),
    "member_invited": _l("Member invited"),
    "invitation_withdrawn": _l("Invitation withdrawn"),
    "member_joined": _l("Member joined"),
    "role_changed": _l("Role changed"),
    "member_removed": _l("Member removed"),
    "team_changed": _l("Plan team changed"),
    "organisation_created": _l("Organisation created"),
    "plan_created": _l("Plan created"),
    "plan_deleted": _l("Plan deleted"),
    "workshop_created": _l("Workshop created"),
    "workshop_deleted": _l("Workshop deleted"),
    "results_revealed": _l("Results shown"),
    "round_opened": _l("Review round opened"),
    "round_closed": _l("Review round closed"),
    "exported": _l("Exported"),
    "imported": _l("Imported"),
    "link_created": _l("Link created"),
    "link_revoked": _l("Link revoked"),
    "anonymised": _l("Names anonymised"),
}
PAGE_SIZE = 200


def _label(actor):
    if actor is None:
        return ""
    return f"{actor.name} <{actor.email}>"


def record(organisation_id, action, subject="", actor=None, **detail):
    """Add an entry to the organisation's log (flushes; the edge commits)."""
    assert action in ACTIONS, action  # noqa: S101 - a programming error, not input
    entry = AuditEntry(organisation_id=organisation_id, action=action,
                       subject=str(subject)[:300], actor_id=getattr(actor, "id", None),
                       actor_label=_label(actor)[:400],
                       detail=json.dumps(detail, ensure_ascii=False, default=str)
                       if detail else "", at=utcnow())
    db.session.add(entry)
    return entry


def record_for_account(account, action, subject="", actor=None, **detail):
    """An entry in every organisation `account` is a member of (sign-ins)."""
    for organisation_id in db.session.scalars(select(Membership.organisation_id).where(
            Membership.account_id == account.id)):
        record(organisation_id, action, subject, actor, **detail)


def entries(organisation, action=None, text=None, limit=PAGE_SIZE):
    """The newest entries first, filtered by action and by text in actor or subject."""
    query = select(AuditEntry).where(AuditEntry.organisation_id == organisation.id)
    if action in ACTIONS:
        query = query.where(AuditEntry.action == action)
    if text:
        pattern = f"%{text.strip()[:100]}%"
        query = query.where(or_(AuditEntry.actor_label.ilike(pattern),
                                AuditEntry.subject.ilike(pattern)))
    query = query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    return db.session.scalars(query.limit(limit) if limit else query).all()


def as_csv(rows):
    """The entries as CSV text (UTF-8 with a BOM, so Excel reads the accents)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(["time (UTC)", "actor", "action", "subject", "detail"])
    for entry in rows:
        writer.writerow([entry.at.isoformat(timespec="seconds"),
                         *map(spreadsheet_safe, (entry.actor_label, entry.action,
                                                 entry.subject, entry.detail))])
    return out.getvalue()
