"""What the public can answer, and where: the questionnaire version behind a public link, and the
questionnaires open now, per city, for the picker page. Read-only."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import and_, bindparam, case, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import AccessMode, City, Questionnaire, QuestionnaireCity, QuestionnaireStatus, ResponseDraft
from . import DomainError
from .questionnaires import require_questionnaire


# Built once: on every answering page SQLAlchemy would otherwise spend longer building this statement
# than the database spends running it.
_PUBLIC_TARGET = (
    select(Questionnaire, City, QuestionnaireCity, ResponseDraft).select_from(Questionnaire)
    .join(City, City.slug == bindparam("city_slug"))
    .outerjoin(QuestionnaireCity, and_(QuestionnaireCity.questionnaire_id == Questionnaire.id,
                                       QuestionnaireCity.city_id == City.id))
    .outerjoin(ResponseDraft, and_(ResponseDraft.token.in_(bindparam("draft_tokens", expanding=True)),
                                   ResponseDraft.questionnaire_id == Questionnaire.id,
                                   ResponseDraft.city_id == City.id))
    .where(Questionnaire.slug == bindparam("slug"), Questionnaire.status != QuestionnaireStatus.DRAFT.value)
    .order_by(case((Questionnaire.status == QuestionnaireStatus.OPEN.value, 0), else_=1),
              Questionnaire.version.desc())
    .limit(1))


def public_target(slug: str, city_slug: str, draft_tokens: Sequence[str] = ()
                  ) -> tuple[Questionnaire, City, ResponseDraft | None] | None:
    """The questionnaire version and the city a public link /q/<slug>/<city>/… stands for, and the
    draft for them among `draft_tokens` (a browser's, from its cookie); None when there is no such link.

    The version is the open one (at most one version of a slug is open), else the latest closed one (its
    link then says it is closed); questionnaire drafts were never published. Its entry for the city (None
    when it never ran there) and the draft come in the same query: every answering page needs them, and
    on PostgreSQL each query is one more round trip. The questionnaire's other cities are not loaded."""
    row = db.session.execute(_PUBLIC_TARGET, {"slug": slug, "city_slug": city_slug,
                                              "draft_tokens": list(draft_tokens)}).first()
    if row is None:
        return None
    questionnaire, city, entry, draft = row
    questionnaire.remember_city_entry(city, entry)
    return questionnaire, city, draft


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
        raise DomainError(_("unknown access mode '%(mode)s' (open or invitation)", mode=mode))
    questionnaire = require_questionnaire(slug)
    questionnaire.access_mode = mode
    db.session.flush()
    return questionnaire
