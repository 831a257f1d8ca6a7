"""Rules for organisations and their members. They flush and never commit: the page or
command that calls them commits each change once (`realtime.executor.execute`)."""

from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from workshop.core.colours import HEX_COLOUR
from workshop.core.errors import Conflict, DomainError, Forbidden, NotFound
from workshop.core.links import link_token, new_link_secret, plausible, token_hash
from workshop.core.time import utcnow
from workshop.extensions import db
from workshop.orgs import audit
from workshop.orgs.access import MANAGE, authorise_organisation
from workshop.orgs.models import ROLES, Invitation, Membership, Organisation

INVITATION_DAYS = 7
INVITE_PURPOSE = "invite"
DEFAULT_NAME = "Koers"


def clean_name(name):
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(_l("Name the organisation."), field="name")
    if len(name) > 200:
        raise DomainError(_l("Use at most 200 characters."), field="name")
    return name


def create_organisation(name, actor=None):
    """A new, empty organisation (the installation administrator makes them)."""
    organisation = Organisation(name=clean_name(name))
    try:
        with db.session.begin_nested():
            db.session.add(organisation)
    except IntegrityError:
        raise Conflict(_l("There is already an organisation with this name."),
                       field="name") from None
    audit.record(organisation.id, "organisation_created", organisation.name, actor)
    return organisation


def home_organisation(name=None):
    """The installation's first organisation, made when there is none yet: where a shell
    command or a one-laptop set-up puts its accounts and plans."""
    first = db.session.scalar(select(Organisation).order_by(Organisation.id).limit(1))
    return first or create_organisation(name or DEFAULT_NAME)


def organisation_named(name):
    """The organisation with this name, made when it does not exist (seeds, imports)."""
    found = db.session.scalar(select(Organisation).where(Organisation.name == clean_name(name)))
    return found or create_organisation(name)


def add_member(organisation, account, role):
    """Make `account` a member with `role` (or give an existing member that role)."""
    _check_role(role)
    membership = db.session.scalar(select(Membership).where(
        Membership.organisation_id == organisation.id, Membership.account_id == account.id))
    if membership is None:
        membership = Membership(organisation_id=organisation.id, account_id=account.id,
                                role=role)
        db.session.add(membership)
    else:
        membership.role = role
    db.session.flush()
    return membership


def _check_role(role):
    if role not in ROLES:
        raise DomainError(_l("Choose a role."), field="role")


def list_members(organisation):
    return db.session.scalars(
        select(Membership).where(Membership.organisation_id == organisation.id)
        .order_by(Membership.role, Membership.id)).all()


def get_membership(organisation, membership_id):
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.organisation_id != organisation.id:
        raise NotFound(_l("This member does not exist."))
    return membership


def _administrators(organisation):
    return db.session.scalar(select(func.count()).select_from(Membership).where(
        Membership.organisation_id == organisation.id, Membership.role == "administrator"))


def change_role(actor, organisation_id, membership_id, role):
    """An administrator gives a member another role; the last administrator stays one."""
    organisation = authorise_organisation(actor, organisation_id, MANAGE)
    membership = get_membership(organisation, membership_id)
    _check_role(role)
    if membership.role == "administrator" and role != "administrator" \
            and _administrators(organisation) <= 1:
        raise Conflict(_l("An organisation needs at least one administrator."), field="role")
    old = membership.role
    membership.role = role
    db.session.flush()
    audit.record(organisation.id, "role_changed", membership.account.email, actor,
                 old=old, new=role)
    return membership


def remove_member(actor, organisation_id, membership_id):
    """An administrator removes a member: their places on plan teams go with it (a
    cascading foreign key), and the edge ends their sessions. Returns the account."""
    organisation = authorise_organisation(actor, organisation_id, MANAGE)
    membership = get_membership(organisation, membership_id)
    if membership.role == "administrator" and _administrators(organisation) <= 1:
        raise Conflict(_l("An organisation needs at least one administrator."))
    account = membership.account
    db.session.delete(membership)
    db.session.flush()
    audit.record(organisation.id, "member_removed", account.email, actor)
    return account


def invite(actor, organisation_id, email, role):
    """An administrator invites someone: a one-time link, valid INVITATION_DAYS days.

    Returns (invitation, token); the link is /invite/<token>.
    """

    organisation = authorise_organisation(actor, organisation_id, MANAGE)
    return _new_invitation(actor, organisation, email, role)


def _new_invitation(actor, organisation, email, role):
    _check_role(role)
    email = (email or "").strip().lower()
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        raise DomainError(_l("Enter a valid e-mail address, like name@example.org."),
                          field="email") from None
    nonce, token, hashed = new_link_secret(INVITE_PURPOSE)
    invitation = Invitation(organisation_id=organisation.id, email=email, role=role,
                            nonce=nonce, token_hash=hashed, created_by_id=actor.id,
                            expires_at=utcnow() + timedelta(days=INVITATION_DAYS))
    db.session.add(invitation)
    db.session.flush()
    audit.record(organisation.id, "member_invited", email, actor, role=role)
    return invitation, token


