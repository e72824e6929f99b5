"""The official rating of a year: the database's values run through the scoring engine."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import exists, or_, select

from ..extensions import db
from ..models import AssessmentYear, City, IndicatorValue, Questionnaire, Response, StandardVersion, ValueStatus
from ..scoring import CityScore, Reading, rank_cities, score_city

PUBLIC_STATUSES = (ValueStatus.VERIFIED.value,)
#: a city's own draft score: every value it has entered, whatever its review status
ALL_STATUSES = tuple(status.value for status in ValueStatus)


@dataclass
class RankedCity:
    city: City
    rank: int
    score: CityScore


@dataclass
class Rating:
    assessment: AssessmentYear
    standard: StandardVersion
    cities: list[RankedCity]

    def find(self, slug: str) -> RankedCity | None:
        return next((c for c in self.cities if c.city.slug == slug), None)


def latest_year_with_results(*, counting_responses: bool = False) -> int | None:
    """The year a "latest" link opens: the newest with a verified value (or, counting_responses, with a
    stored response). A year just opened for the akimats' input has neither yet, and sending the public
    to its empty rating would hide the last one published. With no such year, the newest year."""
    published = exists().where(IndicatorValue.year_id == AssessmentYear.id,
                               IndicatorValue.status.in_(PUBLIC_STATUSES))
    if counting_responses:
        answered = exists().where(Questionnaire.year == AssessmentYear.year,
                                  exists().where(Response.questionnaire_id == Questionnaire.id))
        published = or_(published, answered)
    newest = select(AssessmentYear.year).order_by(AssessmentYear.year.desc()).limit(1)
    return db.session.scalar(newest.where(published)) or db.session.scalar(newest)


def get_assessment(year: int) -> AssessmentYear | None:
    return db.session.scalar(select(AssessmentYear).where(AssessmentYear.year == year))


def list_years() -> list[AssessmentYear]:
    return list(db.session.scalars(select(AssessmentYear).order_by(AssessmentYear.year.desc())))


def readings_by_city(assessment: AssessmentYear, statuses: Iterable[str],
                     city_ids: Iterable[int] | None = None) -> dict[int, dict[str, Reading]]:
    """{city id: {indicator code: Reading}} for values in the given workflow statuses (and cities)."""
    query = (select(IndicatorValue.city_id, IndicatorValue.value, IndicatorValue.not_applicable,
                    IndicatorValue.indicator_id)
             .where(IndicatorValue.year_id == assessment.id, IndicatorValue.status.in_(list(statuses))))
    if city_ids is not None:
        query = query.where(IndicatorValue.city_id.in_(list(city_ids)))
    codes = {i.id: i.code for i in assessment.standard.indicators}
    readings: dict[int, dict[str, Reading]] = defaultdict(dict)
    for city_id, value, not_applicable, indicator_id in db.session.execute(query):
        decimal = None if value is None else Decimal(repr(value))
        readings[city_id][codes[indicator_id]] = Reading(decimal, not_applicable)
    return readings


def official_rating(year: int, statuses: Iterable[str] = PUBLIC_STATUSES) -> Rating | None:
    """Every city with at least one value for the year, scored and ranked. None: unknown year."""
    assessment = get_assessment(year)
    if assessment is None:
        return None
    standard = assessment.standard
    spec = standard.to_spec()
    indicators = [i.to_spec() for i in standard.indicators]
    readings = readings_by_city(assessment, statuses)
    cities = {c.id: c for c in db.session.scalars(select(City).where(City.id.in_(list(readings))))}
    scores = {cid: score_city(spec, indicators, city_readings) for cid, city_readings in readings.items()}
    names = {cid: cities[cid].name_en for cid in scores}
    ranked = [RankedCity(cities[cid], rank, scores[cid]) for rank, cid in rank_cities(spec, scores, names)]
    return Rating(assessment, standard, ranked)


def city_score(assessment: AssessmentYear, city: City, statuses: Iterable[str] = ALL_STATUSES,
               overrides: Mapping[str, Reading] | None = None) -> CityScore:
    """One city's score through the same engine as the rating. With the default statuses it is the
    city's draft score (never published); overrides replace readings by indicator code, which is how
    the form previews unsaved input."""
    readings = dict(readings_by_city(assessment, statuses, [city.id]).get(city.id, {}))
    readings.update(overrides or {})
    standard = assessment.standard
    return score_city(standard.to_spec(), [i.to_spec() for i in standard.indicators], readings)
