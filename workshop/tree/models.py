"""The plan's tree per work domain: ambitions → strategic goals → operational goals.

Every item keeps where it came from (the proposals and votes it was promoted from) and a
history of its changes; going to review or final snapshots a version of the whole plan.
"""

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workshop.core.time import utcnow
from workshop.extensions import db

LEVELS = ("ambition", "strategic_goal", "operational_goal")
PARENT_LEVEL = {"ambition": None, "strategic_goal": "ambition",
                "operational_goal": "strategic_goal"}
PLAN_FIELDS = ("mission", "tagline")


class PlanItem(db.Model):
    __tablename__ = "plan_items"
    __table_args__ = (
        CheckConstraint("level IN ('ambition', 'strategic_goal', 'operational_goal')",
                        name="level_known"),
        Index("ix_plan_items_plan_parent", "plan_id", "parent_id"),
        # Versions are compared by item id: SQLite must never hand a deleted item's id
        # to a new one.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    domain_id: Mapped[int] = mapped_column(ForeignKey("domains.id", ondelete="RESTRICT"),
                                           index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("plan_items.id",
                                                             ondelete="CASCADE"))
    level: Mapped[str] = mapped_column(String(24))
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)
    horizon_year: Mapped[int | None]  # strategic goals
    owner: Mapped[str] = mapped_column(String(120), default="")  # operational goals
    deadline: Mapped[str] = mapped_column(String(40), default="")  # a date or "2027 Q3"
    note: Mapped[str] = mapped_column(Text, default="")  # means, budget
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    children: Mapped[list["PlanItem"]] = relationship(
        order_by="PlanItem.position", cascade="all, delete-orphan", passive_deletes=True)
    domain = relationship("Domain")
    sources: Mapped[list["ItemSource"]] = relationship(
        back_populates="item", order_by="ItemSource.id")


class ItemSource(db.Model):
    """Provenance: a proposal (with its votes) that a plan item or field came from.

    A proposal is promoted at most once per plan (the unique key makes a second promote
    of the same winners impossible). The summary is kept as it was when promoted.
    """

    __tablename__ = "item_sources"
    __table_args__ = (UniqueConstraint("plan_id", "proposal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_items.id", ondelete="SET NULL"), index=True)
    field: Mapped[str | None] = mapped_column(String(16))  # mission / tagline
    proposal_id: Mapped[int | None] = mapped_column(
        ForeignKey("proposals.id", ondelete="SET NULL"))
    vote_step_id: Mapped[int | None] = mapped_column(
        ForeignKey("steps.id", ondelete="SET NULL"))
    summary: Mapped[str] = mapped_column(Text)  # JSON: texts, authors, workshop, results
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    item: Mapped[PlanItem | None] = relationship(back_populates="sources")


class ItemChange(db.Model):
    """One change to the plan: who, when, what, old → new. Text changes can be reverted."""

    __tablename__ = "item_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"),
                                         index=True)
    item_id: Mapped[int | None] = mapped_column(index=True)  # kept after the item is gone
    action: Mapped[str] = mapped_column(String(16))  # created, edited, moved, merged, …
    field: Mapped[str | None] = mapped_column(String(24))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("facilitators.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    actor = relationship("Facilitator")


class PlanVersion(db.Model):
    """The whole plan as it stood when it went to review or final."""

    __tablename__ = "plan_versions"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    number: Mapped[int]
    status: Mapped[str] = mapped_column(String(16))
    content: Mapped[str] = mapped_column(Text)  # JSON
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("facilitators.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
