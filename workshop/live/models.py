"""Live workshops: the workshop, its groups and agenda, participants and proposals."""

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workshop.core.time import utcnow
from workshop.extensions import db

STEP_KINDS = ("info", "collect", "vote")
VOTE_METHODS = ("dots", "score", "rank")
REVEAL_MODES = ("hidden", "presenter", "everyone")
STEP_STATES = ("pending", "open", "paused", "closed")
ITEM_KINDS = (
    "mission",
    "tagline",
    "ambition",
    "strategic_goal",
    "operational_goal",
    "indicator",
)
# Item kinds that belong to the plan as a whole rather than to one work domain.
PLAN_LEVEL_KINDS = ("mission", "tagline")
PROPOSAL_STATES = ("pending", "visible", "hidden", "withdrawn", "merged")
WORKSHOP_STATES = ("draft", "running", "finished")


class Workshop(db.Model):
    __tablename__ = "workshops"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'running', 'finished')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    date: Mapped[dt.date | None] = mapped_column(Date)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    joining_open: Mapped[bool] = mapped_column(Boolean, default=True)
    premoderation: Mapped[bool] = mapped_column(Boolean, default=False)
    # A group's results are shown apart only from this many voters on (privacy).
    min_group_size: Mapped[int] = mapped_column(default=5)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    live_step_id: Mapped[int | None] = mapped_column(
        ForeignKey("steps.id", ondelete="SET NULL", use_alter=True)
    )
    # Bumped in the same transaction as every change: the console/presenter stream.
    version: Mapped[int] = mapped_column(default=0)
    # Bumped only by changes phones see (steps, timer, settings): the room stream.
    stage_version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    plan = relationship("Plan")
    groups: Mapped[list["WorkshopGroup"]] = relationship(
        back_populates="workshop", order_by="WorkshopGroup.position",
        cascade="all, delete-orphan", passive_deletes=True,
    )
    steps: Mapped[list["Step"]] = relationship(
        back_populates="workshop", order_by="Step.position",
        cascade="all, delete-orphan", passive_deletes=True,
        foreign_keys="Step.workshop_id",
    )
    live_step: Mapped["Step | None"] = relationship(foreign_keys=[live_step_id], post_update=True)


