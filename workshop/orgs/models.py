"""An organisation, its members (an account with a role) and invitations."""

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workshop.core.time import utcnow
from workshop.extensions import db

# administrator: members, roles and settings, and everything below on every plan;
# facilitator: plans they create or are on the team of; indicator owner: their
# indicators' figures and their plans' dashboards; viewer: reads what they are given.
ROLES = ("administrator", "facilitator", "indicator_owner", "viewer")
_ROLE_CHECK = "role IN ('administrator', 'facilitator', 'indicator_owner', 'viewer')"


class Organisation(db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    # Shown from the join and stakeholder pages; empty: the default notice.
    privacy_text: Mapped[str] = mapped_column(Text, default="")
    # Days after a workshop ends or a round closes before names are anonymised.
    retention_days: Mapped[int] = mapped_column(Integer, default=365)
    # Its colour (#rrggbb) and logo (PNG or JPEG, checked), on the pages participants
    # and stakeholders see.
    colour: Mapped[str] = mapped_column(String(7), default="#1f5f8b")
    logo: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    logo_type: Mapped[str] = mapped_column(String(20), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    members: Mapped[list["Membership"]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", passive_deletes=True)

    def __repr__(self):
        return f"<Organisation {self.id} {self.name!r}>"


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("organisation_id", "account_id"),
        CheckConstraint(_ROLE_CHECK, name="membership_role_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("facilitators.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship(back_populates="members")
    account = relationship("Facilitator")


class Invitation(db.Model):
    """A one-time, expiring link that makes its holder a member with `role`."""

    __tablename__ = "invitations"
    __table_args__ = (CheckConstraint(_ROLE_CHECK, name="invitation_role_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(20))
    # The link's token is derived from the nonce (core.links): it can be shown again.
    nonce: Mapped[str] = mapped_column(String(32))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("facilitators.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    organisation: Mapped[Organisation] = relationship()


class AuditEntry(db.Model):
    """Who did what, when, in an organisation. Written by `orgs.audit.record` in the same
    transaction as the change; no part of the app updates or deletes one."""

    __tablename__ = "audit_entries"
    __table_args__ = (db.Index("ix_audit_entries_organisation_at", "organisation_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("facilitators.id", ondelete="SET NULL"))
    # The actor as they were (name and e-mail), kept when the account goes.
    actor_label: Mapped[str] = mapped_column(String(400), default="")
    action: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(300), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
