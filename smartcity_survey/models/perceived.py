"""What a report reads: per-response measures derived from answers, and population margins for weighting.

Why a derived table? A national report over a million responses must not re-read 30 million
answers: a response is immutable once stored and its questions are frozen, so its area scores
(the mean of its mapped ratings in each area, (r-1)*25) and indicator checks are computed once, in
the same transaction that stores it (services.measures), and the report aggregates these rows in SQL.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._common import utcnow

AREA, INDICATOR = "area", "indicator"


class ResponseMeasure(db.Model):
    """One response's score in one area (kind "area", value 0-100) or its positive share on the
    questions mapped to one indicator (kind "indicator", value 0-1: rated 4-5, or answered yes)."""

    __tablename__ = "response_measures"
    __table_args__ = (
        UniqueConstraint("response_id", "kind", "code"),
        # the report's scan: equality on year/audience/kind, grouped by city and code, reading value and
        # weight from the index alone
        Index("ix_response_measures_report", "year", "audience", "kind", "city_id", "code", "value", "weight"),
        # the report's respondent counts: one response's rows side by side (grouped by response without a
        # sort) and everything the count reads; response_id first, so it also serves the cascade delete
        Index("ix_response_measures_respondents", "response_id", "year", "kind", "city_id", "audience", "code",
              "weight"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id", ondelete="CASCADE"))
    #: copied from the questionnaire and the response (both immutable) so the report needs no join
    year: Mapped[int] = mapped_column()
    audience: Mapped[str] = mapped_column(String(20))
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id"))
    kind: Mapped[str] = mapped_column(String(20))
    #: area code or indicator code
    code: Mapped[str] = mapped_column(String(60))
    value: Mapped[float] = mapped_column()
    #: the response's imported survey weight; null when it has none
    weight: Mapped[float | None] = mapped_column()


class PopulationMargin(db.Model):
    """A population share for raking: in `city`, `share` of people fall in `category` of `variable`
    (a demographic question name such as age_band, gender or district)."""

    __tablename__ = "population_margins"
    __table_args__ = (UniqueConstraint("city_id", "variable", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id"))
    variable: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(200))
    share: Mapped[float] = mapped_column()
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)
