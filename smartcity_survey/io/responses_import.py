"""Validate a file of paper or phone survey responses against a questionnaire definition.

Columns: respondent_id, city, optional weight, then one column per question name (in any case, alone or
after its groups' path as KoboToolbox exports it: group/subgroup/name).
Choices are given by name; multiple choice cells hold space-separated names, ranking cells the
names in rank order. Every answer goes through answering.check_answers, so the rules are the web's.
"""
from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _

from .. import questionnaire_spec as spec
from ..answering import AnswerValue, CheckedAnswers, check_answers
from .tables import RowError, Table, missing_columns, repeated_columns, unnamed_cells
from .values import parse_number

META_COLUMNS = ("respondent_id", "city", "weight")
REQUIRED = ["respondent_id", "city"]
MAX_RESPONDENT_ID = 100


@dataclass(frozen=True)
class ResponseRow:
    row: int
    respondent_id: str
    city: str  # slug
    weight: float | None
    values: dict[str, AnswerValue]


def parse_responses(table: Table, definition: spec.FormDefinition, city_slugs: Mapping[str, str],
                    taken_ids: Collection[str], open_cities: Collection[str]) -> tuple[list[ResponseRow], list[RowError]]:
    """city_slugs: every accepted spelling (case-folded) -> slug; taken_ids: respondent ids already stored;
    open_cities: slugs of the cities the questionnaire is open in. Returns rows and one error per bad cell."""
    columns, errors = _question_columns(table, definition)
    errors = missing_columns(table, REQUIRED) + repeated_columns(table) + errors
    if errors:
        return [], errors
    errors = unnamed_cells(table)
    rows: list[ResponseRow] = []
    first_seen: dict[str, int] = {}
    column_of = {name: column for column, name in columns.items()}  # errors name the file's header
    weighted = any(cells.get("weight") for _number, cells in table.rows)
    for number, cells in table.rows:
        row_errors = _meta_errors(number, cells, city_slugs, taken_ids, open_cities, first_seen)
        row_errors += _missing_weight(number, cells, weighted)
        answers = {name: cells[column] for column, name in columns.items()}
        checked = check_answers(definition, answers)
        row_errors += _answer_errors(number, definition, answers, checked, column_of)
        errors += row_errors
        if not row_errors:
            rows.append(ResponseRow(number, cells["respondent_id"], city_slugs[cells["city"].casefold()],
                                    _weight(cells.get("weight", "")), checked.values))
    if not rows and not errors:
        errors.append(RowError(None, None, _("the file has no data rows")))
    return rows, errors


def _answer_errors(number: int, definition: spec.FormDefinition, answers: dict[str, str], checked: CheckedAnswers,
                   column_of: dict[str, str]) -> list[RowError]:
    """check_answers' errors by the file's column (a required question may have no column: then by its
    name), a label named as such, and answers to questions that do not apply."""
    errors = [RowError(number, column_of.get(name, name),
                       _label_hint(definition, name, answers) or _separator_hint(definition, name, answers) or message)
              for name, message in checked.errors.items()]
    return errors + _inapplicable_answers(number, definition, answers, checked, column_of)


def _label_hint(definition: spec.FormDefinition, name: str, answers: dict[str, str]) -> str | None:
    """A choice's label in place of its name (a KoboToolbox export 'with labels', not 'XML values'):
    the plain 'not one of the options' would not say why a visible option is refused."""
    question = definition.question(name)
    text = answers.get(name, "").casefold()
    if question is None or question.type not in (spec.SINGLE, spec.RATING) or not text \
            or answers[name] in definition.choice_names(question.choice_list):  # refused for another reason
        return None
    for choice in definition.choices_of(question.choice_list):
        if text in {label.strip().casefold() for label in choice.labels.values()}:
            return _("“%(value)s” is the label of option %(name)s; the file must give option names, not labels",
                     value=answers[name], name=choice.name)
    return None


def _separator_hint(definition: spec.FormDefinition, name: str, answers: dict[str, str]) -> str | None:
    """Options joined by commas or semicolons (as a spreadsheet lists them) read as one unknown option."""
    question = definition.question(name)
    text = answers.get(name, "")
    if question is None or question.type not in spec.LIST_TYPES or not re.search(r"[,;]", text):
        return None
    return _("“%(value)s”: separate the options with spaces (%(example)s), not commas or semicolons",
             value=text, example=" ".join(part for part in re.split(r"[,;\s]+", text) if part))


def _inapplicable_answers(number: int, definition: spec.FormDefinition, answers: dict[str, str],
                          checked: CheckedAnswers, column_of: dict[str, str]) -> list[RowError]:
    """check_answers drops the answer to a question whose relevant condition is false, as ODK clears it
    on a form; in a file that would lose a value without a word, so it is refused. A condition that
    reads an answer refused on this row cannot be judged: that answer's own error is enough."""
    errors = []
    for name, text in answers.items():
        if not text or name in checked.values or name in checked.errors:
            continue
        condition = _condition(definition, definition.question(name))
        if not any(f"${{{refused}}}" in condition for refused in checked.errors):
            errors.append(RowError(number, column_of[name], _(
                "answered, but the question does not apply to this respondent (%(condition)s is false); "
                "leave the cell empty", condition=condition)))
    return errors


