"""The akimat form: a city's year at a glance, one page per area (save, draft preview), the history
of an indicator, and evidence downloads."""
from __future__ import annotations

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import FileStorage

from ..auth.access import require_city_access
from ..extensions import db
from ..i18n import localized
from ..io.values import is_whole_number
from ..models import ChangeKind, City
from ..scoring import Reading
from ..serializers import number
from ..services import evidence as evidence_service
from ..services.assessments import (EntryInput, StaleEdit, digest_of, find_conflicts, find_indicator,
                                    form_overview, progress_of, save_area, values_for)
from ..services.history import changes_of, latest_comments
from ..services.rating import list_years
from ..services.review import status_board
from . import bp
from ..auth.forms import ConfirmForm
from .forms import area_form, entry_key
from .scope import REVIEWERS, Scope, actor, is_editor, load_scope, require_role


def evidence_dir() -> str:
    return current_app.config["EVIDENCE_DIR"]


@bp.get("/")
@login_required
def index():
    """Officers go straight to their city's latest form; reviewers see every city's progress."""
    years = list_years()
    if current_user.is_akimat:
        if years:
            return redirect(url_for(".overview", year=years[0].year, slug=current_user.city.slug))
        return render_template("assessments/index.html", years=years, assessment=None)
    require_role(*REVIEWERS)
    chosen = request.args.get("year", type=int)
    assessment = next((y for y in years if y.year == chosen), years[0] if years else None)
    cities = list(db.session.scalars(select(City).order_by(City.name_en)))
    return render_template("assessments/index.html", years=years, assessment=assessment, cities=cities,
                           board=status_board(assessment) if assessment else {})


@bp.get("/<int:year>/<slug>/")
@login_required
def overview(year: int, slug: str):
    scope = load_scope(year, slug)
    return render_template("assessments/overview.html", scope=scope, years=list_years(), editor=is_editor(),
                           overview=form_overview(scope.city, scope.assessment), confirm=ConfirmForm())


@bp.route("/<int:year>/<slug>/areas/<area_code>", methods=["GET", "POST"])
@login_required
def edit_area(year: int, slug: str, area_code: str):
    """GET shows the area (editable for the city's officers); POST saves the touched entries."""
    scope = load_scope(year, slug, area_code)
    if request.method == "POST" and not is_editor():
        abort(403)
    indicators = list(scope.area.indicators)
    records = values_for(scope.city, scope.assessment, [i.id for i in indicators])
    form = area_form(indicators, records, formdata=request.form if request.method == "POST" else None)
    if request.method == "POST":
        return _save(scope, form, indicators, records)
    return _render_area(scope, form, records)


def _save(scope: Scope, form, indicators, records):
    inputs = _inputs(form, indicators) if form.validate() else None
    if inputs is None:
        flash(_("Not saved: please correct the fields marked below."), "error")
        _ask_for_files_again()
        return _render_area(scope, form, records, status=422)
    try:
        result = save_area(scope.city, scope.assessment, scope.area, inputs, actor(), evidence_dir())
        _commit_or_discard(result.written_files)
    except StaleEdit as exc:
        db.session.rollback()
        return _refused(scope, form, exc.conflicts)
    except (StaleDataError, IntegrityError):  # a save that raced in between our check and our write
        db.session.rollback()
        return _refused(scope, form, find_conflicts(scope.city, scope.assessment, scope.area, inputs))
    if result.changed:
        flash(_("Draft saved (%(count)s indicators changed).", count=len(result.changed)), "success")
    else:
        flash(_("Nothing had changed, so nothing was saved."), "info")
    return redirect(url_for(".edit_area", **scope.url_args))


def _commit_or_discard(written_files) -> None:
    try:
        db.session.commit()
    except Exception:
        evidence_service.discard(written_files)
        raise


def _inputs(form, indicators) -> dict[int, EntryInput] | None:
    """Validated entries of the entries the page showed; None if an evidence file is refused."""
    inputs, max_bytes, ok = {}, current_app.config["EVIDENCE_MAX_BYTES"], True
    for indicator in indicators:
        entry = form[entry_key(indicator)].form
        if not entry.was_rendered:
            continue
        upload, file = None, entry.evidence_file.data
        if isinstance(file, FileStorage) and file.filename:
            try:
                upload = evidence_service.check_upload(file.stream, file.filename, max_bytes)
            except evidence_service.EvidenceRejected as exc:
                entry.evidence_file.errors.append(str(exc))
                ok = False
                continue
        inputs[indicator.id] = _entry_input(entry, upload)
    return inputs if ok else None


def _entry_input(entry, upload) -> EntryInput:
    not_applicable = bool(entry.not_applicable.data)
    version = entry.version.data or ""
    return EntryInput(
        value=None if not_applicable else entry.parsed_value(), not_applicable=not_applicable,
        na_reason=(entry.na_reason.data or "").strip(), evidence_note=(entry.evidence_note.data or "").strip(),
        evidence_url=(entry.evidence_url.data or "").strip(),
        version=int(version) if is_whole_number(version) else None, loaded=entry.loaded.data, upload=upload)


