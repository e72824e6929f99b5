"""A city's public report page: verified official values, perceived figures (suppressed ones never
as numbers) and approved suggestions only."""
from flask import abort, render_template

from . import bp
from .context import city_page


@bp.get("/reports/<int:year>/cities/<slug>")
def show_city(year: int, slug: str):
    page = city_page(year, slug) or abort(404)
    return render_template("reports/city.html", page=page)
