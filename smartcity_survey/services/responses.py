"""Store responses: a web submission, or a whole file of paper and phone survey responses.

A response is written whole, in the caller's one transaction, only once every answer has passed
answering.check_answers. These functions flush and never commit.
"""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO, Callable

from flask_babel import gettext as _
from sqlalchemy import insert, select, update

from .. import questionnaire_spec as spec
from ..answering import AnswerValue, check_answers
from ..extensions import db
from .measures import derive_measures
from ..io.responses_import import ResponseRow, parse_responses
from ..io.tables import RowError, UnreadableFile, read_table
from ..models import Answer, City, Questionnaire, QuestionnaireStatus, Response, ResponseSource
from . import DomainError
from .cities import city_lookup
from .definitions import StoredDefinition, definition_of, stored_definition
from .questionnaires import require_questionnaire
from .standards import ImportRejected


#: responses an import writes per statement
IMPORT_CHUNK = 500


class AnswersRejected(DomainError):
    """Some answers failed their checks; errors maps question name -> message (translated)."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))


def submit_response(questionnaire: Questionnaire, city: City, raw: dict[str, object], *, language: str,
                    now: datetime | None = None) -> Response:
    """The web's final submit: checked (check_submission), then stored."""
    now = now or datetime.now(timezone.utc)
    values = check_submission(questionnaire, city, raw, language=language, now=now)
    response_id = store_response(questionnaire, city, values, source=ResponseSource.WEB.value, language=language,
                                 now=now)
    return db.session.get(Response, response_id)


def check_submission(questionnaire: Questionnaire, city: City, raw: dict[str, object], *, language: str,
                     now: datetime) -> dict[str, AnswerValue]:
    """A web submission's cleaned values. Refused unless the questionnaire takes answers in the city
    now; every answer checked server-side (AnswersRejected lists what is wrong per question). Writes
    nothing, so callers do it before taking any lock."""
    if not questionnaire.is_accepting(city, now):
        raise DomainError(_("questionnaire %(slug)s does not take answers in %(city)s now", slug=questionnaire.slug,
                             city=city.slug))
    checked = check_answers(definition_of(questionnaire), raw, language)
    if checked.errors:
        raise AnswersRejected(checked.errors)
    return checked.values


def store_response(questionnaire: Questionnaire, city: City, values: dict[str, AnswerValue], *, source: str,
                   language: str | None = None, respondent_id: str | None = None, weight: float | None = None,
                   now: datetime | None = None) -> int:
    """Write checked values (check_answers(...).values) as one response with its answer rows; its id.
    (Not the Response itself: reading it back would be one more query on every web submit.)"""
    stored = stored_definition(questionnaire)
    # Core INSERTs (the response, then all its answers as one executemany) rather than ORM objects:
    # on the web this is most of what a submit costs.
    response_id = db.session.execute(insert(Response.__table__).returning(Response.__table__.c.id).values(
        questionnaire_id=questionnaire.id, city_id=city.id, source=source, language=language,
        respondent_id=respondent_id, weight=weight, submitted_at=now or datetime.now(timezone.utc))).scalar_one()
    rows = _answer_dicts(stored, response_id, values)
    if rows:
        db.session.execute(insert(Answer.__table__), rows)
    derive_measures(db.session, [response_id])
    return response_id


def _answer_dicts(stored: StoredDefinition, response_id: int, values: dict[str, AnswerValue]) -> list[dict]:
    return [dict(row, response_id=response_id, question_id=stored.question_ids[name])
            for name, value in values.items()
            for row in answer_rows(stored.definition.question(name).type, value)]


def answer_rows(question_type: str, value: AnswerValue) -> list[dict]:
    """The rows one answer is stored as (see models.responses), without response and question."""
    if isinstance(value, list):
        return [_row(name, None, rank) for rank, name in enumerate(value, start=1)]
    if question_type == spec.RATING:
        return [_row(value, None if value == spec.DONT_KNOW else float(value))]
    if isinstance(value, int | Decimal):
        return [_row(str(value), float(value))]
    return [_row(value, None)]


def _row(text: str, number: float | None, ordinal: int = 0) -> dict:
    # every row names every column, so the rows go out as one executemany
    return {"value_text": text, "value_number": number, "ordinal": ordinal}