def _refused(scope: Scope, form, conflicts):
    """Keep the officer's input, show what is saved now, and let a second save replace it knowingly."""
    for conflict in conflicts:
        entry = form[entry_key(conflict.indicator)].form
        entry.version.data, entry.loaded.data = str(conflict.current.version), digest_of(conflict.current)
    names = ", ".join(f"“{localized(c.indicator)}”" for c in conflicts)
    flash(_("Not saved: %(names)s changed since you opened this page. Nothing was overwritten. Your input "
            "is kept below next to the value saved now; save again to replace it.", names=names), "error")
    _ask_for_files_again()
    records = values_for(scope.city, scope.assessment, [i.id for i in scope.area.indicators])
    return _render_area(scope, form, records, status=409, conflicts={c.indicator.id: c for c in conflicts})


def _ask_for_files_again() -> None:
    """A browser cannot put a chosen file back into a re-shown form, so say so."""
    if any(file.filename for file in request.files.values()):
        flash(_("Files you chose were not kept: choose them again before saving."), "error")


def _render_area(scope: Scope, form, records, status: int = 200, conflicts=None):
    overview = form_overview(scope.city, scope.assessment)
    comments = latest_comments([r.id for r in records.values()], (ChangeKind.RETURN.value, ChangeKind.REOPEN.value))
    return render_template(
        "assessments/area.html", scope=scope, form=form, records=records, overview=overview,
        progress=progress_of(overview, scope.area), comments=comments, conflicts=conflicts or {},
        editor=is_editor(), reviewer=current_user.role in REVIEWERS, confirm=ConfirmForm(),
        entry_key=entry_key), status


@bp.post("/<int:year>/<slug>/areas/<area_code>/preview")
@login_required
def preview_area(year: int, slug: str, area_code: str):
    """JSON: the draft area, group and city scores with the page's unsaved input (progressive JS)."""
    scope = load_scope(year, slug, area_code)
    if not is_editor():
        abort(403)
    indicators = list(scope.area.indicators)
    records = values_for(scope.city, scope.assessment, [i.id for i in indicators])
    form = area_form(indicators, records, formdata=request.form)
    form.validate()
    overrides, invalid = {}, []
    for indicator in indicators:
        entry = form[entry_key(indicator)].form
        if not entry.was_rendered:
            continue
        if entry.value.errors or entry.na_reason.errors:
            invalid.append(indicator.code)
            continue
        not_applicable = bool(entry.not_applicable.data)
        overrides[indicator.code] = Reading(None if not_applicable else entry.parsed_value(), not_applicable)
    return jsonify(_preview_dict(scope, form_overview(scope.city, scope.assessment, overrides), indicators,
                                 records, overrides, invalid))


def _preview_dict(scope: Scope, overview, indicators, records, overrides, invalid) -> dict:
    area_result = overview.draft_score.areas[scope.area.code]
    group = overview.draft_score.groups[scope.area.group.code]
    answered = sum(_is_answered(overrides.get(i.code), records.get(i.id)) for i in indicators)
    return {
        "draft": True, "invalid": invalid,
        "area": {"code": scope.area.code, "percent": number(area_result.percent, 1),
                 "answered": answered, "total": len(indicators)},
        "group": {"code": group.code, "percent": number(group.percent, 1), "points": group.points},
        "total": {"percent": number(overview.draft_score.total_percent, 1),
                  "level_percent": number(overview.draft_score.level_percent, 1)},
    }


def _is_answered(reading: Reading | None, record) -> bool:
    """Answered with the page's input if it has one, else as saved."""
    if reading is not None:
        return reading.not_applicable or reading.value is not None
    return record is not None and record.is_answered


@bp.get("/<int:year>/<slug>/indicators/<code>/history")
@login_required
def indicator_history(year: int, slug: str, code: str):
    """Every change to one indicator of one city and year, newest first. Read-only by design."""
    scope = load_scope(year, slug)
    indicator = find_indicator(scope.assessment, code) or abort(404)
    record = values_for(scope.city, scope.assessment, [indicator.id]).get(indicator.id)
    return render_template("assessments/history.html", scope=scope, indicator=indicator, record=record,
                           changes=changes_of(record) if record is not None else [])


@bp.get("/evidence/<int:file_id>")
@login_required
def download_evidence(file_id: int):
    """A stored evidence file, only for users who may read its city; always a download, never rendered."""
    file = evidence_service.get_file(file_id)
    require_city_access(file.value.city if file is not None else None)
    path = evidence_service.path_of(file, evidence_dir())
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=file.content_type, as_attachment=True,
                         download_name=file.original_name, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
