"""A strategic plan and its work domains."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workshop.core.time import utcnow
from workshop.extensions import db
from workshop.orgs.models import Membership, Organisation

PLAN_STATUSES = ("draft", "review", "final")


class Plan(db.Model):
    __tablename__ = "plans"
    __table_args__ = (
        CheckConstraint("horizon_end >= horizon_start", name="horizon_order"),
        CheckConstraint("status IN ('draft', 'review', 'final')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The tenant that owns the plan (and through it workshops, rounds, indicators).
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    # The organisation's name as the plan's documents print it.
    organisation: Mapped[str] = mapped_column(String(200))
    mission: Mapped[str] = mapped_column(Text, default="")
    tagline: Mapped[str] = mapped_column(String(300), default="")
    horizon_start: Mapped[int]
    horizon_end: Mapped[int]
    status: Mapped[str] = mapped_column(String(16), default="draft")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("facilitators.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    domains: Mapped[list["Domain"]] = relationship(
        back_populates="plan",
        order_by="Domain.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    owner: Mapped[Organisation] = relationship()
    team: Mapped[list["PlanMember"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", passive_deletes=True)

    def __repr__(self):
        return f"<Plan {self.id} {self.title!r}>"


TEAM_ROLES = ("facilitator", "indicator_owner", "viewer")


class PlanMember(db.Model):
    """A member of the plan's organisation on the plan's team, with their role on it.

    It hangs on the membership: a member removed from the organisation leaves every
    team of it in the same delete.
    """

    __tablename__ = "plan_members"
    __table_args__ = (
        UniqueConstraint("plan_id", "membership_id"),
        CheckConstraint("role IN ('facilitator', 'indicator_owner', 'viewer')",
                        name="plan_member_role_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    plan: Mapped[Plan] = relationship(back_populates="team")
    membership: Mapped[Membership] = relationship()


class Domain(db.Model):
    __tablename__ = "domains"
    __table_args__ = (UniqueConstraint("plan_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    colour: Mapped[str] = mapped_column(String(7), default="#2f6f8f")
    position: Mapped[int] = mapped_column(default=0)

    plan: Mapped[Plan] = relationship(back_populates="domains")

    def __repr__(self):
        return f"<Domain {self.id} {self.name!r}>"
