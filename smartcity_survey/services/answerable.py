"""What the public can answer, and where: the questionnaire version behind a public link, and the
questionnaires open now, per city, for the picker page. Read-only."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import AccessMode, City, Questionnaire, QuestionnaireCity, QuestionnaireStatus
from . import DomainError
from .questionnaires import require_questionnaire


def public_questionnaire(slug: str) -> Questionnaire | None:
    """The version a public link /q/<slug>/… stands for: the open one (at most one version of a slug is
    open), else the latest closed one (its link then says it is closed). Drafts were never published."""
    open_first = case((Questionnaire.status == QuestionnaireStatus.OPEN.value, 0), else_=1)
    return db.session.scalar(
        select(Questionnaire)
        .where(Questionnaire.slug == slug, Questionnaire.status != QuestionnaireStatus.DRAFT.value)
        .order_by(open_first, Questionnaire.version.desc()).limit(1))


def open_by_city(now: datetime, language: str) -> list[tuple[City, list[Questionnaire]]]:
    """Every city with the questionnaires that take answers there now, cities by name in `language`."""
    entries = db.session.scalars(
        select(QuestionnaireCity).join(QuestionnaireCity.questionnaire)
        .where(Questionnaire.status == QuestionnaireStatus.OPEN.value, QuestionnaireCity.is_open.is_(True))
        .options(selectinload(QuestionnaireCity.city), selectinload(QuestionnaireCity.questionnaire)))
    grouped: dict[int, tuple[City, list[Questionnaire]]] = {}
    for entry in entries:
        if entry.questionnaire.is_accepting(entry.city, now):
            grouped.setdefault(entry.city_id, (entry.city, []))[1].append(entry.questionnaire)
    for _city, questionnaires in grouped.values():
        questionnaires.sort(key=lambda q: (q.audience, q.slug))
    return sorted(grouped.values(), key=lambda item: item[0].name_in(language).casefold())


def set_access_mode(slug: str, mode: str) -> Questionnaire:
    """Switch the latest version of a questionnaire between open and invitation mode."""
    if mode not in {m.value for m in AccessMode}:
        raise DomainError(f"unknown access mode '{mode}' (open or invitation)")
    questionnaire = require_questionnaire(slug)
    questionnaire.access_mode = mode
    db.session.flush()
    return questionnaire
