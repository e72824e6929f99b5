"""Questionnaires, for administrators: the list, XLSForm import and export, opening and closing per
city, new versions and the access mode. Response counts and raw exports are in responses_export.py,
invitation codes in invitations.py. Every change goes through services.questionnaire_admin, which
records it in the administrators' log."""
from __future__ import annotations

import io
from datetime import datetime, timezone

from flask import abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from ..auth.forms import ConfirmForm
from ..extensions import db
from ..i18n import localized
from ..io.xlsform import write_xlsform
from ..models import City, Questionnaire
from ..services import DomainError
from ..services.history import Actor
from ..services.questionnaire_admin import (ImportOutcome, close_in, import_xlsform, make_new_version, open_in,
                                            set_version_access_mode)
from ..services.questionnaires import get_questionnaire, list_questionnaires
from ..services.response_stats import counts_by_city, counts_by_questionnaire, open_city_count
from ..services.standards import ImportRejected
from . import bp
from .questionnaire_forms import AccessModeForm, ImportForm, OpenForm

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def find_questionnaire(slug: str, version: int) -> Questionnaire:
    return get_questionnaire(slug, version) or abort(404)


def detail_url(questionnaire: Questionnaire) -> str:
    return url_for("admin.questionnaire", slug=questionnaire.slug, version=questionnaire.version)


@bp.get("/questionnaires", endpoint="list_questionnaires")
def list_questionnaires_view():
    questionnaires = list_questionnaires()
    return render_template("admin/questionnaires.html", questionnaires=questionnaires,
                           responses=counts_by_questionnaire(),
                           open_cities=open_city_count([q.id for q in questionnaires]))


@bp.route("/questionnaires/import", methods=["GET", "POST"], endpoint="import_questionnaire")
def import_questionnaire_view():
    form = ImportForm(year=datetime.now(timezone.utc).year)
    errors: list[str] = []
    if form.validate_on_submit():
        upload = form.file.data
        try:
            imported = import_xlsform(Actor.of(current_user), upload.read(), upload.filename,
                                      year=form.year.data, audience=form.audience.data)
        except ImportRejected as exc:  # every problem, by sheet and row, as the CLI prints them
            db.session.rollback()
            errors = [str(error) for error in exc.errors]
        except DomainError as exc:
            db.session.rollback()
            errors = [str(exc)]
        else:
            db.session.commit()
            flash(_import_message(imported.questionnaire, imported.outcome), "success")
            for warning in imported.warnings:
                flash(_("Warning: %(warning)s", warning=warning), "info")
            return redirect(detail_url(imported.questionnaire))
    status = 422 if form.errors or errors else 200
    return render_template("admin/questionnaire_import.html", form=form, errors=errors), status


def _import_message(questionnaire: Questionnaire, outcome: ImportOutcome) -> str:
    names = {"slug": questionnaire.slug, "version": questionnaire.version}
    if outcome is ImportOutcome.REPLACED:
        return _("The draft %(slug)s version %(version)s now has the questions of this file.", **names)
    if outcome is ImportOutcome.NEW_VERSION:
        return _("%(slug)s was already published: this file is its new version %(version)s, a draft.", **names)
    return _("Imported %(slug)s version %(version)s as a draft.", **names)


@bp.get("/questionnaires/<slug>/<int:version>", endpoint="questionnaire")
def questionnaire_view(slug: str, version: int):
    return _detail(find_questionnaire(slug, version))


def _open_form() -> OpenForm:
    form = OpenForm()
    cities = sorted(db.session.scalars(select(City)), key=lambda city: localized(city).casefold())
    form.cities.choices = [SelectChoice(city.slug, localized(city)) for city in cities]
    return form


def _detail(questionnaire: Questionnaire, open_form: OpenForm | None = None, status: int = 200):
    latest = get_questionnaire(questionnaire.slug)
    mode_form = AccessModeForm(mode=questionnaire.access_mode)
    return render_template("admin/questionnaire.html", questionnaire=questionnaire,
                           cities=counts_by_city(questionnaire), open_form=open_form or _open_form(),
                           mode_form=mode_form, confirm=ConfirmForm(), is_latest=latest.id == questionnaire.id), status


@bp.get("/questionnaires/<slug>/<int:version>/xlsform.xlsx", endpoint="export_xlsform")
def export_xlsform(slug: str, version: int):
    questionnaire = find_questionnaire(slug, version)
    return send_file(io.BytesIO(write_xlsform(questionnaire.to_definition())), mimetype=XLSX_TYPE,
                     as_attachment=True, download_name=f"{questionnaire.slug}-v{questionnaire.version}.xlsx")


@bp.post("/questionnaires/<slug>/<int:version>/open", endpoint="open_questionnaire")
def open_questionnaire_view(slug: str, version: int):
    questionnaire = find_questionnaire(slug, version)
    form = _open_form()
    if form.validate_on_submit():
        try:
            open_in(Actor.of(current_user), questionnaire, form.chosen_cities(), closes_at=form.closing_time())
        except DomainError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("%(slug)s version %(version)s is open.", slug=slug, version=version), "success")
            return redirect(detail_url(questionnaire))
    return _detail(questionnaire, open_form=form, status=422)


def _close(questionnaire: Questionnaire, city_slugs: list[str] | None, done: str):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        close_in(Actor.of(current_user), questionnaire, city_slugs)
    except DomainError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(done, "success")
    return redirect(detail_url(questionnaire))


@bp.post("/questionnaires/<slug>/<int:version>/close", endpoint="close_questionnaire")
def close_questionnaire_view(slug: str, version: int):
    return _close(find_questionnaire(slug, version), None,
                  _("%(slug)s version %(version)s is closed everywhere; it takes no more answers.",
                    slug=slug, version=version))


@bp.post("/questionnaires/<slug>/<int:version>/cities/<city_slug>/close", endpoint="close_city")
def close_city_view(slug: str, version: int, city_slug: str):
    city = db.session.scalar(select(City).where(City.slug == city_slug)) or abort(404)
    return _close(find_questionnaire(slug, version), [city_slug],
                  _("Closed in %(city)s; the other cities stay open.", city=localized(city)))


@bp.post("/questionnaires/<slug>/<int:version>/new-version", endpoint="new_version")
def new_version_view(slug: str, version: int):
    questionnaire = find_questionnaire(slug, version)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        copy = make_new_version(Actor.of(current_user), questionnaire)
    except DomainError as exc:  # another admin made the same next version a moment ago
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(detail_url(questionnaire))
    db.session.commit()
    flash(_("Version %(version)s is a draft copy: replace its questions by importing a file with the same "
            "form_id, then open it.", version=copy.version), "success")
    return redirect(detail_url(copy))


@bp.post("/questionnaires/<slug>/<int:version>/access-mode", endpoint="access_mode")
def access_mode_view(slug: str, version: int):
    questionnaire = find_questionnaire(slug, version)
    form = AccessModeForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        set_version_access_mode(Actor.of(current_user), questionnaire, form.mode.data)
    except DomainError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("Access mode saved."), "success")
    return redirect(detail_url(questionnaire))
