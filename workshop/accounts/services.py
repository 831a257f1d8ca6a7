"""Rules for facilitator accounts. They flush and never commit: the page or command
that calls them commits each change once (`realtime.executor.execute`)."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from workshop.accounts.models import Facilitator, InstallMarker
from workshop.core.errors import Conflict, DomainError
from workshop.extensions import db
from workshop.orgs import audit
from workshop.orgs import services as orgs

MIN_PASSWORD_LENGTH = 10
FIRST_FACILITATOR = "first_facilitator"

_hasher = PasswordHasher()
# Verifying against this keeps an unknown e-mail as slow as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def normalise_email(email):
    return (email or "").strip().lower()


def check_password_rules(password):
    """Raise DomainError when `password` is too weak to protect a facilitator account."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise DomainError(
            lazy_ngettext("Use at least %(num)d character.", "Use at least %(num)d characters.",
                          MIN_PASSWORD_LENGTH), field="password"
        )
    if len(set(password)) < 4:
        raise DomainError(_l("Use a less repetitive password."), field="password")


def count_facilitators():
    """How many facilitator accounts exist."""
    return db.session.scalar(select(func.count()).select_from(Facilitator))


def get_facilitator(facilitator_id):
    """The facilitator with this id, or None."""
    return db.session.get(Facilitator, facilitator_id)


def list_facilitators():
    """All facilitators, by name."""
    return db.session.scalars(select(Facilitator).order_by(Facilitator.name)).all()


def _new_facilitator(email, name, password, created_by=None):
    email = normalise_email(email)
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        raise DomainError(
            _l("Enter a valid e-mail address, like name@example.org."), field="email"
        ) from None
    name = (name or "").strip()
    if not name:
        raise DomainError(_l("Fill in a name."), field="name")
    check_password_rules(password)
    facilitator = Facilitator(
        email=email,
        name=name,
        password_hash=_hasher.hash(password),
        created_by_id=created_by.id if created_by else None,
    )
    db.session.add(facilitator)
    return facilitator


def create_first_facilitator(email, name, password, organisation_name=None):
    """First-run set-up: the first account, the installation's administrator and the
    administrator of its first organisation; refused once any account exists.

    The marker row's primary key makes two simultaneous set-ups impossible: the
    second insert fails in the database, not in a Python check.
    """
    try:
        with db.session.begin_nested():
            facilitator = _new_facilitator(email, name, password)
            facilitator.is_install_admin = True
            db.session.add(InstallMarker(key=FIRST_FACILITATOR))
    except IntegrityError:
        raise Conflict(_l("Koers has already been set up: log in with your account.")) from None
    orgs.add_member(orgs.home_organisation(organisation_name), facilitator, "administrator")
    return facilitator


def create_facilitator(email, name, password, created_by=None, organisation=None,
                       role="administrator"):
    """An account made from the shell (or a seed): a member with `role` of
    `organisation`, by default the installation's first one."""
    # The first account made from the shell counts as the set-up too.
    marker_missing = db.session.get(InstallMarker, FIRST_FACILITATOR) is None
    try:
        with db.session.begin_nested():
            facilitator = _new_facilitator(email, name, password, created_by)
            if marker_missing:
                facilitator.is_install_admin = True
                db.session.add(InstallMarker(key=FIRST_FACILITATOR))
    except IntegrityError:
        email_taken = db.session.scalar(
            select(Facilitator.id).where(Facilitator.email == normalise_email(email))
        )
        if marker_missing and not email_taken:
            # Lost a race with a parallel first set-up: add it as a normal account.
            return create_facilitator(email, name, password, created_by, organisation, role)
        raise Conflict(
            _l("There is already an account with this e-mail address."), field="email"
        ) from None
    orgs.add_member(organisation or orgs.home_organisation(), facilitator, role)
    return facilitator


def create_invited_account(email, name, password):
    """An account for someone who follows an invitation (the invitation makes them a
    member, see orgs.services.accept)."""
    try:
        with db.session.begin_nested():
            return _new_facilitator(email, name, password)
    except IntegrityError:
        raise Conflict(_l("There is already an account with this e-mail address: log in "
                          "with it to accept the invitation."), field="email") from None


def authenticate(email, password):
    """Return the facilitator for these credentials, or None. Upgrades old hashes."""
    facilitator = db.session.scalar(
        select(Facilitator).where(Facilitator.email == normalise_email(email))
    )
    try:
        _hasher.verify(facilitator.password_hash if facilitator else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        if facilitator is not None:
            audit.record_for_account(facilitator, "sign_in_failed", facilitator.email)
        return None
    if facilitator is None:
        return None
    audit.record_for_account(facilitator, "sign_in", facilitator.email, facilitator)
    if _hasher.check_needs_rehash(facilitator.password_hash):
        facilitator.password_hash = _hasher.hash(password)
        db.session.flush()
    return facilitator


def change_password(facilitator, current_password, new_password):
    """A facilitator changes their own password; other sessions of theirs end."""
    try:
        _hasher.verify(facilitator.password_hash, current_password or "")
    except (VerificationError, InvalidHashError):
        raise DomainError(
            _l("That is not your current password."), field="current_password"
        ) from None
    try:
        check_password_rules(new_password)
    except DomainError as error:
        error.field = "new_password"
        raise
    facilitator.password_hash = _hasher.hash(new_password)
    facilitator.session_version = Facilitator.session_version + 1
    db.session.flush()
    db.session.refresh(facilitator)
    return facilitator


def load_by_session_id(session_id):
    """Flask-Login: the facilitator for '<id>:<version>', None if stale or unknown."""
    try:
        raw_id, raw_version = str(session_id).split(":", 1)
        facilitator = db.session.get(Facilitator, int(raw_id))
        version = int(raw_version)
    except (TypeError, ValueError):
        return None
    if facilitator is None or facilitator.session_version != version:
        return None
    return facilitator
