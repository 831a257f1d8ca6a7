"""Stakeholder review rounds on a plan version: links, reviewers and their comments."""

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workshop.core.time import utcnow
from workshop.extensions import db

REACTIONS = ("support", "concerns", "object")
DISPOSITIONS = ("accepted", "partly", "rejected", "noted")


class ReviewRound(db.Model):
    __tablename__ = "review_rounds"
    __table_args__ = (CheckConstraint("closes_at > opens_at", name="closes_after_opening"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"),
                                         index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id",
                                                       ondelete="RESTRICT"))
    title: Mapped[str] = mapped_column(String(200))
    invitation: Mapped[str] = mapped_column(Text, default="")
    opens_at: Mapped[dt.datetime]  # UTC
    closes_at: Mapped[dt.datetime]  # UTC
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Brussels")
    domain_ids: Mapped[str] = mapped_column(Text, default="[]")  # JSON list
    levels: Mapped[str] = mapped_column(Text, default="[]")  # JSON list
    named: Mapped[bool] = mapped_column(Boolean, default=True)
    # The shared link: its token is derived from this nonce and the app's secret key (so
    # the facilitator can copy it again, while the database alone reveals no link); the
    # hash finds the round. Both NULL once revoked.
    shared_nonce: Mapped[str | None] = mapped_column(String(64))
    shared_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    version = relationship("PlanVersion")
    links: Mapped[list["ReviewLink"]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="ReviewLink.id")


class ReviewLink(db.Model):
    """A personal link for one named stakeholder."""

    __tablename__ = "review_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("review_rounds.id", ondelete="CASCADE"),
                                          index=True)
    nonce: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    group_name: Mapped[str] = mapped_column(String(80), default="")
    revoked_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    round: Mapped[ReviewRound] = relationship(back_populates="links")


class Reviewer(db.Model):
    """Someone taking part in a round: via a personal link, or a browser on the shared one."""

    __tablename__ = "reviewers"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("review_rounds.id", ondelete="CASCADE"),
                                          index=True)
    link_id: Mapped[int | None] = mapped_column(
        ForeignKey("review_links.id", ondelete="CASCADE"), unique=True)
    browser_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    group_name: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Comment(db.Model):
    """A reviewer's reaction to one goal: one per reviewer and goal, editable until closing."""

    __tablename__ = "review_comments"
    __table_args__ = (
        UniqueConstraint("round_id", "reviewer_id", "item_id"),
        CheckConstraint("reaction IN ('support', 'concerns', 'object')", name="reaction_known"),
        CheckConstraint("disposition IS NULL OR disposition IN "
                        "('accepted', 'partly', 'rejected', 'noted')", name="disposition_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("review_rounds.id", ondelete="CASCADE"),
                                          index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("reviewers.id", ondelete="CASCADE"))
    item_id: Mapped[int]  # the goal's id in the round's plan version
    reaction: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text, default="")
    rewording: Mapped[str] = mapped_column(Text, default="")
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
    disposition: Mapped[str | None] = mapped_column(String(16))
    reply: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[dt.datetime | None]
    answered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("facilitators.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    reviewer: Mapped[Reviewer] = relationship()
