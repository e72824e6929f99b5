"""The suggestion queue (pending oldest first, or the approved or hidden ones to revisit a decision)
and the decision on one suggestion. A suggestion is shown with its questionnaire, city and day only:
nothing about who wrote it. Its text is user input and is only ever rendered escaped."""
from __future__ import annotations

from math import ceil

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from ..extensions import db
from ..i18n import localized
from ..models import City, ReviewStatus
from ..services import DomainError
from ..services.history import Actor
from ..services.moderation import Suggestion, count_suggestions, get_suggestion, list_suggestions, moderate
from ..services.standards import standard_for_year
from . import bp
from .forms import DecisionForm

PAGE_SIZE = 20
#: the queue's tabs: "pending" (no decision yet) and the two decisions
LISTS = ("pending", ReviewStatus.APPROVED.value, ReviewStatus.HIDDEN.value)


def _list_and_page() -> tuple[str, int]:
    """The ?status= and ?page= of the request, made safe (unknown list: pending; pages from 1)."""
    shown = request.args.get("status", "pending")
    return (shown if shown in LISTS else "pending"), max(1, request.args.get("page", 1, type=int))


def _filters(shown: str) -> dict:
    return {"pending": True} if shown == "pending" else {"status": shown}


def _decision_form(suggestion: Suggestion, areas_of_year: dict[int, list]) -> DecisionForm:
    if suggestion.year not in areas_of_year:
        standard = standard_for_year(suggestion.year)
        areas_of_year[suggestion.year] = sorted(standard.areas, key=lambda a: a.position) if standard else []
    form = DecisionForm(prefix=f"s{suggestion.answer_id}", area=suggestion.area_code or "")
    form.area.choices = [SelectChoice("", _("General (no area)"))] + [
        SelectChoice(area.code, localized(area)) for area in areas_of_year[suggestion.year]]
    return form


@bp.get("/", endpoint="queue")
def queue():
    shown, page = _list_and_page()
    total = count_suggestions(**_filters(shown))
    pages = max(1, ceil(total / PAGE_SIZE))
    page = min(page, pages)  # the last page may empty as decisions take suggestions off it
    suggestions = list_suggestions(**_filters(shown), limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    areas: dict[int, list] = {}
    forms = {s.answer_id: _decision_form(s, areas) for s in suggestions}
    cities = {c.id: c for c in db.session.scalars(select(City).where(City.id.in_({s.city_id for s in suggestions})))}
    return render_template("moderation/queue.html", suggestions=suggestions, forms=forms, cities=cities, shown=shown,
                           page=page, pages=pages, total=total, lists=LISTS)


@bp.post("/suggestions/<int:answer_id>", endpoint="decide")
def decide(answer_id: int):
    shown, page = _list_and_page()
    suggestion = get_suggestion(answer_id) or abort(404)
    form = _decision_form(suggestion, {})
    if not form.validate_on_submit() or not (form.approve.data or form.hide.data):
        abort(400)  # only a tampered post: the page offers valid areas and two buttons
    status = ReviewStatus.APPROVED.value if form.approve.data else ReviewStatus.HIDDEN.value
    try:
        moderate(Actor.of(current_user), answer_id, status, (form.area.data or None) if form.approve.data else None)
    except DomainError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("Suggestion approved.") if form.approve.data else _("Suggestion hidden."), "success")
    return redirect(url_for(".queue", status=shown, page=page))
