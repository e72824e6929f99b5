"""Answering: one page per section (Next / Back / Save and continue later / switch language, every one
of them a submit button that saves the page to the draft first), the review, and the final submit.

Works without JavaScript. A question whose `relevant` depends on an answer on its own page is sent
hidden until that answer is saved: "Next" then shows the page again with the question that appeared
(survey.js shows it at once when the rule is simple). Each page is checked on "Next"; everything is
checked again on submit, which stores the response in one transaction and is idempotent per draft.
"""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, session
from flask_babel import gettext as _

from ..extensions import db, limiter
from ..i18n import current_language
from ..models import City, Questionnaire, ResponseDraft
from ..services import DomainError
from ..services.definitions import definition_of
from ..services.drafts import AlreadySubmitted, save_answers, submit_draft
from ..services.invitations import InvitationRefused
from ..services.responses import AnswersRejected
from . import bp
from .common import (HONEYPOT, adopt_language, already_page, closed_page, load_target_and_draft, now,
                     section_url, survey_url)
from .cookies import has_answered, mark_answered
from .fragments import question_fragments
from .pages import (Page, QuestionnairePages, group_headings, is_blank, page_title, rank_slots, read_page,
                    review_sections, show_when)


def _draft_in_progress(questionnaire: Questionnaire, city: City, draft: ResponseDraft | None
                       ) -> tuple[ResponseDraft | None, object]:
    """The browser's draft if unsubmitted, or (None, the response that sends the browser where it belongs)."""
    if draft is None:
        return None, redirect(survey_url("landing", questionnaire, city))
    if draft.is_submitted:  # the back button after submitting: nothing to change any more
        return None, redirect(survey_url("thanks", questionnaire, city))
    if not questionnaire.is_accepting(city, now()):
        return None, closed_page(questionnaire, city)
    return draft, None


@bp.route("/<slug>/<city_slug>/s/<int:number>", methods=["GET", "POST"])
def section(slug: str, city_slug: str, number: int):
    """One page of questions (GET), or its answers saved and the chosen button followed (POST)."""
    questionnaire, city, draft = load_target_and_draft(slug, city_slug)
    draft, elsewhere = _draft_in_progress(questionnaire, city, draft)
    if draft is None:
        return elsewhere
    pages = QuestionnairePages(definition_of(questionnaire))
    page = pages.page(number) or abort(404)
    if request.method == "POST":
        return _save_page(questionnaire, city, draft, pages, page)
    adopt_language(draft)
    relevant = pages.relevant(draft.answers)
    if not any(q.name in relevant for q in page.questions):
        return redirect(_url_after(questionnaire, city, pages, page, draft.answers))  # skipped section
    # ?check=1: sent back from a refused submit, so the errors show at once
    errors = pages.errors(draft.answers, current_language(), page) if request.args.get("check") else {}
    return _render_page(questionnaire, city, pages, page, draft.answers, errors, relevant=relevant)


def _save_page(questionnaire: Questionnaire, city: City, draft: ResponseDraft, pages: QuestionnairePages,
               page: Page):
    posted = read_page(page, request.form)
    answers = {**draft.answers, **posted}
    switch_to = request.form.get("switch_lang")
    if switch_to in current_app.config["LANGUAGES"]:
        session["lang"] = switch_to
        return _save_then(draft, posted, page.number, switch_to, section_url(questionnaire, city, page.number))
    action = request.form.get("action", "next")
    if action == "save":
        return _save_then(draft, posted, page.number, current_language(), survey_url("saved", questionnaire, city))
    if action == "back":
        previous = pages.step(page.number, answers, -1)
        target = section_url(questionnaire, city, previous.number) if previous \
            else survey_url("landing", questionnaire, city)
        return _save_then(draft, posted, previous.number if previous else page.number, current_language(), target)
    return _next(questionnaire, city, draft, pages, page, posted)


def _save_then(draft: ResponseDraft, posted: dict, page_number: int, language: str, target: str):
    save_answers(draft, posted, page=page_number, language=language)
    db.session.commit()
    return redirect(target, 303)


def _next(questionnaire: Questionnaire, city: City, draft: ResponseDraft, pages: QuestionnairePages, page: Page,
          posted: dict):
    """Go on, unless the page has errors or answers on it made more of its questions appear."""
    answers = {**draft.answers, **posted}
    newly_shown = pages.relevant(answers) - pages.relevant(draft.answers)  # once: each judges the whole form
    appeared = {q.name for q in page.answerable if q.name in newly_shown and is_blank(answers.get(q.name))}
    errors = {name: message for name, message in pages.errors(answers, current_language(), page).items()
              if name not in appeared}
    if appeared or errors:
        save_answers(draft, posted, page=page.number, language=current_language())
        db.session.commit()
        return _render_page(questionnaire, city, pages, page, answers, errors, appeared)
    following = pages.step(page.number, answers, 1)
    if following is None:  # the review comes after the last page; resuming then opens it
        return _save_then(draft, posted, len(pages) + 1, current_language(), survey_url("review", questionnaire, city))
    return _save_then(draft, posted, following.number, current_language(),
                      section_url(questionnaire, city, following.number))


