"""Public rating pages (verified values only)."""
from flask import abort, redirect, render_template, url_for

from ..services.rating import latest_year_with_results, list_years, official_rating
from ..services.standards import standard_for_year
from . import bp


@bp.get("/")
def home():
    years = list_years()
    latest = latest_year_with_results()
    return render_template("rating/home.html", years=years, rating=official_rating(latest) if latest else None)


@bp.get("/rating/<int:year>")
def year_rating(year: int):
    rating = official_rating(year) or abort(404)
    return render_template("rating/year.html", rating=rating, years=list_years())


@bp.get("/rating/<int:year>/<slug>")
def city_breakdown(year: int, slug: str):
    rating = official_rating(year) or abort(404)
    entry = rating.find(slug) or abort(404)
    indicators = {i.code: i for i in rating.standard.indicators}
    return render_template("rating/city.html", rating=rating, entry=entry, indicators=indicators)


@bp.get("/standard/<int:year>")
def standard(year: int):
    version = standard_for_year(year) or abort(404)
    return render_template("rating/standard.html", standard=version, year=year)


@bp.get("/rating")
def latest_rating():
    latest = latest_year_with_results()
    if latest is None:
        return redirect(url_for("rating.home"))
    return redirect(url_for("rating.year_rating", year=latest))
