"""Plain-dict forms of scores and standards, shared by the JSON API, the CLI and CSV exports."""
from __future__ import annotations

from decimal import Decimal

from .models import StandardVersion
from .scoring import AreaResult, CityScore
from .services.rating import Rating, RankedCity

#: percents are reported to 4 decimals (the API promises at least 2)
PERCENT_PLACES = 4


def number(value: Decimal | None, places: int = PERCENT_PLACES) -> float | None:
    return None if value is None else round(float(value), places)


def area_dict(area: AreaResult) -> dict | None:
    if area.percent is None:
        return None
    return {"percent": number(area.percent), "indicators": area.indicators,
            "not_reported": area.not_reported, "not_applicable": area.not_applicable}


def score_dict(score: CityScore) -> dict:
    return {
        "areas": {code: area_dict(area) for code, area in score.areas.items()},
        "groups": {code: None if g.percent is None else {
            "percent": number(g.percent), "points": g.points, "weighted_points": _points(g.weighted_points)}
            for code, g in score.groups.items()},
        "total": None if score.total_points is None else {
            "points": _points(score.total_points), "percent": number(score.total_percent)},
        "level_percent": number(score.level_percent),
    }


def _points(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def ranked_city_dict(entry: RankedCity) -> dict:
    return {"city": entry.city.slug, "name": entry.city.name_en, "rank": entry.rank, **score_dict(entry.score)}


def rating_dict(rating: Rating) -> dict:
    return {"year": rating.assessment.year, "demo": rating.assessment.is_demo,
            "cities": [ranked_city_dict(entry) for entry in rating.cities]}


def standard_dict(standard: StandardVersion) -> dict:
    return {
        "year": standard.year, "title": standard.title,
        "catalogue_source": standard.catalogue_source, "official_catalogue": standard.is_official_catalogue,
        "points_table": standard.points_table,
        "groups": [{"code": g.code, "weight": _points(Decimal(str(g.weight))), "tiebreak_rank": g.tiebreak_rank,
                    "name": {"en": g.name_en, "ru": g.name_ru, "kk": g.name_kk}} for g in standard.groups],
        "areas": [{"code": a.code, "group": a.group.code,
                   "name": {"en": a.name_en, "ru": a.name_ru, "kk": a.name_kk}} for a in standard.areas],
        "indicators": [{
            "code": i.code, "area": i.area.code, "method": i.method, "target": i.target,
            "direction": i.direction, "unit": i.unit,
            "name": {"en": i.name_en, "ru": i.name_ru, "kk": i.name_kk},
            "description": i.description, "source": i.source,
            # "description" (English) was there before the translations; this one has all three
            "descriptions": {"en": i.description, "ru": i.description_ru, "kk": i.description_kk},
        } for i in standard.indicators],
    }
