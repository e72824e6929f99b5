"""Answering in progress: a respondent's draft, and the single-use invitation codes of invitation mode.

A draft holds the answers typed so far, as typed, for one questionnaire version and one city. Its
random token lives only in the respondent's browser (a signed cookie), so answering is resumed on the
same device. Drafts are never responses and never counted: services.drafts.submit_draft turns one into
a Response in one transaction and empties it, keeping only the fact that it was submitted, so that a
replayed submit is recognised and stores nothing (idempotency).

Nothing here identifies a person: no address, no account. An invitation never records which response
it produced, and only the day it was used, so the list that says who got which code cannot be joined
to the answers.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._common import utcnow
from .cities import City
from .questionnaires import Questionnaire


class Invitation(db.Model):
    """One single-use code for one questionnaire version in one city (invitation mode)."""

    __tablename__ = "invitations"
    __table_args__ = (Index("ix_invitations_questionnaire_city", "questionnaire_id", "city_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id", ondelete="CASCADE"))
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id"))
    #: sha256 hex of the normalised code; the plain code is shown once, when generated, and never stored
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: the day (UTC) the code was spent on a submitted response; a day, not a moment, so that it cannot
    #: be matched to a response's submission time. Null = still usable.
    used_on: Mapped[date | None] = mapped_column()

    questionnaire: Mapped[Questionnaire] = relationship()
    city: Mapped[City] = relationship()


class ResponseDraft(db.Model):
    """Answers being given on the web, saved page by page until the final submit."""

    __tablename__ = "response_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: random (secrets.token_urlsafe); the respondent's browser holds it in a signed cookie
    token: Mapped[str] = mapped_column(String(64), unique=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id", ondelete="CASCADE"), index=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id"))
    #: the code that admitted the respondent (invitation mode); cleared on submit
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitations.id", ondelete="SET NULL"))
    #: {question name: text or list of choice names} exactly as posted, so a wrong answer is shown back
    #: as typed; checked page by page and in full on submit. Emptied on submit.
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    #: the page (1-based, survey.pages) to resume at
    page: Mapped[int] = mapped_column(default=1)
    #: the language the respondent last used (a platform language code)
    language: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)
    #: set in the submit's own transaction by a conditional UPDATE (... WHERE submitted_at IS NULL), so
    #: two concurrent submits of one draft cannot both store a response
    submitted_at: Mapped[datetime | None] = mapped_column()

    questionnaire: Mapped[Questionnaire] = relationship()
    city: Mapped[City] = relationship()
    invitation: Mapped[Invitation | None] = relationship()

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None
