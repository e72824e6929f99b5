"""Write indicator values for a city and year."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..io.indicator_values import ValueRow, parse_indicator_values
from ..io.tables import RowError, Table, UnreadableFile, read_table
from ..models import ChangeKind, City, IndicatorValue, ValueStatus
from .cities import city_lookup
from .history import Actor, ValueState, record_change
from .standards import ImportRejected, ensure_assessment_year


#: a values file has one row per city and indicator at most; ten times that is not a values file (and
#: reading millions of rows would hold a web worker for minutes)
ROWS_PER_PAIR = 10
#: the width of the column an import's actor is stored in (and the history's is wider)
ACTOR_LENGTH = IndicatorValue.__table__.c.updated_by.type.length
#: values an import sends to the database at a time, each batch reported to its progress callback
FLUSH_EVERY = 500


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def validate_values_file(year: int, source: str | Path | BinaryIO, filename: str | None = None,
                         only_city: str | None = None) -> list[ValueRow]:
    """Parse and validate a values file for a year; raises ImportRejected listing every bad row.
    only_city restricts the file to one city (an akimat officer's bulk fill)."""
    assessment = ensure_assessment_year(year)
    methods = {i.code: i.method for i in assessment.standard.indicators}
    cities = city_lookup()
    pairs = len(methods) * (1 if only_city else len(set(cities.values())))
    rows, errors = parse_indicator_values(_read(source, filename, pairs), cities, methods)
    if only_city is not None:
        errors += [RowError(r.row, "city", _("you may only report for %(city)s, not %(other)s",
                                             city=only_city, other=r.city))
                   for r in rows if r.city != only_city]
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: (e.row or 0)))
    return rows


def _read(source: str | Path | BinaryIO, filename: str | None, pairs: int) -> Table:
    """A percent cell 45 % reads as 45, not 0.45, and a formula never computed is refused, not blank; a
    file far longer than its city and indicator pairs allow is refused before it is read whole."""
    try:
        return read_table(source, filename, as_shown=True, max_rows=ROWS_PER_PAIR * max(pairs, 1))
    except UnreadableFile as exc:
        raise ImportRejected([RowError(None, None, _("unreadable file: %(reason)s", reason=exc))]) from exc


def apply_values(year: int, rows: list[ValueRow], *, actor: str, status: str,
                 progress: Callable[[int, int], None] | None = None) -> ImportSummary:
    """Upsert validated rows. A row's blank value sets the indicator back to "not reported".
    Every created or changed value gets an "import" entry in its history, by `actor`. `progress` is
    told (rows written so far, rows in all) every FLUSH_EVERY rows; nothing is committed here."""
    actor = actor[:ACTOR_LENGTH]  # "import:<file name>": a long name must not fail the whole import
    assessment = ensure_assessment_year(year)
    cities = {c.slug: c for c in db.session.scalars(select(City))}
    indicators = {i.code: i for i in assessment.standard.indicators}
    existing = {(v.city_id, v.indicator_id): v for v in db.session.scalars(
        select(IndicatorValue).where(IndicatorValue.year_id == assessment.id))}
    summary = ImportSummary()
    for done, row in enumerate(rows):  # `done` rows are behind this one
        if progress is not None and done and done % FLUSH_EVERY == 0:
            db.session.flush()
            progress(done, len(rows))
        city, indicator = cities[row.city], indicators[row.indicator]
        record = existing.get((city.id, indicator.id))
        before = ValueState.of(record)
        new = (None if row.parsed.value is None else float(row.parsed.value), row.parsed.not_applicable)
        if record is None:
            record = IndicatorValue(city=city, year=assessment, indicator=indicator)
            db.session.add(record)
            summary.created += 1
        elif (record.value, record.not_applicable, record.status) == (*new, status) and \
                record.evidence_note == row.evidence:
            summary.unchanged += 1
            continue
        else:
            summary.updated += 1
        record.value, record.not_applicable = new
        record.na_reason = row.evidence if row.parsed.not_applicable else ""
        record.evidence_note, record.status, record.updated_by = row.evidence, status, actor
        record_change(record, before, Actor(actor), ChangeKind.IMPORT.value)
    db.session.flush()
    if progress is not None:
        progress(len(rows), len(rows))
    return summary


def import_values_file(year: int, path: Path, actor: str,
                       progress: Callable[[int, int], None] | None = None) -> ImportSummary:
    """`flask indicators import`: the ministry's own import, so values arrive verified."""
    rows = validate_values_file(year, path)
    return apply_values(year, rows, actor=actor, status=ValueStatus.VERIFIED.value, progress=progress)
