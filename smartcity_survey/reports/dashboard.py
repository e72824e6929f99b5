"""The signed-in dashboard: a city's report page plus its draft score where the draft differs from the
verified one. Officers read their own city only (another city is a 404); analysts and admins read all."""
from flask import abort, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from ..auth.access import require_city_access
from ..extensions import db
from ..models import City
from ..serializers import score_dict
from ..services.rating import city_score
from . import bp
from .context import city_page, latest_year
from .tables import draft_table


@bp.get("/dashboard")
@login_required
def dashboard_home():
    """Officers go to their city's latest year; analysts and admins to the national comparison."""
    year = latest_year()
    if year is None:
        return redirect(url_for("rating.home"))
    if current_user.is_akimat:
        return redirect(url_for(".show_dashboard", year=year, slug=current_user.city.slug))
    return redirect(url_for(".show_national", year=year))


@bp.get("/dashboard/<int:year>/<slug>")
@login_required
def show_dashboard(year: int, slug: str):
    require_city_access(db.session.scalar(select(City).where(City.slug == slug)))  # before any work
    page = city_page(year, slug) or abort(404)
    draft = draft_table(page.entry, score_dict(city_score(page.assessment, page.city)), page.names)
    return render_template("reports/dashboard.html", page=page, draft=draft)
