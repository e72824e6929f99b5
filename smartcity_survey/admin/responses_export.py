"""Responses of a questionnaire version, for administrators: counts by city and by day, and the raw
responses as CSV, XLSX or SPSS .sav. A download is recorded in the administrators' log, since raw
answers then leave the platform."""
from __future__ import annotations

import io
import json

from flask import abort, render_template, request, send_file
from flask_login import current_user
from sqlalchemy import select

from ..extensions import db
from ..i18n import current_language
from ..models import City
from ..services.history import Actor
from ..services.questionnaire_admin import record_export
from ..services.response_export import FORMATS, export_filename, export_responses
from ..services.response_stats import counts_by_city, counts_by_day
from . import bp
from .questionnaires import find_questionnaire


@bp.get("/questionnaires/<slug>/<int:version>/responses", endpoint="response_counts")
def response_counts(slug: str, version: int):
    """?city=<slug> narrows the daily counts to one city."""
    questionnaire = find_questionnaire(slug, version)
    city = None
    if request.args.get("city"):
        city = db.session.scalar(select(City).where(City.slug == request.args["city"])) or abort(404)
    by_day = counts_by_day(questionnaire, city)
    return render_template(
        "admin/responses.html", questionnaire=questionnaire, by_city=counts_by_city(questionnaire), by_day=by_day,
        city=city, chart_labels=json.dumps([day.isoformat() for day, _count in by_day]),
        chart_values=json.dumps([count for _day, count in by_day]), formats=FORMATS)


@bp.get("/questionnaires/<slug>/<int:version>/responses.<file_format>", endpoint="export_responses")
def export_responses_view(slug: str, version: int, file_format: str):
    questionnaire = find_questionnaire(slug, version)
    if file_format not in FORMATS:
        abort(404)
    data = export_responses(questionnaire, file_format, current_language())
    record_export(Actor.of(current_user), questionnaire, file_format)
    db.session.commit()
    response = send_file(io.BytesIO(data), mimetype=FORMATS[file_format][0], as_attachment=True,
                         download_name=export_filename(questionnaire, file_format))
    response.headers["Cache-Control"] = "no-store"  # raw answers stay out of shared and browser caches
    return response