def _condition(definition: spec.FormDefinition, question: spec.QuestionDef) -> str:
    """The question's relevant condition with its groups', outermost first."""
    parts = [section.relevant for section in reversed(definition.section_chain(question.section))]
    return " and ".join(part for part in [*parts, question.relevant] if part)


def _question_columns(table: Table, definition: spec.FormDefinition) -> tuple[dict[str, str], list[RowError]]:
    """{file column: question name}; headers are read in lower case, so names match in any case."""
    by_lower: dict[str, list[spec.QuestionDef]] = {}
    for question in definition.questions:
        by_lower.setdefault(question.name.lower(), []).append(question)
    columns, errors, answered_by = {}, [], {}
    for column in table.columns:
        matches = _named_by(column, by_lower, definition)
        problem = _column_problem(column, matches, definition)
        if problem is None and column not in META_COLUMNS:
            name = matches[0].name
            if answered_by.get(name, column) != column:  # by name and by path (repeated_columns: same header)
                problem = _("answers the same question as column %(column)s", column=answered_by[name])
            columns[column], answered_by[name] = name, column
        if problem is not None:
            errors.append(RowError(table.header_row, column, problem))
    return columns, errors


def _named_by(column: str, by_lower: dict[str, list[spec.QuestionDef]],
              definition: spec.FormDefinition) -> list[spec.QuestionDef]:
    """The questions a header names: by name alone, or with its groups' path before it, as KoboToolbox
    exports headers (group/subgroup/name). A path must be the question's own: another group's is no match."""
    *path, name = column.split("/")
    return [question for question in by_lower.get(name, [])
            if not path or path == _group_path(definition, question)]


def _group_path(definition: spec.FormDefinition, question: spec.QuestionDef) -> list[str]:
    chain = reversed(definition.section_chain(question.section))
    return [section.name.lower() for section in chain if section.parent is not None]


def _column_problem(column: str, matches: list[spec.QuestionDef], definition: spec.FormDefinition) -> str | None:
    """What makes a header unusable, or None (a meta column, or one question's answers)."""
    if column in META_COLUMNS:
        return _("question '%(question)s' has the name of the %(column)s column and cannot be imported",
                 question=matches[0].name, column=column) if matches else None
    if not matches:
        return _("not a question of questionnaire %(slug)s", slug=definition.slug)
    if len(matches) > 1:
        return _("question names differing only in case cannot be imported")
    if matches[0].type == spec.NOTE:
        return _("%(question)s is a note and takes no answer", question=matches[0].name)
    return None


def _meta_errors(number: int, cells: dict[str, str], city_slugs: Mapping[str, str], taken_ids: Collection[str],
                 open_cities: Collection[str], first_seen: dict[str, int]) -> list[RowError]:
    errors = []
    respondent = cells["respondent_id"]
    if not respondent:
        errors.append(RowError(number, "respondent_id", _("a respondent id is required")))
    elif len(respondent) > MAX_RESPONDENT_ID:
        errors.append(RowError(number, "respondent_id", _("longer than %(max)s characters",
                                                          max=MAX_RESPONDENT_ID)))
    elif respondent in first_seen:
        errors.append(RowError(number, "respondent_id", _("'%(value)s' already appears on row %(row)s",
                                                          value=respondent, row=first_seen[respondent])))
    elif respondent in taken_ids:
        errors.append(RowError(number, "respondent_id", _("'%(value)s' was already imported", value=respondent)))
    first_seen.setdefault(respondent, number)
    city = city_slugs.get(cells["city"].casefold())
    if city is None:
        errors.append(RowError(number, "city", _("unknown city '%(city)s'", city=cells["city"])))
    elif city not in open_cities:
        errors.append(RowError(number, "city", _("the questionnaire is not open in %(city)s", city=city)))
    try:
        _weight(cells.get("weight", ""))
    except ValueError as exc:
        errors.append(RowError(number, "weight", str(exc)))
    return errors


def _missing_weight(number: int, cells: dict[str, str], weighted: bool) -> list[RowError]:
    """The report weights a city by its imported weights once any response there has one, and leaves
    out the responses without: a blank among weights would drop that respondent without a word."""
    if not weighted or cells.get("weight"):
        return []
    return [RowError(number, "weight", _("empty while other rows have a weight; a response without one is "
                                         "left out of its city's weighted figures: give every row a weight, "
                                         "or none"))]


def _weight(text: str) -> float | None:
    """Blank: no weight (the file has none). Otherwise a number above 0."""
    if not text.strip():
        return None
    if "%" in text:  # parse_number reads "120 %" as 120, which as a weight would be a hundred times 1.2
        raise ValueError(_("'%(value)s' is a percent; a weight is a plain number such as 1.2", value=text))
    weight = parse_number(text)
    if weight <= 0 or weight > Decimal(10) ** 6:
        raise ValueError(_("the weight must be above 0 and at most 1000000, not %(value)s", value=text))
    return float(weight)
