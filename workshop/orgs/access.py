"""Who may do what in an organisation: the one authorisation function for organisations.

An organisation is invisible (NotFound) to anyone who is not a member of it; the
installation administrator sees every organisation to create them and name their first
administrator, but none of their plans.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from workshop.core.errors import Forbidden, NotFound
from workshop.extensions import db
from workshop.orgs.models import Membership, Organisation

READ = "read"  # see the organisation and its member list
MANAGE = "manage"  # members, roles and settings
CREATE_PLANS = "create_plans"

_ALLOWED = {
    READ: {"administrator", "facilitator", "indicator_owner", "viewer"},
    MANAGE: {"administrator"},
    CREATE_PLANS: {"administrator", "facilitator"},
}


def role_in(account, organisation_id):
    """The account's role in the organisation, or None."""
    if account is None or not getattr(account, "id", None):
        return None
    return db.session.scalar(select(Membership.role).where(
        Membership.organisation_id == organisation_id, Membership.account_id == account.id))


def authorise_organisation(account, organisation_id, need=READ):
    """The organisation if `account` may `need` it; NotFound for a stranger, Forbidden for
    a member whose role does not allow it."""
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound(_l("This organisation does not exist."))
    role = role_in(account, organisation.id)
    if role is None:
        if getattr(account, "is_install_admin", False) and need in (READ, MANAGE):
            return organisation
        raise NotFound(_l("This organisation does not exist."))
    if role not in _ALLOWED[need]:
        raise Forbidden(_l("Your role in this organisation does not allow this."))
    return organisation


def organisations_of(account, need=READ):
    """The organisations where `account` may `need`, by name."""
    roles = _ALLOWED[need]
    return db.session.scalars(
        select(Organisation).join(Membership)
        .where(Membership.account_id == account.id, Membership.role.in_(roles))
        .order_by(Organisation.name)).all()
