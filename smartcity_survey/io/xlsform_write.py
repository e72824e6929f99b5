"""Write a FormDefinition back to an XLSForm workbook that reads back to the same definition.

Columns follow the current XLSForm spellings (`label::English (en)`, `select_one list`, `begin_group`)
plus the platform's own `area` and `indicator`; a column is written only when some row fills it.
"""
from __future__ import annotations

import io

from openpyxl import Workbook

from .. import questionnaire_spec as spec
from .xlsform_languages import language_key

_SELECT_WORDS = {spec.RATING: "select_one", spec.SINGLE: "select_one", spec.MULTIPLE: "select_multiple",
                 spec.RANKING: "rank"}
#: translated fields of the survey sheet: (column, QuestionDef attribute, SectionDef attribute)
_TRANSLATED = (("label", "labels", "labels"), ("hint", "hints", None),
               ("constraint_message", "constraint_message", None), ("required_message", "required_message", None))


def write_xlsform(definition: spec.FormDefinition) -> bytes:
    """The .xlsx bytes of a survey, choices (when there are choices) and settings sheet."""
    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    labels = [_column("label", language) for language in definition.languages]
    _write_sheet(survey, _survey_columns(definition), len(labels) + 2, _survey_rows(definition))
    if definition.choices:
        _write_sheet(workbook.create_sheet("choices"), ["list_name", "name", *labels], 2 + len(labels),
                     _choice_rows(definition))
    settings = _settings_row(definition)
    _write_sheet(workbook.create_sheet("settings"), list(settings), 1, [settings])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _survey_columns(definition: spec.FormDefinition) -> list[str]:
    def translated(field: str) -> list[str]:
        return [_column(field, language) for language in definition.languages]

    return ["type", "name", *translated("label"), *translated("hint"), "required", *translated("required_message"),
            "relevant", "constraint", *translated("constraint_message"), "appearance", "area", "indicator"]


def _write_sheet(sheet, columns: list[str], always: int, rows: list[dict[str, str]]) -> None:
    """The first `always` columns, then the others some row fills, in the given order."""
    used = {key for row in rows for key, value in row.items() if value}
    header = columns[:always] + [column for column in columns[always:] if column in used]
    sheet.append(header)
    for number, row in enumerate(rows, start=2):
        for index, column in enumerate(header, start=1):
            if row.get(column):
                cell = sheet.cell(number, index, row[column])
                cell.data_type = "s"  # a text starting with "=" stays text, never becomes a formula


def _column(field: str, language: spec.Language) -> str:
    return f"{field}::{language.header}" if language.header is not None else field


def _translations(definition: spec.FormDefinition, field: str, texts: dict[str, str]) -> dict[str, str]:
    return {_column(field, language): texts.get(language.key, "") for language in definition.languages}


def _survey_rows(definition: spec.FormDefinition) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    open_groups: list[str] = []
    for item in definition.items():
        container = item.parent if isinstance(item, spec.SectionDef) else item.section
        while open_groups and open_groups[-1] != container:
            rows.append({"type": "end_group", "name": open_groups.pop()})
        if isinstance(item, spec.SectionDef):
            rows.append({"type": "begin_group", "name": item.name, **_translations(definition, "label", item.labels),
                         "relevant": item.relevant, "appearance": item.appearance})
            open_groups.append(item.name)
        else:
            rows.append(_question_row(definition, item))
    rows += [{"type": "end_group", "name": name} for name in reversed(open_groups)]
    return rows


def _question_row(definition: spec.FormDefinition, question: spec.QuestionDef) -> dict[str, str]:
    kind = _SELECT_WORDS.get(question.type)
    row = {"type": f"{kind} {question.choice_list}" if kind else _base_type(question.type), "name": question.name}
    for field, attribute, _ in _TRANSLATED:
        row.update(_translations(definition, field, getattr(question, attribute)))
    row.update({"required": "yes" if question.required else "", "relevant": question.relevant,
                "constraint": question.constraint, "appearance": question.appearance,
                "area": question.area or "", "indicator": question.indicator or ""})
    return row


def _base_type(kind: str) -> str:
    return spec.TEXT if kind == spec.LONG_TEXT else kind


def _choice_rows(definition: spec.FormDefinition) -> list[dict[str, str]]:
    return [{"list_name": c.list_name, "name": c.name, **_translations(definition, "label", c.labels)}
            for c in definition.choices]


def _settings_row(definition: spec.FormDefinition) -> dict[str, str]:
    default_key = language_key(definition.default_language) if definition.default_language \
        else spec.DEFAULT_LANGUAGE_KEY
    row = {"form_id": definition.slug, "form_title": definition.title.get(default_key, "")}
    row.update({f"form_title_{key}": text for key, text in definition.title.items() if key != default_key})
    row["default_language"] = definition.default_language
    row.update(definition.settings)
    return row
