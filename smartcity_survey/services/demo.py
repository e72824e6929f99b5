"""Synthetic demo data so a newcomer's first page shows something real to look at.

Every value is made up (seeded, so the same on every machine) and the year is flagged is_demo,
which every page and API answer showing it repeats.
"""
from __future__ import annotations

import random

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..extensions import db
from ..models import City, IndicatorValue, ValueStatus
from . import DomainError
from .standards import ensure_assessment_year

DEMO_YEAR = 2019
#: the demo's survey year: official values for DEMO_YEAR and SURVEY_YEAR (a trend), answers for SURVEY_YEAR
SURVEY_YEAR = 2020
#: cities without farmland in the demo: their agriculture indicators are "not applicable"
NO_FARMLAND = {"astana", "almaty", "aktau"}


def database_has_values() -> bool:
    return bool(db.session.scalar(select(func.count(IndicatorValue.id))))


def fill_demo_year(year: int = DEMO_YEAR) -> int:
    """Fill every city with synthetic verified values for `year`. Refuses a year that has values."""
    assessment = ensure_assessment_year(year)
    if db.session.scalar(select(func.count(IndicatorValue.id)).where(IndicatorValue.year_id == assessment.id)):
        raise DomainError(_("%(year)s already has indicator values; the demo only fills an empty database",
                            year=year))
    assessment.is_demo = True
    cities = list(db.session.scalars(select(City).order_by(City.slug)))
    count = 0
    for city in cities:
        rng = random.Random(f"{year}:{city.slug}")
        # how far along this city is (so cities differ), improving a little each year (so trends show)
        maturity = min(0.98, random.Random(city.slug).uniform(0.3, 0.9) + 0.04 * (year - DEMO_YEAR))
        for indicator in assessment.standard.indicators:
            value, not_applicable = _synthetic_value(rng, indicator, maturity, city.slug)
            db.session.add(IndicatorValue(
                city=city, year=assessment, indicator=indicator, value=value, not_applicable=not_applicable,
                na_reason="Demo: no farmland within the city limits" if not_applicable else "",
                evidence_note="Synthetic demo value", status=ValueStatus.VERIFIED.value, updated_by="demo"))
            count += 1
    db.session.flush()
    return count


def _synthetic_value(rng: random.Random, indicator, maturity: float, city: str) -> tuple[float | None, bool]:
    if indicator.area.code == "agr" and city in NO_FARMLAND:
        return None, True
    if rng.random() < 0.04:  # a few gaps, shown as "not reported"
        return None, False
    if indicator.method == "yes_no":
        return (1.0 if rng.random() < maturity else 0.0), False
    if indicator.method == "percent":
        return round(min(100.0, max(0.0, rng.gauss(maturity * 100, 18))), 1), False
    share = min(1.4, max(0.0, rng.gauss(maturity, 0.25)))
    target = indicator.target or 1
    if indicator.direction == "lower":
        return round(target / max(share, 0.2), 1), False
    return round(target * share, 1), False
