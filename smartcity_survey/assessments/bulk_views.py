"""Bulk fill for officers: upload -> preview of every change (or every bad row) -> apply all or nothing.

Between preview and apply the file waits in BULK_UPLOAD_DIR under a random token that is also kept in
the officer's session, so nobody else can apply it, and the page needs no JavaScript to carry it.
"""
from __future__ import annotations

import csv
import io

from flask import Response, abort, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ..extensions import db
from ..i18n import localized, unit_label
from ..services import DomainError
from ..services.assessments import values_for
from ..services.bulk_fill import apply_bulk_fill, park_upload, parked_path, plan_bulk_fill
from ..services.evidence import clean_file_name
from ..services.standards import ImportRejected
from . import bp
from ..io.spreadsheets import safe_cell
from ..io.values import format_number
from .forms import BulkApplyForm, BulkUploadForm
from .scope import Scope, actor, is_editor, load_scope

SESSION_KEY = "bulk_fill"


def _editor_scope(year: int, slug: str) -> Scope:
    scope = load_scope(year, slug)
    if not is_editor():
        abort(403)
    return scope


@bp.route("/<int:year>/<slug>/bulk", methods=["GET", "POST"], endpoint="bulk_upload")
@login_required
def bulk_upload(year: int, slug: str):
    scope = _editor_scope(year, slug)
    form = BulkUploadForm()
    if not form.validate_on_submit():
        return render_template("assessments/bulk.html", scope=scope, form=form), 422 if form.is_submitted() else 200
    return _preview(scope, form.file.data.read(), clean_file_name(form.file.data.filename))


def _preview(scope: Scope, data: bytes, filename: str, token: str | None = None, status: int = 200):
    try:
        plan = plan_bulk_fill(scope.assessment, scope.city, io.BytesIO(data), filename)
    except ImportRejected as exc:
        db.session.rollback()
        return _rejected(scope, filename, exc)
    if token is None:
        token = park_upload(current_app.config["BULK_UPLOAD_DIR"], data)
        session[SESSION_KEY] = {"token": token, "filename": filename, "city": scope.city.slug, "year": scope.year}
    apply_form = BulkApplyForm(formdata=None, token=token, fingerprint=plan.fingerprint)
    return render_template("assessments/bulk.html", scope=scope, form=BulkUploadForm(formdata=None), plan=plan,
                           apply_form=apply_form, filename=filename), status


def _rejected(scope: Scope, filename: str, exc: ImportRejected):
    return render_template("assessments/bulk.html", scope=scope, form=BulkUploadForm(formdata=None),
                           errors=exc.errors, filename=filename), 422


@bp.post("/<int:year>/<slug>/bulk/apply", endpoint="bulk_apply")
@login_required
def bulk_apply(year: int, slug: str):
    scope = _editor_scope(year, slug)
    form = BulkApplyForm()
    parked = session.get(SESSION_KEY) or {}
    expected = {"token": form.token.data, "city": scope.city.slug, "year": scope.year}
    directory = current_app.config["BULK_UPLOAD_DIR"]
    try:
        if not form.validate_on_submit() or any(parked.get(k) != v for k, v in expected.items()):
            raise DomainError(_("This preview has expired. Upload the file again."))
        path = parked_path(directory, form.token.data)
    except DomainError as exc:
        flash(str(exc), "error")
        return redirect(url_for(".bulk_upload", **scope.url_args))
    data, filename = path.read_bytes(), parked["filename"]
    try:
        plan = plan_bulk_fill(scope.assessment, scope.city, io.BytesIO(data), filename)
        count = apply_bulk_fill(scope.assessment, scope.city, plan, form.fingerprint.data, actor(), filename)
        db.session.commit()
    except ImportRejected as exc:  # values were submitted or verified since the preview
        db.session.rollback()
        return _rejected(scope, filename, exc)
    except (DomainError, StaleDataError, IntegrityError) as exc:  # changed since the preview
        db.session.rollback()
        flash(str(exc) if isinstance(exc, DomainError) else
              _("The values changed since the preview. Check the new preview."), "error")
        return _preview(scope, data, filename, token=form.token.data, status=409)
    path.unlink(missing_ok=True)
    session.pop(SESSION_KEY, None)
    flash(_("Bulk fill applied: %(count)s values changed. They are drafts until you submit them.",
            count=count), "success")
    return redirect(url_for(".overview", **scope.url_args))


@bp.get("/<int:year>/<slug>/bulk/template.csv", endpoint="bulk_template")
@login_required
def bulk_template(year: int, slug: str):
    """The city's current values in the importer's columns: a starting point for a bulk fill."""
    scope = load_scope(year, slug)
    records = values_for(scope.city, scope.assessment)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    # indicator_name and expected are for the person filling it in (the importer reads neither)
    writer.writerow(["city", "indicator", "indicator_name", "expected", "value", "evidence"])
    for indicator in scope.assessment.standard.indicators:
        record = records.get(indicator.id)
        evidence = "" if record is None else (record.na_reason if record.not_applicable else record.evidence_note)
        # free text typed by officers: neutralised so Excel never runs it as a formula (read back by unsafe_cell)
        writer.writerow([scope.city.slug, indicator.code, safe_cell(localized(indicator)), _expected(indicator),
                         _template_value(indicator.method, record), safe_cell(evidence or "")])
    name = f"{scope.city.slug}-{scope.year}.csv"
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={name}"})


def _expected(indicator) -> str:
    """What the value column takes, in words in the officer's language (as the form's hint says it)."""
    if indicator.method == "yes_no":
        return _("yes or no (or n/a)")
    if indicator.method == "percent":
        return _("percent 0-100 (or n/a)")
    better = _("higher is better") if indicator.direction == "higher" else _("lower is better")
    target = format_number(indicator.target)
    if not indicator.unit:
        return _("number, target %(target)s, %(better)s (or n/a)", target=target, better=better)
    return _("number in %(unit)s, target %(target)s, %(better)s (or n/a)", unit=unit_label(indicator.unit),
             target=target, better=better)


def _template_value(method: str, record) -> str:
    if record is None or (record.value is None and not record.not_applicable):
        return ""
    if record.not_applicable:
        return "n/a"
    if method == "yes_no":
        return "yes" if record.value == 1 else "no"
    return format_number(record.value)
