"""What every answering view needs: the questionnaire and city of a public link, the browser's draft,
the friendly refusal pages, and URLs."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import abort, current_app, render_template, request, session, url_for
from flask_babel import refresh

from .. import questionnaire_spec as spec
from ..i18n import current_language
from ..models import City, Questionnaire, ResponseDraft
from ..services.answerable import public_target
from . import bp
from .cookies import draft_token, draft_tokens, has_answered

#: the honeypot field on the submit form: people never see it, form-filling robots fill it
HONEYPOT = "website"


def now() -> datetime:
    return datetime.now(timezone.utc)


def load_target(slug: str, city_slug: str) -> tuple[Questionnaire, City]:
    """The questionnaire and city of a public link; 404 unless the questionnaire is published and was
    ever opened in that city (closed ones get the friendly closed page from the caller)."""
    questionnaire, city, _draft = _public_target(slug, city_slug, {})
    return questionnaire, city


def load_target_and_draft(slug: str, city_slug: str) -> tuple[Questionnaire, City, ResponseDraft | None]:
    """load_target, and the draft this browser holds for that questionnaire version and city (None when
    it holds none, or one for another city or version). One query for both."""
    tokens = draft_tokens()
    questionnaire, city, draft = _public_target(slug, city_slug, tokens)
    # The query matched any of the browser's tokens; only the one kept for this link counts.
    if draft is not None and draft.token != draft_token(tokens, questionnaire, city):
        draft = None
    return questionnaire, city, draft


def _public_target(slug: str, city_slug: str, tokens: dict[str, str]):
    target = public_target(slug, city_slug, list(tokens.values()))
    if target is None or target[0].city_entry(target[1]) is None:
        abort(404)
    return target


def closed_page(questionnaire: Questionnaire, city: City):
    """410 Gone: the link was right, but answering is over (or paused) here."""
    return render_template("survey/closed.html", questionnaire=questionnaire, city=city), 410


def already_page(questionnaire: Questionnaire, city: City, message: str | None = None, status: int = 200):
    return render_template("survey/already.html", questionnaire=questionnaire, city=city, message=message), status


def answered_here(questionnaire: Questionnaire, city: City, draft: ResponseDraft | None) -> bool:
    """Open mode: this browser has answered this questionnaire in this city already."""
    if questionnaire.by_invitation:
        return False
    return has_answered(questionnaire, city) or (draft is not None and draft.is_submitted)


def adopt_language(draft: ResponseDraft) -> None:
    """Resuming in a new browser session (no language chosen yet): go on in the draft's language."""
    if draft.language in current_app.config["LANGUAGES"] and "lang" not in session and "lang" not in request.args:
        session["lang"] = draft.language
        refresh()


def section_url(questionnaire: Questionnaire, city: City, number: int, **args) -> str:
    return url_for("survey.section", slug=questionnaire.slug, city_slug=city.slug, number=number, **args)


def survey_url(endpoint: str, questionnaire: Questionnaire, city: City, **args) -> str:
    return url_for(f"survey.{endpoint}", slug=questionnaire.slug, city_slug=city.slug, **args)


@bp.context_processor
def _helpers() -> dict:
    """t(texts): a questionnaire text in the page's language (with the form's fallbacks)."""
    language = current_language()  # looked up once per page: t() runs for every label and option

    def t(texts: dict, fallback: str = "") -> str:
        return spec.text_in(texts, language, fallback)

    return {"t": t, "section_url": section_url, "survey_url": survey_url, "HONEYPOT": HONEYPOT}
