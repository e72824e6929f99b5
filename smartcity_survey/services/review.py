"""The review workflow: officers submit areas, analysts verify or return them, admins reopen.

Statuses move only along models.assessments.TRANSITIONS; every move is recorded in the history.
An area is submitted whole: every indicator must be answered (a value, or not applicable with a
reason), because an unanswered one would silently score 0 once verified.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..extensions import db
from ..models import (AdminActionKind, Area, AssessmentYear, City, Indicator, IndicatorValue,
                      ValueStatus)
from . import DomainError
from .assessments import values_for
from .audit import record_admin_action
from .history import Actor, ValueState, record_change


def _move(records: list[IndicatorValue], step: str, actor: Actor, comment: str = "") -> int:
    """Move each value one workflow step; the history entry is of the step's kind."""
    for record in records:
        before = ValueState.of(record)
        record.move(step)
        record.updated_by = actor.label
        record_change(record, before, actor, step, comment=comment)
    db.session.flush()
    return len(records)


def _unanswered(area: Area, records: dict[int, IndicatorValue]) -> list[Indicator]:
    return [i for i in area.indicators if i.id not in records or not records[i.id].is_answered]


def submit_area(city: City, assessment: AssessmentYear, area: Area, actor: Actor) -> int:
    """Draft and returned values of the area -> submitted. Returns how many were submitted."""
    records = values_for(city, assessment, [i.id for i in area.indicators])
    missing = _unanswered(area, records)
    if missing:
        raise DomainError(_("Answer every indicator of this area before submitting it. Not answered: %(codes)s.",
                            codes=", ".join(i.code for i in missing)))
    editable = [r for r in records.values() if r.is_editable]
    if not editable:
        raise DomainError(_("Nothing to submit here: every value is already submitted or verified."))
    return _move(editable, "submit", actor)


def submit_form(city: City, assessment: AssessmentYear, actor: Actor) -> int:
    """The whole form: every area must be complete; submits every draft or returned value."""
    records = values_for(city, assessment)
    incomplete = [f"{area.code} ({len(missing)})" for area in assessment.standard.areas
                  if (missing := _unanswered(area, records))]
    if incomplete:
        raise DomainError(_("Answer every indicator before submitting the whole form. Areas with "
                            "unanswered indicators: %(areas)s.", areas=", ".join(incomplete)))
    editable = [r for r in records.values() if r.is_editable]
    if not editable:
        raise DomainError(_("Nothing to submit here: every value is already submitted or verified."))
    return _move(editable, "submit", actor)


def _in_status(city: City, assessment: AssessmentYear, area: Area, status: str,
               indicator_ids: list[int] | None) -> list[IndicatorValue]:
    """The area's values in one status; indicator_ids narrows them and must all be in that status."""
    records = values_for(city, assessment, [i.id for i in area.indicators])
    chosen = [r for r in records.values() if r.status == status]
    if indicator_ids:
        wrong = [i.code for i in area.indicators if i.id in indicator_ids
                 and (i.id not in records or records[i.id].status != status)]
        if wrong or not set(indicator_ids) <= {i.id for i in area.indicators}:
            raise DomainError(_("These indicators are not %(status)s: %(codes)s.", status=status,
                                codes=", ".join(wrong) or "?"))
        chosen = [r for r in chosen if r.indicator_id in indicator_ids]
    return sorted(chosen, key=lambda r: r.indicator.position)


def verify_area(city: City, assessment: AssessmentYear, area: Area, actor: Actor) -> int:
    """Every submitted value of the area -> verified (locked; it now counts in the public rating)."""
    records = _in_status(city, assessment, area, ValueStatus.SUBMITTED.value, None)
    if not records:
        raise DomainError(_("Nothing in this area is awaiting review."))
    return _move(records, "verify", actor)


def return_values(city: City, assessment: AssessmentYear, area: Area, indicator_ids: list[int] | None,
                  comment: str, actor: Actor) -> int:
    """Submitted values (the chosen ones, or all of the area) -> returned, with the analyst's comment."""
    comment = comment.strip()
    if not comment:
        raise DomainError(_("Say what needs fixing: a comment is required to return values."))
    records = _in_status(city, assessment, area, ValueStatus.SUBMITTED.value, indicator_ids)
    if not records:
        raise DomainError(_("Nothing in this area is awaiting review."))
    return _move(records, "return", actor, comment)


def reopen_values(city: City, assessment: AssessmentYear, area: Area, indicator_ids: list[int] | None,
                  comment: str, actor: Actor) -> int:
    """An admin unlocks verified values (-> returned) with a reason; also kept in the admin log."""
    comment = comment.strip()
    if not comment:
        raise DomainError(_("Give the reason for reopening: a comment is required."))
    records = _in_status(city, assessment, area, ValueStatus.VERIFIED.value, indicator_ids)
    if not records:
        raise DomainError(_("Nothing in this area is verified."))
    codes = [r.indicator.code for r in records]
    record_admin_action(actor, AdminActionKind.VALUES_REOPEN.value,
                        detail=f"{city.slug} {assessment.year} {area.code}: {' '.join(codes)} — {comment}",
                        city=city.slug, year=assessment.year, area=area.code, codes=codes, comment=comment)
    return _move(records, "reopen", actor, comment)


# Queues -------------------------------------------------------------------------------------------

@dataclass
class QueueItem:
    assessment: AssessmentYear
    city: City
    area: Area
    waiting: int
    #: the oldest submission in the group: the queue is served first come, first served
    since: datetime


def review_queue() -> list[QueueItem]:
    """Every (year, city, area) with values awaiting review, oldest first."""
    rows = db.session.execute(
        select(IndicatorValue.year_id, IndicatorValue.city_id, Indicator.area_id,
               func.count(IndicatorValue.id), func.min(IndicatorValue.updated_at))
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .where(IndicatorValue.status == ValueStatus.SUBMITTED.value)
        .group_by(IndicatorValue.year_id, IndicatorValue.city_id, Indicator.area_id)).all()
    items = [QueueItem(db.session.get(AssessmentYear, year_id), db.session.get(City, city_id),
                       db.session.get(Area, area_id), count, since)
             for year_id, city_id, area_id, count, since in rows]
    return sorted(items, key=lambda item: (item.since, item.city.slug, item.area.position))


def status_board(assessment: AssessmentYear) -> dict[int, dict[str, int]]:
    """{city id: {status: count}} for one year: the analysts' overview of every city's form."""
    rows = db.session.execute(
        select(IndicatorValue.city_id, IndicatorValue.status, func.count(IndicatorValue.id))
        .where(IndicatorValue.year_id == assessment.id)
        .group_by(IndicatorValue.city_id, IndicatorValue.status)).all()
    board: dict[int, dict[str, int]] = {}
    for city_id, status, count in rows:
        board.setdefault(city_id, {})[status] = count
    return board
