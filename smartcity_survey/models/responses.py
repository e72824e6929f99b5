"""Responses: one respondent's submitted answers to one questionnaire, stored whole on final submit.

Answers are rows of (response, question, ordinal, value_text, value_number) so that every answer of
a questionnaire is one indexed scan: a rating is value_text "1".."5" with value_number 1..5, or "dk"
with value_number null; a multiple choice or ranking answer is one row per chosen item (ordinal
1, 2, ... in the order stored: choice order, or rank order for rankings); everything else has
ordinal 0. Drafts are never stored here.
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._common import utcnow
from .cities import City
from .questionnaires import Question, Questionnaire


class ResponseSource(str, enum.Enum):
    WEB = "web"
    IMPORT = "import"  # paper and phone surveys, `flask responses import`


class Response(db.Model):
    __tablename__ = "responses"
    __table_args__ = (
        # one response per respondent id (imports); web responses have none
        UniqueConstraint("questionnaire_id", "respondent_id"),
        Index("ix_responses_questionnaire_city", "questionnaire_id", "city_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id"))
    #: the city the response counts for (the city of the link or of the import row)
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id"))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: web | import
    source: Mapped[str] = mapped_column(String(20))
    #: the survey organisation's id of the respondent (imports only); never a personal identifier
    respondent_id: Mapped[str | None] = mapped_column(String(100))
    #: survey weight from the import file; null = 1
    weight: Mapped[float | None] = mapped_column()
    #: the language the questionnaire was answered in (language key); null when unknown (imports)
    language: Mapped[str | None] = mapped_column(String(40))

    questionnaire: Mapped[Questionnaire] = relationship()
    city: Mapped[City] = relationship()
    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", order_by="Answer.id")


class Answer(db.Model):
    __tablename__ = "response_answers"
    __table_args__ = (UniqueConstraint("response_id", "question_id", "ordinal"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    #: 0 for single values; 1, 2, ... for the items of a multiple choice or ranking answer
    ordinal: Mapped[int] = mapped_column(default=0)
    #: the choice name, the text, or the number as entered
    value_text: Mapped[str | None] = mapped_column(Text)
    #: ratings 1-5, integers and decimals; null for text, choices and "don't know"
    value_number: Mapped[float | None] = mapped_column()

    response: Mapped[Response] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()
