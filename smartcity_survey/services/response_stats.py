"""How many responses a questionnaire has: per questionnaire, per city, per day; and its invitations.

Counting happens in SQL (GROUP BY), so a questionnaire with a hundred thousand responses costs one
small result set. Days are UTC days, like every time the admin pages show. Read-only.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Date, case, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction

from ..extensions import db
from ..models import City, Invitation, Questionnaire, QuestionnaireCity, Response


class utc_day(GenericFunction):  # noqa: N801 (SQL function names are lower case)
    """The UTC calendar day of a timestamp column, on SQLite and PostgreSQL alike.

    A plain CAST(... AS DATE) is wrong on SQLite (a DATE cast has numeric affinity: '2025-01-02 10:00'
    becomes 2025), and PostgreSQL's date() of a timestamptz follows the session's time zone.
    """

    type = Date()
    inherit_cache = True


@compiles(utc_day)
def _utc_day_default(element, compiler, **kw) -> str:
    return f"CAST({compiler.process(element.clauses, **kw)} AS DATE)"


@compiles(utc_day, "sqlite")
def _utc_day_sqlite(element, compiler, **kw) -> str:
    # stored as 'YYYY-MM-DD HH:MM:SS.ffffff' in UTC (models._common.utcnow); date() keeps the day part
    return f"date({compiler.process(element.clauses, **kw)})"


@compiles(utc_day, "postgresql")
def _utc_day_postgresql(element, compiler, **kw) -> str:
    return f"CAST(({compiler.process(element.clauses, **kw)} AT TIME ZONE 'UTC') AS DATE)"


@dataclass(frozen=True)
class CityCount:
    city: City
    responses: int
    #: None: the city is not among the questionnaire's cities (its responses were imported)
    is_open: bool | None


def counts_by_questionnaire() -> dict[int, int]:
    """questionnaire id -> number of responses (questionnaires without any are absent)."""
    rows = db.session.execute(select(Response.questionnaire_id, func.count(Response.id))
                              .group_by(Response.questionnaire_id))
    return {questionnaire_id: count for questionnaire_id, count in rows}


def counts_by_city(questionnaire: Questionnaire) -> list[CityCount]:
    """Every city the questionnaire runs in or has responses from, by English name, with its count."""
    counts = dict(db.session.execute(
        select(Response.city_id, func.count(Response.id)).where(Response.questionnaire_id == questionnaire.id)
        .group_by(Response.city_id)).all())
    entries = {entry.city_id: entry for entry in questionnaire.cities}
    cities = db.session.scalars(select(City).where(City.id.in_(set(counts) | set(entries)))).all()
    return [CityCount(city, counts.get(city.id, 0), entries[city.id].is_open if city.id in entries else None)
            for city in sorted(cities, key=lambda c: c.name_en)]


def counts_by_day(questionnaire: Questionnaire, city: City | None = None) -> list[tuple[date, int]]:
    """(UTC day, responses submitted that day), oldest first; days without responses are left out."""
    day = utc_day(Response.submitted_at)
    query = select(day, func.count(Response.id)).where(Response.questionnaire_id == questionnaire.id)
    if city is not None:
        query = query.where(Response.city_id == city.id)
    return [(day_value, count) for day_value, count in db.session.execute(query.group_by(day).order_by(day))]


def open_city_count(questionnaire_ids: list[int]) -> dict[int, int]:
    """questionnaire id -> number of cities it is open in now."""
    rows = db.session.execute(
        select(QuestionnaireCity.questionnaire_id, func.count(QuestionnaireCity.id))
        .where(QuestionnaireCity.questionnaire_id.in_(questionnaire_ids), QuestionnaireCity.is_open.is_(True))
        .group_by(QuestionnaireCity.questionnaire_id))
    return dict(rows.all())


def invitation_counts(questionnaire: Questionnaire) -> dict[int, tuple[int, int]]:
    """city id -> (invitations generated, invitations used) for the questionnaire."""
    used = func.sum(case((Invitation.used_on.is_not(None), 1), else_=0))
    rows = db.session.execute(
        select(Invitation.city_id, func.count(Invitation.id), used)
        .where(Invitation.questionnaire_id == questionnaire.id).group_by(Invitation.city_id))
    return {city_id: (total, int(used_count or 0)) for city_id, total, used_count in rows}
