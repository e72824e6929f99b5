"""The national comparison: every city's official and perceived rank, a scatter and Spearman's rho."""
from flask import abort, redirect, render_template, url_for

from ..services.rating import list_years
from . import bp
from .context import latest_year, national_page


@bp.get("/reports")
def latest_national():
    year = latest_year()
    if year is None:
        return redirect(url_for("rating.home"))
    return redirect(url_for(".show_national", year=year))


@bp.get("/reports/<int:year>/national")
def show_national(year: int):
    page = national_page(year) or abort(404)
    return render_template("reports/national.html", page=page, years=list_years())
