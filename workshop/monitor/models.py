"""Indicators on goals, their measurements over time, and each plan's monitoring settings."""

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workshop.core.time import utcnow
from workshop.extensions import db

DIRECTIONS = ("up", "down", "range")
FREQUENCIES = ("monthly", "quarterly", "yearly")
GOAL_LEVELS = ("strategic_goal", "operational_goal")


class Indicator(db.Model):
    """A measurable sign of progress on one strategic or operational goal."""

    __tablename__ = "indicators"
    __table_args__ = (
        CheckConstraint("direction IN ('up', 'down', 'range')", name="direction_known"),
        CheckConstraint("frequency IN ('monthly', 'quarterly', 'yearly')",
                        name="frequency_known"),
        CheckConstraint("range_low IS NULL OR range_high IS NULL OR range_low <= range_high",
                        name="range_order"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"),
                                         index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("plan_items.id", ondelete="CASCADE"),
                                         index=True)
    name: Mapped[str] = mapped_column(String(200))
    definition: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[str] = mapped_column(String(40), default="")
    direction: Mapped[str] = mapped_column(String(8), default="up")
    baseline_value: Mapped[float | None]
    baseline_date: Mapped[dt.date | None] = mapped_column(Date)
    target_value: Mapped[float | None]
    target_date: Mapped[dt.date | None] = mapped_column(Date)
    range_low: Mapped[float | None]
    range_high: Mapped[float | None]
    frequency: Mapped[str] = mapped_column(String(12), default="quarterly")
    owner: Mapped[str] = mapped_column(String(120), default="")
    # The account that reports its figures (an indicator owner, or anyone who may edit).
    reporter_id: Mapped[int | None] = mapped_column(
        ForeignKey("facilitators.id", ondelete="SET NULL"), index=True)
    data_source: Mapped[str] = mapped_column(String(300), default="")
    position: Mapped[int] = mapped_column(default=0)
    # Promoted from a workshop vote: its provenance record (proposal, votes, authors).
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("item_sources.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    item = relationship("PlanItem")
    source = relationship("ItemSource")
    reporter = relationship("Facilitator")
    plan = relationship("Plan")
    measurements: Mapped[list["Measurement"]] = relationship(
        back_populates="indicator", order_by="Measurement.date",
        cascade="all, delete-orphan", passive_deletes=True)


class Measurement(db.Model):
    """One value of an indicator on one date (at most one per date)."""

    __tablename__ = "measurements"
    __table_args__ = (
        UniqueConstraint("indicator_id", "date"),
        # The history names measurements by id, and a stale page acts by id: SQLite must
        # never hand a deleted measurement's id to a new one.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"))
    date: Mapped[dt.date] = mapped_column(Date)
    value: Mapped[float]
    note: Mapped[str] = mapped_column(String(500), default="")
    entered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("facilitators.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    indicator: Mapped[Indicator] = relationship(back_populates="measurements")
    entered_by = relationship("Facilitator")


class MeasurementChange(db.Model):
    """The history of measurements: added, edited, deleted or imported — old and new."""

    __tablename__ = "measurement_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"),
                                              index=True)
    measurement_id: Mapped[int | None]  # kept after the measurement is deleted
    action: Mapped[str] = mapped_column(String(12))
    old_value: Mapped[str | None] = mapped_column(Text)  # JSON {"date", "value", "note"}
    new_value: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("facilitators.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    actor = relationship("Facilitator")


class MonitorSettings(db.Model):
    """Per plan: the status thresholds, and the public progress link (if switched on)."""

    __tablename__ = "monitor_settings"
    __table_args__ = (
        CheckConstraint("on_track_tolerance >= 0 AND off_track_tolerance >= on_track_tolerance",
                        name="tolerances_order"),
    )

    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"),
                                         primary_key=True)
    on_track_tolerance: Mapped[float] = mapped_column(default=10.0)
    off_track_tolerance: Mapped[float] = mapped_column(default=25.0)
    # Like review links: the token is an HMAC of this nonce under SECRET_KEY; the hash
    # finds the plan. Both NULL while there is no public link.
    public_nonce: Mapped[str | None] = mapped_column(String(64))
    public_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
