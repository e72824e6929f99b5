"""The suggestion queue: free-text answers wait here until approved (shown, filed under an area) or hidden."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..extensions import db
from ..models import AdminActionKind, Answer, Question, Questionnaire, Response
from ..models._common import utcnow
from ..models.moderation import ReviewStatus, SuggestionReview
from . import DomainError
from .audit import record_admin_action
from .history import Actor

LONG_TEXT = "long_text"


@dataclass(frozen=True)
class Suggestion:
    answer_id: int
    text: str
    city_id: int
    audience: str
    year: int
    submitted_at: datetime
    status: str | None  # None: pending
    area_code: str | None
    #: the questionnaire version it was written in
    slug: str = ""
    version: int = 0


def _suggestions_query(reviewed: bool = False):
    """reviewed=True joins the reviews inner, so the database can start from the (few) reviews instead
    of scanning every answer: the public pages ask for approved suggestions on each request."""
    query = select(Answer.id, Answer.value_text, Response.city_id, Questionnaire.audience, Questionnaire.year,
                   Response.submitted_at, SuggestionReview.status, SuggestionReview.area_code, Questionnaire.slug,
                   Questionnaire.version)
    review = SuggestionReview.answer_id == Answer.id
    query = query.select_from(SuggestionReview).join(Answer, review) if reviewed \
        else query.outerjoin(SuggestionReview, review)
    return (query.join(Question, Question.id == Answer.question_id)
            .join(Response, Response.id == Answer.response_id)
            .join(Questionnaire, Questionnaire.id == Response.questionnaire_id)
            .where(Question.type == LONG_TEXT, Answer.value_text.is_not(None), Answer.value_text != ""))


def _filtered(query, *, status: str | None, pending: bool, year: int | None, city_id: int | None):
    if pending:
        query = query.where(SuggestionReview.id.is_(None))
    elif status is not None:
        query = query.where(SuggestionReview.status == status)
    if year is not None:
        query = query.where(Questionnaire.year == year)
    if city_id is not None:
        query = query.where(Response.city_id == city_id)
    return query


def list_suggestions(*, status: str | None = None, pending: bool = False, year: int | None = None,
                     city_id: int | None = None, limit: int = 200, offset: int = 0) -> list[Suggestion]:
    """Suggestions, oldest first; pending=True gives the queue (no decision yet)."""
    query = _filtered(_suggestions_query(reviewed=status is not None and not pending), status=status,
                      pending=pending, year=year, city_id=city_id)
    rows = db.session.execute(query.order_by(Answer.id).limit(limit).offset(offset)).all()
    return [Suggestion(*row) for row in rows]


def get_suggestion(answer_id: int) -> Suggestion | None:
    row = db.session.execute(_suggestions_query().where(Answer.id == answer_id)).first()
    return None if row is None else Suggestion(*row)


def count_suggestions(*, status: str | None = None, pending: bool = False) -> int:
    """How many list_suggestions would give without a limit (for the queue's pages)."""
    query = _filtered(_suggestions_query(), status=status, pending=pending, year=None, city_id=None)
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def review_suggestion(answer_id: int, status: str, *, area_code: str | None, actor: str) -> SuggestionReview:
    """Approve (optionally under an area) or hide a suggestion; a later decision replaces the earlier one."""
    if status not in {s.value for s in ReviewStatus}:
        raise DomainError(_("unknown decision '%(status)s' (approved or hidden)", status=status))
    answer = db.session.get(Answer, answer_id)
    if answer is None or answer.question.type != LONG_TEXT:
        raise DomainError(_("no suggestion %(id)s", id=answer_id))
    review = db.session.scalar(select(SuggestionReview).where(SuggestionReview.answer_id == answer_id))
    if review is None:
        review = SuggestionReview(answer_id=answer_id)
        db.session.add(review)
    review.status, review.area_code, review.reviewed_by = status, area_code or None, actor
    review.reviewed_at = utcnow()
    db.session.flush()
    return review


def moderate(actor: Actor, answer_id: int, status: str, area_code: str | None) -> SuggestionReview:
    """review_suggestion by a signed-in moderator, recorded in the administrators' log (every decision,
    while the review row keeps only the latest)."""
    review = review_suggestion(answer_id, status, area_code=area_code, actor=actor.label)
    approved = status == ReviewStatus.APPROVED.value
    kind = AdminActionKind.SUGGESTION_APPROVE if approved else AdminActionKind.SUGGESTION_HIDE
    record_admin_action(actor, kind.value, detail=f"answer {answer_id}" + (f", area {area_code}" if area_code else ""),
                        answer=answer_id, area=area_code)
    return review


def approved_by_area(year: int, city_id: int) -> dict[str | None, list[Suggestion]]:
    """What the public may read: approved suggestions of a city and year, grouped by the moderator's area."""
    grouped: dict[str | None, list[Suggestion]] = defaultdict(list)
    for suggestion in list_suggestions(status=ReviewStatus.APPROVED.value, year=year, city_id=city_id, limit=10_000):
        grouped[suggestion.area_code].append(suggestion)
    return dict(grouped)