def _url_after(questionnaire: Questionnaire, city: City, pages: QuestionnairePages, page: Page,
               answers: dict) -> str:
    following = pages.step(page.number, answers, 1)
    return section_url(questionnaire, city, following.number) if following \
        else survey_url("review", questionnaire, city)


def _render_page(questionnaire: Questionnaire, city: City, pages: QuestionnairePages, page: Page, answers: dict,
                 errors: dict[str, str], appeared: set[str] = frozenset(), relevant: set[str] | None = None):
    language = current_language()
    relevant = pages.relevant(answers) if relevant is None else relevant
    fragment = question_fragments(questionnaire, pages.definition, language, answers, errors, relevant, appeared)
    return render_template(
        "survey/section.html", questionnaire=questionnaire, city=city, definition=pages.definition,
        fragment=fragment, page=page, page_count=len(pages), title=page_title(page, language), answers=answers,
        errors=errors, appeared=appeared, relevant=relevant, rules={q.name: show_when(q, page) for q in page.questions},
        headings=group_headings(pages.definition, page), rank_slots=rank_slots,
        has_previous=pages.step(page.number, answers, -1, relevant) is not None,
        is_last=pages.step(page.number, answers, 1, relevant) is None)


@bp.get("/<slug>/<city_slug>/review")
def review(slug: str, city_slug: str):
    """Every answer as the respondent will send it, with an Edit link per section, then Submit."""
    questionnaire, city, draft = load_target_and_draft(slug, city_slug)
    draft, elsewhere = _draft_in_progress(questionnaire, city, draft)
    if draft is None:
        return elsewhere
    adopt_language(draft)
    pages = QuestionnairePages(definition_of(questionnaire))
    language = current_language()
    sections = [dict(item, title=page_title(item["page"], language))
                for item in review_sections(pages, draft.answers, language)]
    last = pages.step(len(pages) + 1, draft.answers, -1)
    return render_template("survey/review.html", questionnaire=questionnaire, city=city, sections=sections,
                           last_page=last.number if last else 1)


@bp.post("/<slug>/<city_slug>/submit")
@limiter.limit(lambda: current_app.config["SURVEY_SUBMIT_LIMIT"])
def submit(slug: str, city_slug: str):
    """Store the draft as one response. A replay of a submitted draft shows the same thank-you page."""
    questionnaire, city, draft = load_target_and_draft(slug, city_slug)
    if draft is None:
        return redirect(survey_url("landing", questionnaire, city), 303)
    if draft.is_submitted or request.form.get(HONEYPOT, "").strip():
        # a replay stored nothing new; a filled honeypot is a robot, told "thank you" and ignored
        return redirect(survey_url("thanks", questionnaire, city), 303)
    if not questionnaire.is_accepting(city, now()):
        return closed_page(questionnaire, city)
    if not questionnaire.by_invitation and has_answered(questionnaire, city):
        return already_page(questionnaire, city, status=409)
    pages = QuestionnairePages(definition_of(questionnaire))
    # The answer is built first: not while holding SQLite's write lock, and not after the commit,
    # which expires the rows it is read from.
    thanks = redirect(survey_url("thanks", questionnaire, city), 303)
    if not questionnaire.by_invitation:
        mark_answered(thanks, questionnaire, city)
    try:
        submit_draft(draft, pages.known(draft.answers), language=current_language(), now=now())
    except DomainError as exc:
        db.session.rollback()
        return _refused(questionnaire, city, pages, exc)
    db.session.commit()
    return thanks


def _refused(questionnaire: Questionnaire, city: City, pages: QuestionnairePages, exc: DomainError):
    """A submit that stored nothing: say why, and where to go."""
    if isinstance(exc, AlreadySubmitted):  # a concurrent twin got there first; it stored the answers
        return redirect(survey_url("thanks", questionnaire, city), 303)
    if isinstance(exc, InvitationRefused):
        return already_page(questionnaire, city, str(exc), status=409)
    if isinstance(exc, AnswersRejected):
        flash(_("Some answers need attention before you can submit."), "error")
        first = pages.first_page_of(set(exc.errors))
        return redirect(section_url(questionnaire, city, first.number, check=1) if first
                        else survey_url("review", questionnaire, city), 303)
    return closed_page(questionnaire, city)  # stopped taking answers meanwhile