class WorkshopGroup(db.Model):
    __tablename__ = "workshop_groups"
    __table_args__ = (UniqueConstraint("workshop_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0)

    workshop: Mapped[Workshop] = relationship(back_populates="groups")


step_domains = db.Table(
    "step_domains",
    db.Column("step_id", ForeignKey("steps.id", ondelete="CASCADE"), primary_key=True),
    db.Column("domain_id", ForeignKey("domains.id", ondelete="CASCADE"), primary_key=True),
)


# A collect step can ask for children of given plan items ("goals for ambition X").
step_parent_items = db.Table(
    "step_parent_items",
    db.Column("step_id", ForeignKey("steps.id", ondelete="CASCADE"), primary_key=True),
    db.Column("item_id", ForeignKey("plan_items.id", ondelete="CASCADE"), primary_key=True),
)


class Step(db.Model):
    __tablename__ = "steps"
    __table_args__ = (
        CheckConstraint("kind IN ('info', 'collect', 'vote')", name="kind_known"),
        CheckConstraint("state IN ('pending', 'open', 'paused', 'closed')", name="state_known"),
        CheckConstraint("max_length BETWEEN 10 AND 2000", name="max_length_range"),
        CheckConstraint("max_per_participant BETWEEN 1 AND 100", name="max_per_range"),
        CheckConstraint("vote_method IS NULL OR vote_method IN ('dots', 'score', 'rank')",
                        name="vote_method_known"),
        CheckConstraint("reveal IN ('hidden', 'presenter', 'everyone')", name="reveal_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    # collect steps
    item_kind: Mapped[str | None] = mapped_column(String(32))
    max_length: Mapped[int] = mapped_column(default=280)
    max_per_participant: Mapped[int] = mapped_column(default=5)
    # True: max_per_participant counts in each work domain; False: over the whole step.
    limit_per_domain: Mapped[bool] = mapped_column(Boolean, default=False)
    time_limit_seconds: Mapped[int | None]
    # vote steps: what is voted on, how, and who sees the results
    source_step_id: Mapped[int | None] = mapped_column(ForeignKey("steps.id",
                                                                  ondelete="SET NULL"))
    vote_method: Mapped[str | None] = mapped_column(String(16))
    dot_budget: Mapped[int] = mapped_column(default=5)
    budget_per_domain: Mapped[bool] = mapped_column(Boolean, default=True)
    max_per_item: Mapped[int] = mapped_column(default=3)
    score_max: Mapped[int] = mapped_column(default=5)  # scale 1–5, or 0–10
    score_low_label: Mapped[str] = mapped_column(String(40), default="")
    score_high_label: Mapped[str] = mapped_column(String(40), default="")
    rank_top: Mapped[int] = mapped_column(default=3)
    shuffle: Mapped[bool] = mapped_column(Boolean, default=True)
    reveal: Mapped[str] = mapped_column(String(16), default="hidden")
    # The presenter's results wall shows the top N items per domain ("and N more");
    # None shows every item, paging through them when they do not fit the screen.
    presenter_top: Mapped[int | None]
    # Bumped by every vote, in the vote's transaction: a tally's sequence number.
    vote_seq: Mapped[int] = mapped_column(default=0)
    # run state
    state: Mapped[str] = mapped_column(String(16), default="pending")
    ends_at: Mapped[dt.datetime | None]  # deadline while open with a time box
    remaining_seconds: Mapped[int | None]  # frozen time left while paused

    workshop: Mapped[Workshop] = relationship(back_populates="steps", foreign_keys=[workshop_id])
    source_step: Mapped["Step | None"] = relationship(remote_side=[id],
                                                      foreign_keys=[source_step_id])
    domains = relationship("Domain", secondary=step_domains, order_by="Domain.position")
    parent_items = relationship("PlanItem", secondary=step_parent_items,
                                order_by="PlanItem.position")


class Participant(db.Model):
    __tablename__ = "participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    # Only a hash of the secret token is stored; the phone keeps the token.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(60))
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("workshop_groups.id", ondelete="SET NULL"), index=True
    )
    joined_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    group: Mapped[WorkshopGroup | None] = relationship()


class Proposal(db.Model):
    __tablename__ = "proposals"
    __table_args__ = (
        CheckConstraint(
            "status IN ('pending', 'visible', 'hidden', 'withdrawn', 'merged')",
            name="status_known",
        ),
        CheckConstraint("merged_into_id IS NULL OR status = 'merged'", name="merge_consistent"),
        Index("ix_proposals_step_status", "step_id", "status"),
        # A participant holds at most max_per_participant slots in a step: the slot
        # number is unique, so two simultaneous submissions cannot both take the last one.
        UniqueConstraint("participant_id", "step_id", "slot"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    step_id: Mapped[int] = mapped_column(ForeignKey("steps.id", ondelete="CASCADE"))
    domain_id: Mapped[int | None] = mapped_column(ForeignKey("domains.id", ondelete="RESTRICT"))
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), index=True
    )
    item_kind: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    slot: Mapped[int | None]  # NULL once withdrawn (frees the slot) or added by staff
    status: Mapped[str] = mapped_column(String(16), default="visible")
    # What the proposal was before it was merged, so a merge can be undone exactly.
    status_before_merge: Mapped[str | None] = mapped_column(String(16))
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("proposals.id", ondelete="SET NULL"), index=True
    )
    # Proposed as a child of this plan item (a cascade step).
    parent_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_items.id", ondelete="SET NULL"))
    # Stands for this plan item on a ballot (a vote on plan items).
    plan_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_items.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    participant: Mapped[Participant | None] = relationship()
    domain = relationship("Domain")


class LiveConnection(db.Model):
    """One open Socket.IO connection: who is in the room, counted per group."""

    __tablename__ = "live_connections"

    sid: Mapped[str] = mapped_column(String(64), primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE")
    )
    role: Mapped[str] = mapped_column(String(16))
    # Staff connections: whose, and which log-in (so log-out can end them in any process).
    facilitator_id: Mapped[int | None] = mapped_column(index=True)
    login_key: Mapped[str | None] = mapped_column(String(16), index=True)
    # host:pid of the serving process, so a restarted process can drop its dead rows.
    process: Mapped[str] = mapped_column(String(120), index=True)
    connected_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