def invite_first_administrator(actor, organisation, email):
    """The installation administrator invites a new organisation's first administrator."""
    if not getattr(actor, "is_install_admin", False):
        raise Forbidden(_l("Only the installation's administrator creates organisations."))
    return _new_invitation(actor, organisation, email, "administrator")


def invitation_token(invitation):
    return link_token(INVITE_PURPOSE, invitation.nonce)


def open_invitations(organisation):
    return db.session.scalars(
        select(Invitation).where(Invitation.organisation_id == organisation.id,
                                 Invitation.used_at.is_(None),
                                 Invitation.expires_at > utcnow())
        .order_by(Invitation.created_at.desc())).all()


def revoke_invitation(actor, organisation_id, invitation_id):
    organisation = authorise_organisation(actor, organisation_id, MANAGE)
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.organisation_id != organisation.id \
            or invitation.used_at is not None:
        raise NotFound(_l("This invitation does not exist."))
    db.session.delete(invitation)
    db.session.flush()
    audit.record(organisation.id, "invitation_withdrawn", invitation.email, actor)


def invitation_for(token):
    """The unused, unexpired invitation of this link; NotFound otherwise."""
    invitation = None
    if plausible(token):
        invitation = db.session.scalar(
            select(Invitation).where(Invitation.token_hash == token_hash(token)))
    if invitation is None or invitation.used_at is not None \
            or invitation.expires_at <= utcnow():
        raise NotFound(_l("This invitation is not valid (any more). Ask for a new one."))
    return invitation


def accept(token, account):
    """`account` takes up the invitation: it becomes a member with the invited role.

    Used once: the update only succeeds while the invitation is unused (a second,
    simultaneous use finds it taken).
    """
    invitation = invitation_for(token)
    used = db.session.execute(
        Invitation.__table__.update()
        .where(Invitation.id == invitation.id, Invitation.used_at.is_(None))
        .values(used_at=utcnow())).rowcount
    if not used:
        raise NotFound(_l("This invitation is not valid (any more). Ask for a new one."))
    existing = db.session.scalar(select(Membership).where(
        Membership.organisation_id == invitation.organisation_id,
        Membership.account_id == account.id))
    if existing is not None:
        return existing  # already a member: the invitation does not change the role
    audit.record(invitation.organisation_id, "member_joined", account.email, account,
                 role=invitation.role)
    return add_member(invitation.organisation, account, invitation.role)


def update_settings(actor, organisation_id, data):
    """An administrator changes the organisation's name, privacy notice, retention."""
    organisation = authorise_organisation(actor, organisation_id, MANAGE)
    days = data.get("retention_days")
    if not isinstance(days, int) or not 30 <= days <= 3650:
        raise DomainError(_l("Choose a period from %(min)d to %(max)d (in days).",
                             min=30, max=3650), field="retention_days")
    colour = (data.get("colour") or organisation.colour or "").strip().lower()
    if not HEX_COLOUR.fullmatch(colour):
        raise DomainError(_l("Choose a colour."), field="colour")
    organisation.name = clean_name(data.get("name"))
    organisation.privacy_text = (data.get("privacy_text") or "").strip()[:20000]
    organisation.retention_days = days
    organisation.colour = colour
    if data.get("remove_logo"):
        organisation.logo, organisation.logo_type = None, ""
    elif data.get("logo"):
        organisation.logo, organisation.logo_type = checked_logo(data["logo"])
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise Conflict(_l("There is already an organisation with this name."),
                       field="name") from None
    return organisation


LOGO_MAX_BYTES = 256 * 1024
LOGO_MAX_SIDE = 2000
LOGO_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}


def checked_logo(data):
    """(bytes, media type) of an uploaded logo: a real PNG or JPEG (decoded by Pillow, not
    trusted by its name), at most 256 KB and 2000 px a side. SVG is refused: it can hold
    script."""
    import io

    from PIL import Image, UnidentifiedImageError

    if len(data) > LOGO_MAX_BYTES:
        raise DomainError(_l("The logo may be at most 256 KB."), field="logo")
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, (width, height) = image.format, image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise DomainError(_l("Use a PNG or JPEG image for the logo."), field="logo") from None
    if kind not in LOGO_TYPES:
        raise DomainError(_l("Use a PNG or JPEG image for the logo."), field="logo")
    if max(width, height) > LOGO_MAX_SIDE:
        raise DomainError(_l("The logo may be at most 2000 pixels wide and high."),
                          field="logo")
    return data, LOGO_TYPES[kind]
