"""Raw responses as an SPSS .sav file (pyreadstat), with variable and value labels.

Variables, per question type:
- rating: numeric 1..5 with the choice labels as value labels; "don't know" is 99, declared a
  user-missing value, so SPSS leaves it out of means while the file still says it was answered.
- single choice: numeric codes with the choice labels as value labels. When every choice name of
  the list is a whole number the code is that number, otherwise the position in the list (1, 2, ...).
- multiple choice: one 0/1 variable per choice, named <question>__<choice>; all missing when the
  question was not answered.
- ranking: one variable per choice, named <question>__<choice>, holding the rank the respondent gave
  it (1 = first); missing when the choice was not ranked. Per-choice variables (rather than one per
  rank position) let SPSS average the rank of each item directly.
- integer and decimal: numeric; text: string.

Variable names are made valid for SPSS (ASCII letters, digits and _, starting with a letter, at most
64 bytes, no reserved word, unique ignoring case). When a name had to change, its label starts with
the original column name ("original: label"), which keeps the mapping inside the file.
Labels are in the language asked for, falling back as the answering pages do. No Flask, no database.
"""
from __future__ import annotations

import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyreadstat

from .. import questionnaire_spec as spec
from .responses_export import BASE_COLUMNS, RawResponse, answered_questions, question_column

DONT_KNOW_CODE = 99
SPSS_RESERVED = frozenset({"ALL", "AND", "BY", "EQ", "GE", "GT", "LE", "LT", "NE", "NOT", "OR", "TO", "WITH"})
MAX_NAME_BYTES = 64
MAX_LABEL_BYTES = 255  # variable labels
MAX_VALUE_LABEL_BYTES = 120
NUMERIC, STRING, DATETIME = "numeric", "string", "datetime"
BASE_KINDS = {"response_id": NUMERIC, "version": NUMERIC, "weight": NUMERIC, "submitted_at": DATETIME}
MEASURE = {spec.RATING: "ordinal", spec.RANKING: "ordinal", spec.SINGLE: "nominal", spec.MULTIPLE: "nominal",
           spec.INTEGER: "scale", spec.DECIMAL: "scale", spec.TEXT: "nominal", spec.LONG_TEXT: "nominal"}


@dataclass(frozen=True)
class SavTexts:
    """Words the file needs besides the questionnaire's own: labels of the fixed columns, of the 0/1
    values and of the rank suffix. The caller translates them."""

    base_labels: dict[str, str]
    chosen: str = "chosen"
    not_chosen: str = "not chosen"
    rank: str = "rank"


@dataclass
class _Variable:
    column: str  # the name as in the CSV (question__choice for per-choice variables)
    label: str
    values: list
    value_labels: dict[float, str] = field(default_factory=dict)
    measure: str = "nominal"
    missing: list[float] = field(default_factory=list)
    #: NUMERIC, STRING or DATETIME
    kind: str = "numeric"


def spss_names(columns: Sequence[str]) -> list[str]:
    """Valid, unique SPSS variable names for the columns, in order (see the module docstring)."""
    taken: set[str] = set()
    names = []
    for column in columns:
        base = re.sub(r"[^A-Za-z0-9_]", "_", column)
        base = base if base[:1].isalpha() else "v" + base
        base = base[:MAX_NAME_BYTES] + ("_" if base[:MAX_NAME_BYTES].upper() in SPSS_RESERVED else "")
        name, number = base, 1
        while name.lower() in taken:
            number += 1
            suffix = f"_{number}"
            name = base[:MAX_NAME_BYTES - len(suffix)] + suffix
        taken.add(name.lower())
        names.append(name)
    return names


def _clip(text: str, limit: int) -> str:
    """At most `limit` bytes of UTF-8, never cutting a character in half."""
    return text.encode("utf-8")[:limit].decode("utf-8", "ignore")


def choice_codes(choices: list[spec.ChoiceDef]) -> dict[str, int]:
    """choice name -> numeric code: the name itself when all are distinct whole numbers, else the position."""
    if choices and all(re.fullmatch(r"-?\d{1,9}", c.name) for c in choices) \
            and len({int(c.name) for c in choices}) == len(choices):  # "1" and "01" would share a code
        return {c.name: int(c.name) for c in choices}
    return {c.name: position for position, c in enumerate(choices, start=1)}


def _base_variables(definition: spec.FormDefinition, version: int, responses: Sequence[RawResponse],
                    texts: SavTexts) -> list[_Variable]:
    columns = {
        "response_id": [float(r.id) for r in responses], "questionnaire": [definition.slug] * len(responses),
        "version": [float(version)] * len(responses), "city": [r.city for r in responses],
        "submitted_at": [r.submitted_utc.replace(tzinfo=None) for r in responses],
        "source": [r.source for r in responses], "language": [r.language or "" for r in responses],
        "weight": [r.effective_weight for r in responses]}
    return [_Variable(name, texts.base_labels.get(name, name), columns[name],
                      measure="scale" if name in ("version", "weight") else "nominal",
                      kind=BASE_KINDS.get(name, STRING))
            for name in BASE_COLUMNS]


