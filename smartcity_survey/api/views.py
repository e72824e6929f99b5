"""Endpoints answer UTF-8 JSON; unknown years or cities answer 404 with a JSON error body."""
from flask import abort, current_app

from ..serializers import ranked_city_dict, rating_dict, standard_dict
from ..services.rating import official_rating
from ..services.standards import standard_for_year
from . import bp


def _json(data, status: int = 200):
    body = current_app.json.dumps(data, ensure_ascii=False)
    return current_app.response_class(body, status=status, mimetype="application/json; charset=utf-8")


@bp.get("/years/<int:year>/scores")
def year_scores(year: int):
    rating = official_rating(year) or abort(404, description=f"no assessment year {year}")
    return _json(rating_dict(rating))


@bp.get("/years/<int:year>/cities/<slug>/scores")
def city_scores(year: int, slug: str):
    rating = official_rating(year) or abort(404, description=f"no assessment year {year}")
    entry = rating.find(slug) or abort(404, description=f"no verified values for city '{slug}' in {year}")
    return _json({"year": year, "demo": rating.assessment.is_demo, **ranked_city_dict(entry)})


@bp.get("/standards/<int:year>")
def standard(year: int):
    version = standard_for_year(year) or abort(404, description=f"no standard version covers {year}")
    return _json(standard_dict(version))


@bp.get("/years/<int:year>/report")
def year_report(year: int):
    from ..services.report_cache import cached_report

    report = cached_report(year) or abort(404, description=f"no assessment year {year}")
    return _json(report)


@bp.get("/years/<int:year>/cities/<slug>/report")
def city_report(year: int, slug: str):
    from ..services.report_cache import cached_report, city_report as narrow

    report = cached_report(year) or abort(404, description=f"no assessment year {year}")
    return _json(narrow(report, slug) or abort(404, description=f"no data for city '{slug}' in {year}"))
