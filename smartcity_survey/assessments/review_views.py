"""Workflow buttons: officers submit, analysts verify or return, admins reopen; the review queue.
Each is a POST that commits once and redirects back (the result is shown as a flashed message)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from ..extensions import db
from ..models import Role
from ..services import DomainError
from ..services.review import reopen_values, return_values, review_queue, submit_area, submit_form, verify_area
from . import bp
from ..auth.forms import ConfirmForm
from .forms import ReviewForm
from .scope import REVIEWERS, actor, is_editor, load_scope, require_role


def _run(step, success: str, target: str, **url_args):
    """Run one workflow step in its own transaction; show its outcome either way."""
    try:
        count = step()
    except DomainError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(success % {"count": count}, "success")
    return redirect(url_for(target, **url_args))


def _confirmed() -> None:
    if not ConfirmForm().validate_on_submit():
        abort(400)


@bp.post("/<int:year>/<slug>/areas/<area_code>/submit", endpoint="submit_area")
@login_required
def submit_area_view(year: int, slug: str, area_code: str):
    scope = load_scope(year, slug, area_code)
    if not is_editor():
        abort(403)
    _confirmed()
    return _run(lambda: submit_area(scope.city, scope.assessment, scope.area, actor()),
                _("Submitted for review: %(count)s values."), ".edit_area", **scope.url_args)


@bp.post("/<int:year>/<slug>/submit", endpoint="submit_form")
@login_required
def submit_form_view(year: int, slug: str):
    scope = load_scope(year, slug)
    if not is_editor():
        abort(403)
    _confirmed()
    return _run(lambda: submit_form(scope.city, scope.assessment, actor()),
                _("The whole form is submitted for review: %(count)s values."), ".overview", **scope.url_args)


@bp.post("/<int:year>/<slug>/areas/<area_code>/verify", endpoint="verify_area")
@login_required
def verify_area_view(year: int, slug: str, area_code: str):
    scope = load_scope(year, slug, area_code)
    require_role(*REVIEWERS)
    _confirmed()
    return _run(lambda: verify_area(scope.city, scope.assessment, scope.area, actor()),
                _("Verified: %(count)s values. They now count in the public rating."), ".edit_area",
                **scope.url_args)


@bp.post("/<int:year>/<slug>/areas/<area_code>/return", endpoint="return_area")
@login_required
def return_area_view(year: int, slug: str, area_code: str):
    scope = load_scope(year, slug, area_code)
    require_role(*REVIEWERS)
    form = ReviewForm(prefix="return")
    if not form.validate_on_submit():
        abort(400)
    return _run(lambda: return_values(scope.city, scope.assessment, scope.area, form.indicators.data or None,
                                      form.comment.data or "", actor()),
                _("Returned to the akimat: %(count)s values."), ".edit_area", **scope.url_args)


@bp.post("/<int:year>/<slug>/areas/<area_code>/reopen", endpoint="reopen_area")
@login_required
def reopen_area_view(year: int, slug: str, area_code: str):
    scope = load_scope(year, slug, area_code)
    require_role(Role.ADMIN.value)
    form = ReviewForm(prefix="reopen")
    if not form.validate_on_submit():
        abort(400)
    return _run(lambda: reopen_values(scope.city, scope.assessment, scope.area, form.indicators.data or None,
                                      form.comment.data or "", actor()),
                _("Reopened: %(count)s values are editable again (recorded in the history and the admin log)."),
                ".edit_area", **scope.url_args)


@bp.get("/review", endpoint="review_queue")
@login_required
def review_queue_view():
    """Areas awaiting review, oldest submission first."""
    require_role(*REVIEWERS)
    return render_template("assessments/review_queue.html", items=review_queue())
