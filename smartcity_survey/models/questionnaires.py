"""Questionnaires residents and businesses answer: versions, per-city opening, sections, questions, choices.

A questionnaire is identified by (slug, version). Its definition (sections, questions, choices) is
frozen once it has responses; a change then means a new version (services.questionnaires.new_version).
Lifecycle: draft -> open -> closed, with each city opened and closed on its own while open.
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import questionnaire_spec as spec
from ..extensions import db
from ..services import DomainError
from ._common import aware, utcnow
from .cities import City


class QuestionnaireStatus(str, enum.Enum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class Audience(str, enum.Enum):
    RESIDENT = "resident"
    BUSINESS = "business"


class Questionnaire(db.Model):
    __tablename__ = "questionnaires"
    __table_args__ = (UniqueConstraint("slug", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the XLSForm's form_id
    slug: Mapped[str] = mapped_column(String(80), index=True)
    version: Mapped[int] = mapped_column(default=1)
    #: resident | business
    audience: Mapped[str] = mapped_column(String(20))
    #: the assessment year whose official scores the answers are set against
    year: Mapped[int] = mapped_column()
    #: {language key: title}: form_title and form_title_<code>
    title: Mapped[dict] = mapped_column(JSON, default=dict)
    #: draft -> open -> closed
    status: Mapped[str] = mapped_column(String(20), default=QuestionnaireStatus.DRAFT.value)
    opens_at: Mapped[datetime | None] = mapped_column()
    closes_at: Mapped[datetime | None] = mapped_column()
    #: [{"key": "en", "header": "English (en)"}, ...] in column order; header null = plain column
    languages: Mapped[list] = mapped_column(JSON, default=list)
    #: the settings sheet's default_language as written ("" when absent)
    default_language: Mapped[str] = mapped_column(String(80), default="")
    #: other XLSForm settings kept for export (version, instance_name, style)
    settings: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    sections: Mapped[list[Section]] = relationship(
        back_populates="questionnaire", order_by="Section.position", cascade="all, delete-orphan")
    questions: Mapped[list[Question]] = relationship(
        back_populates="questionnaire", order_by="Question.position", cascade="all, delete-orphan")
    choices: Mapped[list[Choice]] = relationship(
        back_populates="questionnaire", order_by="Choice.position", cascade="all, delete-orphan")
    cities: Mapped[list[QuestionnaireCity]] = relationship(
        back_populates="questionnaire", cascade="all, delete-orphan")

    # Reading --------------------------------------------------------------------------------------
    def title_in(self, language: str) -> str:
        return spec.text_in(self.title, language, fallback=self.slug)

    @property
    def language_keys(self) -> list[str]:
        return [language["key"] for language in self.languages]

    def city_entry(self, city: City) -> QuestionnaireCity | None:
        return next((entry for entry in self.cities if entry.city_id == city.id), None)

    @property
    def response_count(self) -> int:
        from .responses import Response

        return db.session.scalar(select(func.count(Response.id)).where(Response.questionnaire_id == self.id)) or 0

    def accepts_answers_in(self, city: City) -> bool:
        """Open, and open in this city (the time window aside: see is_accepting)."""
        entry = self.city_entry(city)
        return self.status == QuestionnaireStatus.OPEN.value and entry is not None and entry.is_open

    def is_accepting(self, city: City, now: datetime) -> bool:
        """What the answering page asks: open in the city and inside [opens_at, closes_at)."""
        if not self.accepts_answers_in(city):
            return False
        return (self.opens_at is None or aware(self.opens_at) <= now) and \
            (self.closes_at is None or now < aware(self.closes_at))

    # Transitions ----------------------------------------------------------------------------------
    def ensure_editable(self) -> None:
        """Questions, sections and choices are frozen once anyone has answered."""
        count = self.response_count
        if count:
            raise DomainError(f"questionnaire {self.slug} version {self.version} has {count} response(s); its "
                              "questions can no longer change: make a new version instead")

    def open(self, cities: list[City], now: datetime, closes_at: datetime | None = None) -> None:
        """Open (a draft, or more cities of an open questionnaire) in the given cities."""
        if self.status == QuestionnaireStatus.CLOSED.value:
            raise DomainError(f"questionnaire {self.slug} version {self.version} is closed and is not reopened; "
                              "make a new version instead")
        if not any(q.type != spec.NOTE for q in self.questions):
            raise DomainError(f"questionnaire {self.slug} has no question to answer")
        if not cities:
            raise DomainError("no city to open the questionnaire in")
        if closes_at is not None and aware(closes_at) <= now:
            raise DomainError("the closing time must be in the future")
        for city in cities:
            entry = self.city_entry(city) or _added(self.cities, QuestionnaireCity(city=city))
            entry.is_open, entry.opened_at, entry.closed_at = True, now, None
        if self.status == QuestionnaireStatus.DRAFT.value:
            self.status = QuestionnaireStatus.OPEN.value
            self.opens_at = self.opens_at or now
        if closes_at is not None:
            self.closes_at = closes_at

    def close(self, cities: list[City] | None, now: datetime) -> None:
        """Close some cities (the questionnaire stays open), or, with cities None, the whole questionnaire."""
        if self.status != QuestionnaireStatus.OPEN.value:
            raise DomainError(f"questionnaire {self.slug} version {self.version} is {self.status}, not open")
        if cities is not None:
            for city in cities:
                entry = self.city_entry(city)
                if entry is None or not entry.is_open:
                    raise DomainError(f"questionnaire {self.slug} is not open in {city.slug}")
                entry.is_open, entry.closed_at = False, now
            return
        for entry in self.cities:
            if entry.is_open:
                entry.is_open, entry.closed_at = False, now
        self.status = QuestionnaireStatus.CLOSED.value
        if self.closes_at is None or aware(self.closes_at) > now:
            self.closes_at = now

    # Plain data -----------------------------------------------------------------------------------
    def to_definition(self) -> spec.FormDefinition:
        """The definition as the XLSForm reader produced it; what validation and export work on."""
        return spec.FormDefinition(
            slug=self.slug, title=dict(self.title), default_language=self.default_language,
            languages=tuple(spec.Language(item["key"], item["header"]) for item in self.languages),
            sections=tuple(s.to_definition() for s in self.sections),
            questions=tuple(q.to_definition() for q in self.questions),
            choices=tuple(c.to_definition() for c in self.choices), settings=dict(self.settings))


def _added(collection: list, item):
    collection.append(item)
    return item


class QuestionnaireCity(db.Model):
    """A city the questionnaire runs in, opened and closed on its own."""

    __tablename__ = "questionnaire_cities"
    __table_args__ = (UniqueConstraint("questionnaire_id", "city_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id", ondelete="CASCADE"))
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id"))
    is_open: Mapped[bool] = mapped_column(default=False)
    opened_at: Mapped[datetime | None] = mapped_column()
    closed_at: Mapped[datetime | None] = mapped_column()

    questionnaire: Mapped[Questionnaire] = relationship(back_populates="cities")
    city: Mapped[City] = relationship()


class Section(db.Model):
    """An XLSForm group; every questionnaire has a root section (name "") for ungrouped questions."""

    __tablename__ = "questionnaire_sections"
    __table_args__ = (UniqueConstraint("questionnaire_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id", ondelete="CASCADE"))
    #: the enclosing section; null only for the root
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("questionnaire_sections.id"))
    name: Mapped[str] = mapped_column(String(100))
    #: order among all sections and questions of the form (root 0)
    position: Mapped[int] = mapped_column()
    labels: Mapped[dict] = mapped_column(JSON, default=dict)
    #: skip logic for the whole group (expressions.py subset)
    relevant: Mapped[str] = mapped_column(Text, default="")
    appearance: Mapped[str] = mapped_column(String(200), default="")

    questionnaire: Mapped[Questionnaire] = relationship(back_populates="sections")
    parent: Mapped[Section | None] = relationship(remote_side="Section.id")

    def label_in(self, language: str) -> str:
        return spec.text_in(self.labels, language)

    def to_definition(self) -> spec.SectionDef:
        return spec.SectionDef(name=self.name, parent=self.parent.name if self.parent else None,
                               position=self.position, labels=dict(self.labels), relevant=self.relevant,
                               appearance=self.appearance)


class Question(db.Model):
    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("questionnaire_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id", ondelete="CASCADE"))
    section_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_sections.id"))
    name: Mapped[str] = mapped_column(String(100))
    #: questionnaire_spec.QUESTION_TYPES: rating single multiple ranking integer decimal text long_text note
    type: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column()
    labels: Mapped[dict] = mapped_column(JSON, default=dict)
    hints: Mapped[dict] = mapped_column(JSON, default=dict)
    required: Mapped[bool] = mapped_column(default=False)
    required_message: Mapped[dict] = mapped_column(JSON, default=dict)
    #: skip logic and validation rule, in the expressions.py subset ("" = none)
    relevant: Mapped[str] = mapped_column(Text, default="")
    constraint: Mapped[str] = mapped_column(Text, default="")
    constraint_message: Mapped[dict] = mapped_column(JSON, default=dict)
    appearance: Mapped[str] = mapped_column(String(200), default="")
    #: the Choice.list_name of a choice question
    choice_list: Mapped[str | None] = mapped_column(String(100))
    #: rating questions: the standard area and optionally one indicator they speak to (codes)
    area_code: Mapped[str | None] = mapped_column(String(40), index=True)
    indicator_code: Mapped[str | None] = mapped_column(String(60))
    #: limits derived from the constraint at import (see expressions.derive_bounds)
    min_value: Mapped[float | None] = mapped_column()
    max_value: Mapped[float | None] = mapped_column()
    min_choices: Mapped[int | None] = mapped_column()
    max_choices: Mapped[int | None] = mapped_column()
    max_length: Mapped[int | None] = mapped_column()

    questionnaire: Mapped[Questionnaire] = relationship(back_populates="questions")
    section: Mapped[Section] = relationship()

    def label_in(self, language: str) -> str:
        return spec.text_in(self.labels, language, fallback=self.name)

    def hint_in(self, language: str) -> str:
        return spec.text_in(self.hints, language)

    def to_definition(self) -> spec.QuestionDef:
        return spec.QuestionDef(
            name=self.name, type=self.type, section=self.section.name, position=self.position,
            labels=dict(self.labels), hints=dict(self.hints), required=self.required,
            required_message=dict(self.required_message), relevant=self.relevant, constraint=self.constraint,
            constraint_message=dict(self.constraint_message), appearance=self.appearance,
            choice_list=self.choice_list, area=self.area_code, indicator=self.indicator_code,
            min_value=self.min_value, max_value=self.max_value, min_choices=self.min_choices,
            max_choices=self.max_choices, max_length=self.max_length)


class Choice(db.Model):
    """One option of a named choice list (lists belong to the questionnaire, as on the choices sheet)."""

    __tablename__ = "choices"
    __table_args__ = (UniqueConstraint("questionnaire_id", "list_name", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id", ondelete="CASCADE"))
    list_name: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(100))
    labels: Mapped[dict] = mapped_column(JSON, default=dict)
    position: Mapped[int] = mapped_column()

    questionnaire: Mapped[Questionnaire] = relationship(back_populates="choices")

    def label_in(self, language: str) -> str:
        return spec.text_in(self.labels, language, fallback=self.name)

    def to_definition(self) -> spec.ChoiceDef:
        return spec.ChoiceDef(self.list_name, self.name, dict(self.labels))
