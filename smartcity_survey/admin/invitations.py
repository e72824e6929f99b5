"""Invitation codes, for administrators: generate N single-use codes for a questionnaire version and a
city, downloaded at once as CSV (code, link). The codes exist only in that download: the database
keeps their hashes (services.invitations), so they cannot be shown again; generate more if lost."""
from __future__ import annotations

import io

from flask import current_app, render_template, request, send_file
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from ..extensions import db
from ..i18n import localized
from ..models import City, Questionnaire
from ..services import DomainError
from ..services.history import Actor
from ..services.invitations import MAX_PER_CALL, invitations_csv
from ..services.questionnaire_admin import generate_codes
from ..services.response_stats import invitation_counts
from . import bp
from .questionnaire_forms import InvitationsForm
from .questionnaires import find_questionnaire


def _form(questionnaire: Questionnaire) -> InvitationsForm:
    """Cities the version is set up for first (they are where codes make sense), then the rest."""
    form = InvitationsForm()
    mine = {entry.city_id for entry in questionnaire.cities}
    cities = sorted(db.session.scalars(select(City)), key=lambda c: (c.id not in mine, localized(c).casefold()))
    form.city.choices = [SelectChoice(city.slug, localized(city)) for city in cities]
    return form


@bp.route("/questionnaires/<slug>/<int:version>/invitations", methods=["GET", "POST"], endpoint="invitations")
def invitations(slug: str, version: int):
    questionnaire = find_questionnaire(slug, version)
    form = _form(questionnaire)
    if form.validate_on_submit():
        city = db.session.scalar(select(City).where(City.slug == form.city.data))
        try:
            codes = generate_codes(Actor.of(current_user), questionnaire, city, form.count.data)
        except DomainError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            # built before the commit: if it failed, no code would be stored without its download
            body = invitations_csv(current_app.config["PUBLIC_BASE_URL"] or request.host_url,
                                   questionnaire, city, codes)
            db.session.commit()
            response = send_file(io.BytesIO(body.encode("utf-8")), mimetype="text/csv",
                                 as_attachment=True, download_name=f"invitations-{slug}-v{version}-{city.slug}.csv")
            response.headers["Cache-Control"] = "no-store"  # the only copy of the codes
            return response
    cities = {city.id: city for city in db.session.scalars(select(City))}
    counts = [(cities[city_id], total, used) for city_id, (total, used) in invitation_counts(questionnaire).items()]
    return render_template("admin/invitations.html", questionnaire=questionnaire, form=form,
                           counts=sorted(counts, key=lambda item: item[0].name_en), max_codes=MAX_PER_CALL), \
        422 if form.errors else 200
