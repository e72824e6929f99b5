"""Raw responses of one questionnaire version, for download as CSV, XLSX or SPSS .sav.

Two queries (responses, then every answer row in response and form order), whatever the number of
responses; the file formats themselves are io.responses_export and io.responses_sav. Read-only.
The export carries no respondent id from imports and nothing else that identifies a person.
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from .. import questionnaire_spec as spec
from ..extensions import db
from ..io.responses_export import RawResponse, responses_csv, responses_xlsx
from ..io.responses_sav import SavTexts, responses_sav
from ..models import Answer, City, Question, Questionnaire, Response

#: format -> (MIME type, file extension)
FORMATS = {"csv": ("text/csv", "csv"),  # werkzeug adds "; charset=utf-8" to text/* types
           "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
           "sav": ("application/x-spss-sav", "sav")}


def raw_responses(questionnaire: Questionnaire) -> list[RawResponse]:
    """Every response of the questionnaire version, oldest first, with its answers as stored."""
    answers: dict[int, dict[str, str | list[str]]] = {}
    rows = db.session.execute(
        select(Answer.response_id, Question.name, Question.type, Answer.value_text)
        .join(Question, Question.id == Answer.question_id).join(Response, Response.id == Answer.response_id)
        .where(Response.questionnaire_id == questionnaire.id)
        .order_by(Answer.response_id, Question.position, Answer.ordinal))
    for response_id, name, question_type, value in rows:
        values = answers.setdefault(response_id, {})
        if question_type in spec.LIST_TYPES:
            values.setdefault(name, []).append(value)
        else:
            values[name] = value
    responses = db.session.execute(
        select(Response.id, City.slug, Response.submitted_at, Response.source, Response.language, Response.weight)
        .join(City, City.id == Response.city_id).where(Response.questionnaire_id == questionnaire.id)
        .order_by(Response.id))
    return [RawResponse(*row, answers=answers.get(row[0], {})) for row in responses]


def sav_texts() -> SavTexts:
    """The .sav file's own words, in the current language."""
    return SavTexts(
        base_labels={"response_id": _("Response id"), "questionnaire": _("Questionnaire"),
                     "version": _("Questionnaire version"), "city": _("City"),
                     "submitted_at": _("Submitted (UTC)"), "source": _("Source (web, import, demo)"),
                     "language": _("Language answered in"), "weight": _("Survey weight")},
        chosen=_("chosen"), not_chosen=_("not chosen"), rank=_("rank"))


def export_responses(questionnaire: Questionnaire, file_format: str, language: str) -> bytes:
    """The file's bytes; `language` chooses the question and choice labels of the .sav file."""
    definition, responses = questionnaire.to_definition(), raw_responses(questionnaire)
    if file_format == "csv":
        return responses_csv(definition, questionnaire.version, responses)
    if file_format == "xlsx":
        return responses_xlsx(definition, questionnaire.version, responses)
    if file_format == "sav":
        return responses_sav(definition, questionnaire.version, responses, language=language, texts=sav_texts())
    raise ValueError(f"unknown export format {file_format!r}")


def export_filename(questionnaire: Questionnaire, file_format: str) -> str:
    return f"responses-{questionnaire.slug}-v{questionnaire.version}.{FORMATS[file_format][1]}"
