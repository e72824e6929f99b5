"""Moderation of open suggestions: none is shown publicly before someone approves it."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._common import utcnow
from .responses import Answer


class ReviewStatus(str, enum.Enum):
    APPROVED = "approved"
    HIDDEN = "hidden"


class SuggestionReview(db.Model):
    """The decision on one free-text answer. No row: still waiting in the queue."""

    __tablename__ = "suggestion_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("response_answers.id", ondelete="CASCADE"), unique=True)
    #: approved | hidden
    status: Mapped[str] = mapped_column(String(20))
    #: the area the moderator filed it under (null: general)
    area_code: Mapped[str | None] = mapped_column(String(40))
    reviewed_by: Mapped[str] = mapped_column(String(254))
    reviewed_at: Mapped[datetime] = mapped_column(default=utcnow)

    answer: Mapped[Answer] = relationship()