def _question_variables(definition: spec.FormDefinition, question: spec.QuestionDef,
                        responses: Sequence[RawResponse], language: str, texts: SavTexts) -> list[_Variable]:
    label = spec.text_in(question.labels, language, fallback=question.name)
    answers = [r.answers.get(question.name) for r in responses]
    measure = MEASURE.get(question.type, "nominal")
    if question.type in (spec.RATING, spec.SINGLE):
        return [_coded(definition, question, label, answers, language, measure)]
    if question.type in spec.LIST_TYPES:
        return _per_choice(definition, question, label, answers, language, texts, measure)
    if question.type in (spec.INTEGER, spec.DECIMAL):
        return [_Variable(question_column(question), label, [None if a is None else float(a) for a in answers],
                          measure=measure)]
    return [_Variable(question_column(question), label, ["" if a is None else str(a) for a in answers],
                      kind=STRING)]


def _coded(definition: spec.FormDefinition, question: spec.QuestionDef, label: str, answers: list,
           language: str, measure: str) -> _Variable:
    choices = definition.choices_of(question.choice_list)
    dont_know = question.type == spec.RATING and any(c.name == spec.DONT_KNOW for c in choices)
    codes = choice_codes([c for c in choices if not (dont_know and c.name == spec.DONT_KNOW)])
    if dont_know:
        codes[spec.DONT_KNOW] = DONT_KNOW_CODE
    value_labels = {float(codes[c.name]): _clip(spec.text_in(c.labels, language, c.name), MAX_VALUE_LABEL_BYTES)
                    for c in choices}
    values = [None if a is None else float(codes[a]) for a in answers]
    return _Variable(question_column(question), label, values, value_labels, measure,
                     [float(DONT_KNOW_CODE)] if dont_know else [])


def _per_choice(definition: spec.FormDefinition, question: spec.QuestionDef, label: str, answers: list,
                language: str, texts: SavTexts, measure: str) -> list[_Variable]:
    ranking = question.type == spec.RANKING
    variables = []
    for choice in definition.choices_of(question.choice_list):
        choice_label = spec.text_in(choice.labels, language, choice.name)
        values = [_per_choice_value(answer, choice.name, ranking) for answer in answers]
        variables.append(_Variable(
            f"{question.name}__{choice.name}",
            f"{label}: {choice_label}" + (f" ({texts.rank})" if ranking else ""), values,
            {} if ranking else {0.0: texts.not_chosen, 1.0: texts.chosen}, measure))
    return variables


def _per_choice_value(answer: list[str] | None, choice: str, ranking: bool) -> float | None:
    if not answer:
        return None
    if ranking:
        return float(answer.index(choice) + 1) if choice in answer else None
    return 1.0 if choice in answer else 0.0


def sav_variables(definition: spec.FormDefinition, version: int, responses: Sequence[RawResponse], *,
                  language: str, texts: SavTexts) -> list[_Variable]:
    """Every variable of the file, base columns first, then the questions in form order."""
    variables = _base_variables(definition, version, responses, texts)
    for question in answered_questions(definition):
        variables.extend(_question_variables(definition, question, responses, language, texts))
    return variables


def responses_sav(definition: spec.FormDefinition, version: int, responses: Sequence[RawResponse], *,
                  language: str, texts: SavTexts) -> bytes:
    """The .sav file's bytes."""
    variables = sav_variables(definition, version, responses, language=language, texts=texts)
    names = spss_names([v.column for v in variables])
    frame = pd.DataFrame({name: _series(v) for name, v in zip(names, variables)})
    labels = {name: _clip(v.label if name == v.column else f"{v.column}: {v.label}", MAX_LABEL_BYTES)
              for name, v in zip(names, variables)}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "responses.sav"
        pyreadstat.write_sav(
            frame, path, file_label=_clip(f"{definition.slug} version {version}", 64), column_labels=labels,
            variable_value_labels={n: v.value_labels for n, v in zip(names, variables) if v.value_labels},
            missing_ranges={n: v.missing for n, v in zip(names, variables) if v.missing},
            variable_measure={n: v.measure for n, v in zip(names, variables)})
        return path.read_bytes()


def _series(variable: _Variable) -> pd.Series:
    """Typed even when empty, so a questionnaire without responses still gives a valid file."""
    if variable.kind == DATETIME:
        return pd.Series(pd.to_datetime(variable.values), dtype="datetime64[ns]")
    return pd.Series(variable.values, dtype="object" if variable.kind == STRING else "float64")
