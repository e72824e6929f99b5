"""Values longer than the database column they are stored in.

SQLite stores a string of any length in a VARCHAR(N), PostgreSQL refuses the whole import ("value
too long"), so the reader refuses such a form itself, on its row, whatever the database. The limits
are read from the columns (models/questionnaires.py), so that a migration that widens one is enough.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator

from .. import questionnaire_spec as spec
from ..models import Choice, Question, Questionnaire, Section
from .xlsform_pyxform import FormError
from .xlsform_sheets import Settings

#: (sheet, row, column as written, value, the model attribute it is stored in)
_Stored = tuple[str, int, str, str | None, object]
#: a survey column's token path -> the header as the form writes it
SurveyHeader = Callable[[tuple[str, ...]], str]


def too_long(definition: spec.FormDefinition, survey_header: SurveyHeader, settings: Settings) -> list[FormError]:
    """A refusal per value that does not fit, naming its sheet, row and column and the limit. A list name
    repeated on every choice row and question of the list is refused on its first row only."""
    refusals, seen = [], set()
    for sheet, row, column, value, attribute in _stored(definition, survey_header, settings):
        if value is not None and len(value) > _limit(attribute) and (sheet, column, value) not in seen:
            seen.add((sheet, column, value))
            refusals.append(_refusal(sheet, row, column, value, attribute))
    return refusals


def _stored(definition: spec.FormDefinition, survey_header: SurveyHeader, settings: Settings) -> Iterator[_Stored]:
    yield "settings", settings.row, settings.slug_column, definition.slug, Questionnaire.slug
    yield "settings", settings.row, "default_language", definition.default_language, Questionnaire.default_language
    for section in definition.sections[1:]:  # the root is the platform's, not a row of the form
        yield "survey", section.row, survey_header(("name",)), section.name, Section.name
        yield "survey", section.row, survey_header(("control", "appearance")), section.appearance, Section.appearance
    for question in definition.questions:
        yield from _question_values(question, survey_header)
    for choice in definition.choices:
        yield "choices", choice.row, "list_name", choice.list_name, Choice.list_name
        yield "choices", choice.row, "name", choice.name, Choice.name


def _question_values(question: spec.QuestionDef, survey_header: SurveyHeader) -> Iterator[_Stored]:
    for path, value, attribute in ((("name",), question.name, Question.name),
                                   (("control", "appearance"), question.appearance, Question.appearance),
                                   (("type",), question.choice_list, Question.choice_list),
                                   (("area",), question.area, Question.area_code),
                                   (("indicator",), question.indicator, Question.indicator_code)):
        yield "survey", question.row, survey_header(path), value, attribute


def _limit(attribute) -> int:
    return attribute.type.length


def _refusal(sheet: str, row: int, column: str, value: str, attribute) -> FormError:
    shown = value if len(value) <= 40 else f"{value[:40]}…"
    return FormError(sheet, row, f"'{shown}' is {len(value)} characters long; at most {_limit(attribute)} are "
                                 "allowed", column)
