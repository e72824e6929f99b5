"""Raw responses as a table: one row per response, one column per question (CSV and XLSX).

Columns: response_id, questionnaire (slug), version, city (slug), submitted_at (ISO 8601, UTC),
source, language, weight (null stored = 1, written as 1), then one column per question in form order,
named like the question. A question whose name equals one of those fixed columns is written
"q:<name>" (a colon never occurs in a question name, so the header stays unique).

Cells follow XLSForm's own conventions, so that a KoBo/ODK user reads them without a codebook:
single choice -> the choice name; multiple choice -> the chosen names separated by spaces; ranking ->
the ranked names in rank order separated by spaces; rating -> 1..5, or "dk" for "don't know";
integer and decimal -> numbers; text -> the text. An unanswered question is an empty cell.
No Flask, no database: the caller passes the definition and the responses.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal

from .. import questionnaire_spec as spec
from .spreadsheets import to_csv, to_xlsx

BASE_COLUMNS = ("response_id", "questionnaire", "version", "city", "submitted_at", "source", "language", "weight")
RENAMED_PREFIX = "q:"


@dataclass(frozen=True)
class RawResponse:
    """One stored response; answers as stored: the text, or the items of a list answer in stored order."""

    id: int
    city: str
    submitted_at: datetime
    source: str
    language: str | None
    weight: float | None
    answers: dict[str, str | list[str]] = field(default_factory=dict)

    @property
    def effective_weight(self) -> float:
        return 1.0 if self.weight is None else self.weight

    @property
    def submitted_utc(self) -> datetime:
        """The submission time in UTC (SQLite hands it back naive; it was stored in UTC)."""
        moment = self.submitted_at
        return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def answered_questions(definition: spec.FormDefinition) -> list[spec.QuestionDef]:
    """The questions that take an answer (notes do not), in form order."""
    return [q for q in sorted(definition.questions, key=lambda q: q.position) if q.allows_answer]


def question_column(question: spec.QuestionDef) -> str:
    return RENAMED_PREFIX + question.name if question.name.lower() in BASE_COLUMNS else question.name


def base_cells(definition: spec.FormDefinition, version: int, response: RawResponse) -> list:
    return [response.id, definition.slug, version, response.city, response.submitted_utc.isoformat(),
            response.source, response.language or "", response.effective_weight]


def answer_cell(question: spec.QuestionDef, value: str | list[str] | None):
    """One answer as a CSV/XLSX cell (see the module docstring)."""
    if value is None or value == []:
        return None
    if isinstance(value, list):
        return " ".join(value)
    if question.type == spec.RATING:
        return value if value == spec.DONT_KNOW else int(value)
    if question.type == spec.INTEGER:
        return int(value)
    if question.type == spec.DECIMAL:
        return Decimal(value)
    return value


def raw_table(definition: spec.FormDefinition, version: int,
              responses: Iterable[RawResponse]) -> tuple[list[str], list[list]]:
    """(headers, rows) of the raw export."""
    questions = answered_questions(definition)
    headers = [*BASE_COLUMNS, *(question_column(q) for q in questions)]
    rows = [base_cells(definition, version, response) + [answer_cell(q, response.answers.get(q.name))
                                                         for q in questions]
            for response in responses]
    return headers, rows


def responses_csv(definition: spec.FormDefinition, version: int, responses: Sequence[RawResponse]) -> bytes:
    """UTF-8 with BOM; cells a spreadsheet would run as formulas are neutralised (io.spreadsheets)."""
    return to_csv(*raw_table(definition, version, responses))


def responses_xlsx(definition: spec.FormDefinition, version: int, responses: Sequence[RawResponse]) -> bytes:
    return to_xlsx(*raw_table(definition, version, responses), title="responses")
