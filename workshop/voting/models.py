"""Votes and dot budgets. The database, not Python, keeps them honest."""

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workshop.core.time import utcnow
from workshop.extensions import db


class Vote(db.Model):
    """One participant's dots, score or rank position for one proposal in one vote step."""

    __tablename__ = "votes"
    __table_args__ = (
        # One vote-set per participant: a second row for the same item is impossible.
        UniqueConstraint("step_id", "participant_id", "proposal_id"),
        CheckConstraint("value >= 0", name="value_not_negative"),
        CheckConstraint("method IN ('dots', 'score', 'rank')", name="method_known"),
        # Ranking: one item per position per participant and domain.
        Index("uq_votes_rank_position", "step_id", "participant_id", "scope", "value",
              unique=True, sqlite_where=db.text("method = 'rank'"),
              postgresql_where=db.text("method = 'rank'")),
        Index("ix_votes_step_proposal", "step_id", "proposal_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("steps.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    method: Mapped[str] = mapped_column(String(8))
    scope: Mapped[int] = mapped_column(default=0)  # the domain id, 0 for plan-wide items
    value: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class DotBudget(db.Model):
    """Dots a participant has spent in a step (per domain, or scope 0 for the whole step)."""

    __tablename__ = "dot_budgets"
    __table_args__ = (
        CheckConstraint("spent >= 0 AND spent <= budget", name="within_budget"),
    )

    step_id: Mapped[int] = mapped_column(ForeignKey("steps.id", ondelete="CASCADE"),
                                         primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True)
    scope: Mapped[int] = mapped_column(primary_key=True)
    budget: Mapped[int]
    spent: Mapped[int] = mapped_column(default=0)


