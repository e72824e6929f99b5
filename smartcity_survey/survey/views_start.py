"""The picker of open questionnaires, the landing page of a public link, starting a draft (with an
invitation code in invitation mode), and the pages after: saved-for-later and thank-you."""
from __future__ import annotations

from flask import current_app, redirect, render_template, request

from ..extensions import db, limiter
from ..i18n import current_language
from ..models import City, Questionnaire, ResponseDraft
from ..services.answerable import open_by_city
from ..services.definitions import definition_of
from ..services.drafts import start_draft
from ..services.invitations import InvitationRefused, find_invitation
from . import bp
from .common import (adopt_language, already_page, answered_here, closed_page, load_target, load_target_and_draft,
                     now, section_url, survey_url)
from .cookies import remember_draft
from .forms import CodeForm, StartForm
from .pages import QuestionnairePages


@bp.get("/")
def picker():
    """Questionnaires taking answers now, grouped by city."""
    return render_template("survey/picker.html", groups=open_by_city(now(), current_language()))


@bp.get("/<slug>/<city_slug>")
def landing(slug: str, city_slug: str):
    """Start, continue, or (invitation mode) enter the code; ?code= from an invitation link pre-fills it."""
    questionnaire, city, draft = load_target_and_draft(slug, city_slug)
    if not questionnaire.is_accepting(city, now()):
        return closed_page(questionnaire, city)
    if answered_here(questionnaire, city, draft):
        return already_page(questionnaire, city)
    if draft is not None and not draft.is_submitted:
        adopt_language(draft)
        return _landing(questionnaire, city, draft=draft)
    form = CodeForm(code=request.args.get("code", "")) if questionnaire.by_invitation else StartForm()
    return _landing(questionnaire, city, form=form)


@bp.post("/<slug>/<city_slug>/start")
@limiter.limit(lambda: current_app.config["SURVEY_START_LIMIT"])
def start(slug: str, city_slug: str):
    """A new draft, remembered in this browser; a second click goes on with the first one."""
    questionnaire, city, draft = load_target_and_draft(slug, city_slug)
    if not questionnaire.is_accepting(city, now()):
        return closed_page(questionnaire, city)
    if answered_here(questionnaire, city, draft):
        return already_page(questionnaire, city)
    if draft is not None and not draft.is_submitted and not questionnaire.by_invitation:
        return redirect(section_url(questionnaire, city, draft.page), 303)
    form = CodeForm() if questionnaire.by_invitation else StartForm()
    if not form.validate_on_submit():
        return _landing(questionnaire, city, form=form)
    invitation = None
    if questionnaire.by_invitation:
        try:
            invitation = find_invitation(questionnaire, city, form.code.data)
        except InvitationRefused as exc:
            form.code.errors.append(str(exc))
            return _landing(questionnaire, city, form=form)
        if draft is not None and not draft.is_submitted and draft.invitation_id == invitation.id:
            return redirect(section_url(questionnaire, city, draft.page), 303)
    draft = start_draft(questionnaire, city, language=current_language(), invitation=invitation)
    db.session.commit()
    response = redirect(section_url(questionnaire, city, 1), 303)
    remember_draft(response, questionnaire, city, draft.token)
    return response


def _landing(questionnaire: Questionnaire, city: City, *, form=None, draft: ResponseDraft | None = None):
    pages = QuestionnairePages(definition_of(questionnaire))
    resume_url = None
    if draft is not None:
        resume_url = section_url(questionnaire, city, draft.page) if draft.page <= len(pages) \
            else survey_url("review", questionnaire, city)
    return render_template("survey/landing.html", questionnaire=questionnaire, city=city, form=form,
                           draft=draft, resume_url=resume_url, page_count=len(pages))


@bp.get("/<slug>/<city_slug>/saved")
def saved(slug: str, city_slug: str):
    """After "Save and continue later": how to come back."""
    questionnaire, city = load_target(slug, city_slug)
    return render_template("survey/saved.html", questionnaire=questionnaire, city=city,
                           days=current_app.config["SURVEY_DRAFT_DAYS"])


@bp.get("/<slug>/<city_slug>/thanks")
def thanks(slug: str, city_slug: str):
    """After the final submit (and after a replayed one: the same page, nothing stored twice)."""
    questionnaire, city = load_target(slug, city_slug)
    return render_template("survey/thanks.html", questionnaire=questionnaire, city=city)
