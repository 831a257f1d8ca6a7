"""Facilitator accounts and the install's one-time set-up marker."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from workshop.core.time import utcnow
from workshop.extensions import db


class Facilitator(UserMixin, db.Model):
    __tablename__ = "facilitators"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        db.ForeignKey("facilitators.id", ondelete="SET NULL")
    )
    # Bumped on every password change: sessions made before it stop working.
    session_version: Mapped[int] = mapped_column(default=1)
    # The installation's administrator (the first account): creates organisations.
    is_install_admin: Mapped[bool] = mapped_column(default=False)

    def get_id(self):
        return f"{self.id}:{self.session_version}"

    def __repr__(self):
        return f"<Facilitator {self.id} {self.email}>"


class InstallMarker(db.Model):
    """One row per one-time event of this install; the primary key makes it once only."""

    __tablename__ = "install_markers"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
