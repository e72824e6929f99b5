"""Questionnaires for the admin, moderation and export tests: the small test form and a form with a
free-text suggestion, created and opened through the services, and answers submitted to them."""
from __future__ import annotations

from datetime import datetime

from smartcity_survey.extensions import db
from smartcity_survey.io.xlsform import read_xlsform
from smartcity_survey.models import City, Questionnaire, Response
from smartcity_survey.services.questionnaires import create_questionnaire, open_questionnaire
from smartcity_survey.services.responses import submit_response
from tests.xlsform_helpers import CHOICES_HEADER, RATING_CHOICES, SMALL_FORM, xlsform

#: a rating and a free-text suggestion (long_text: a multiline text), form_id "ideas"
IDEAS_FORM = xlsform(
    [["type", "name", "label::English (en)", "label::Russian (ru)", "appearance"],
     ["select_one rate", "transport", "Rate transport", "Оцените транспорт", ""],
     ["text", "suggestion", "Your suggestion", "Ваше предложение", "multiline"]],
    [CHOICES_HEADER, *RATING_CHOICES], [["form_id", "form_title"], ["ideas", "Ideas"]])


def city(slug: str) -> City:
    return db.session.scalar(db.select(City).where(City.slug == slug))


def add_questionnaire(form: bytes = SMALL_FORM, open_in: list[str] | None = None, *, year: int = 2019,
                      audience: str = "resident") -> Questionnaire:
    """Create (and optionally open) a questionnaire from XLSForm bytes; flushed, not committed."""
    result = read_xlsform(form, "form.xlsx")
    assert result.errors == [], [str(e) for e in result.errors]
    questionnaire = create_questionnaire(result.definition, year=year, audience=audience)
    if open_in is not None:
        open_questionnaire(questionnaire.slug, open_in)
    return questionnaire


def small_questionnaire_open_in(city_slug: str) -> Questionnaire:
    """The small test form as questionnaire 'small', open in one city."""
    return add_questionnaire(SMALL_FORM, [city_slug])


def suggest(questionnaire: Questionnaire, city_slug: str, text: str, now: datetime | None = None) -> int:
    """Submit one response to the ideas form with this suggestion; returns the suggestion's answer id."""
    response: Response = submit_response(questionnaire, city(city_slug), {"transport": "3", "suggestion": text},
                                         language="en", now=now)
    return next(answer.id for answer in response.answers if answer.question.name == "suggestion")


def world_questionnaires(city_slug: str) -> dict[str, int]:
    """What the access matrix's paths point at: 'small' and 'ideas' open in the city, one suggestion."""
    small_questionnaire_open_in(city_slug)
    ideas = add_questionnaire(IDEAS_FORM, [city_slug])
    return {"suggestion": suggest(ideas, city_slug, "More buses at night")}
