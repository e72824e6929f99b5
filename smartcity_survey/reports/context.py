"""What a report page needs, gathered from the cached report plus a few small reads (names of the
standard's areas and indicators, the previous year, approved suggestions). Heavy work stays inside
services.report_cache.cached_report, so a page costs a handful of indexed queries."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from ..extensions import db
from ..i18n import localized
from ..models import AssessmentYear, City
from ..services.moderation import Suggestion, approved_by_area
from ..services.rating import get_assessment, latest_year_with_results, list_years
from ..services.report_cache import cached_report
from .charts import area_chart, national_scatter
from .tables import Names, Table, area_table, group_table, indicator_table, national_table, trend_table


@dataclass
class CityPage:
    assessment: AssessmentYear
    city: City
    report: dict  #: the year's report (its min_n, gap_threshold and demo flag are shown)
    entry: dict | None  #: the city's entry; None when it has no verified value and no response
    names: Names
    previous_year: int | None = None
    tables: dict[str, Table] = field(default_factory=dict)
    chart: dict | None = None
    #: (area name or None for "other", approved suggestions), in the standard's area order
    suggestions: list[tuple[str | None, list[Suggestion]]] = field(default_factory=list)


@dataclass
class NationalPage:
    assessment: AssessmentYear
    report: dict
    table: Table
    scatter: dict


def standard_names(assessment: AssessmentYear) -> Names:
    standard = assessment.standard
    areas = [(area.code, localized(area)) for area in standard.areas]  # loaded first: indicators use them
    indicators = {i.code: (localized(i), i.method, position)
                  for position, i in enumerate(sorted(standard.indicators, key=lambda i: (i.area.position,
                                                                                          i.position)))}
    return Names(areas, indicators, [(group.code, localized(group)) for group in standard.groups])


def previous_year(year: int) -> int | None:
    """The latest assessment year before `year`: the trend's baseline."""
    return max((y.year for y in list_years() if y.year < year), default=None)


def find_entry(report: dict | None, slug: str) -> dict | None:
    return None if report is None else next((c for c in report["cities"] if c["city"] == slug), None)


def city_page(year: int, slug: str) -> CityPage | None:
    """A city's report page, or None for an unknown year or city (the view answers 404)."""
    report = cached_report(year)
    city = db.session.scalar(select(City).where(City.slug == slug))
    if report is None or city is None:
        return None
    assessment = get_assessment(year)
    page = CityPage(assessment, city, report, find_entry(report, slug), standard_names(assessment),
                    previous_year(year))
    if page.entry is not None:
        page.tables = _city_tables(page)
        page.chart = area_chart(page.entry, page.names)
    page.suggestions = _grouped_suggestions(year, city, page.names)
    return page


def _city_tables(page: CityPage) -> dict[str, Table]:
    tables = {"areas": area_table(page.entry, page.names), "groups": group_table(page.entry, page.names),
              "indicators": indicator_table(page.entry, page.names)}
    if page.previous_year is not None:
        before = find_entry(cached_report(page.previous_year), page.city.slug)
        years = (page.previous_year, page.assessment.year)
        tables["trend"] = trend_table(page.entry, before, years, page.names)
    return tables


def _grouped_suggestions(year: int, city: City, names: Names) -> list[tuple[str | None, list[Suggestion]]]:
    """Approved suggestions only (services.moderation), under the area the moderator chose."""
    by_area = approved_by_area(year, city.id)
    groups = [(name, by_area.pop(code)) for code, name in names.areas if code in by_area]
    rest = [s for suggestions in by_area.values() for s in suggestions]  # no area, or one the standard lacks
    return groups + ([(None, rest)] if rest else [])


def national_page(year: int) -> NationalPage | None:
    report = cached_report(year)
    if report is None:
        return None
    names = {c.slug: localized(c) for c in db.session.scalars(select(City))}
    return NationalPage(get_assessment(year), report, national_table(report, names), national_scatter(report, names))


def latest_year() -> int | None:
    return latest_year_with_results(counting_responses=True)