def response_values(response: Response) -> dict[str, AnswerValue]:
    """A stored response read back as {question name: value}, the shape check_answers produces."""
    values: dict[str, AnswerValue] = {}
    for answer in sorted(response.answers, key=lambda a: (a.question.position, a.ordinal)):
        question = answer.question
        if question.type in spec.LIST_TYPES:
            values.setdefault(question.name, []).append(answer.value_text)
        elif question.type == spec.INTEGER:
            values[question.name] = int(answer.value_text)
        elif question.type == spec.DECIMAL:
            values[question.name] = Decimal(answer.value_text)
        else:
            values[question.name] = answer.value_text
    return values


#: told (rows written so far, rows in all) as an import writes, inside its still uncommitted transaction
Progress = Callable[[int, int], None]


def import_responses(slug: str, source: str | Path | BinaryIO, filename: str | None = None,
                     progress: Progress | None = None) -> int:
    """`flask responses import`: every row valid or nothing is written. Returns the number of responses."""
    questionnaire = require_questionnaire(slug)
    if questionnaire.status != QuestionnaireStatus.OPEN.value:
        raise DomainError(_("questionnaire %(slug)s version %(version)s is %(status)s; responses are imported "
                            "while it is open", slug=slug, version=questionnaire.version,
                            status=questionnaire.status))
    try:
        table = read_table(source, filename)
    except UnreadableFile as exc:
        raise ImportRejected([RowError(None, None, _("unreadable file: %(reason)s", reason=exc))]) from exc
    open_cities = {entry.city.slug for entry in questionnaire.cities if entry.is_open}
    rows, errors = parse_responses(table, definition_of(questionnaire), city_lookup(), _taken_ids(slug), open_cities)
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: (e.row or 0)))
    _claim_respondent_ids(slug, rows)
    _store_imported(questionnaire, rows, progress)
    return len(rows)


def _claim_respondent_ids(slug: str, rows: list[ResponseRow]) -> None:
    """Two imports of one file at the same moment must not both store it. Validation read the taken ids
    without a lock (it may take a while on a big file); here the write lock is taken first, by a no-op
    UPDATE of the questionnaire's versions, and the ids are read again under it. On SQLite that is the
    database's write lock, which the other import's writes would wait for anyway; on PostgreSQL it locks
    those rows only, which a web submit's foreign-key check (KEY SHARE) does not wait for."""
    table = Questionnaire.__table__
    db.session.execute(update(table).where(table.c.slug == slug)
                       .values(definition_revision=table.c.definition_revision))
    taken = _taken_ids(slug)
    clashes = [RowError(row.row, "respondent_id", _("'%(value)s' was imported by someone else meanwhile; nothing "
                                                    "was stored", value=row.respondent_id))
               for row in rows if row.respondent_id in taken]
    if clashes:
        raise ImportRejected(clashes)


def _store_imported(questionnaire: Questionnaire, rows: list[ResponseRow], progress: Progress | None) -> None:
    """What store_response writes, a chunk of rows per statement: one response at a time, a file was
    nearly all round trips (20,000 rows took 90 s on PostgreSQL, now 54 s; SQLite 25 s, now 13 s). The
    file's rows share one moment."""
    stored = stored_definition(questionnaire)
    city_ids = dict(db.session.execute(select(City.slug, City.id)).all())
    now = datetime.now(timezone.utc)
    table = Response.__table__
    for start in range(0, len(rows), IMPORT_CHUNK):
        chunk = rows[start:start + IMPORT_CHUNK]
        ids = db.session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), [
            {"questionnaire_id": questionnaire.id, "city_id": city_ids[row.city], "source": ResponseSource.IMPORT.value,
             "language": None, "respondent_id": row.respondent_id, "weight": row.weight, "submitted_at": now}
            for row in chunk]).scalars().all()
        answers = [answer for response_id, row in zip(ids, chunk)
                   for answer in _answer_dicts(stored, response_id, row.values)]
        if answers:
            db.session.execute(insert(Answer.__table__), answers)
        derive_measures(db.session, ids)
        if progress is not None:
            progress(start + len(chunk), len(rows))


def _taken_ids(slug: str) -> set[str]:
    """Respondent ids stored for any version of the questionnaire."""
    return set(db.session.scalars(
        select(Response.respondent_id).join(Response.questionnaire)
        .where(Questionnaire.slug == slug, Response.respondent_id.is_not(None))))
