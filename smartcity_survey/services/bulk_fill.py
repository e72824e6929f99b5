"""Bulk fill: an officer uploads the file the CLI importer reads, scoped to their own city.

Two steps. plan_bulk_fill validates the file (every bad row listed) and works out what would change;
the officer sees that preview. apply_bulk_fill writes it all or nothing, but only if the plan's
fingerprint (each affected value's version and the new state) is still the one the preview showed:
a value saved by someone else in between makes the preview stale, and the officer must look again.
"""
from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _

from ..extensions import db
from ..io.indicator_values import ValueRow
from ..io.tables import RowError
from ..models import AssessmentYear, ChangeKind, City, Indicator, IndicatorValue, ValueStatus
from ..models._common import utcnow
from . import DomainError
from .assessments import values_for
from .history import Actor, ValueState, record_change
from .indicator_values import validate_values_file
from .standards import ImportRejected

TOKEN_LENGTH = 32
#: uploads older than this are removed the next time anyone uploads (abandoned previews)
STALE_AFTER_SECONDS = 24 * 3600


@dataclass(frozen=True)
class PlannedChange:
    row: int
    indicator: Indicator
    current: ValueState | None
    version: int | None
    value: float | None
    not_applicable: bool
    note: str


@dataclass
class BulkPlan:
    changes: list[PlannedChange]
    unchanged: int

    @property
    def fingerprint(self) -> str:
        text = "|".join(f"{c.indicator.code}:{c.version}:{c.value!r}:{c.not_applicable}:{c.note}"
                        for c in self.changes)
        return hashlib.sha256(text.encode()).hexdigest()


def plan_bulk_fill(assessment: AssessmentYear, city: City, source, filename: str) -> BulkPlan:
    """Validate the file for this city and year; raises ImportRejected listing every bad row."""
    rows = validate_values_file(assessment.year, source, filename, only_city=city.slug)
    indicators = {i.code: i for i in assessment.standard.indicators}
    existing = values_for(city, assessment)
    changes, unchanged, errors = [], 0, []
    for row in rows:
        indicator, record = indicators[row.indicator], existing.get(indicators[row.indicator].id)
        change = _planned(row, indicator, record)
        if change is None:
            unchanged += 1
        elif (problem := _row_problem(row, record)) is not None:
            errors.append(problem)
        else:
            changes.append(change)
    if errors:
        raise ImportRejected(errors)
    return BulkPlan(changes, unchanged)


def _planned(row: ValueRow, indicator: Indicator, record: IndicatorValue | None) -> PlannedChange | None:
    value = None if row.parsed.value is None else float(row.parsed.value)
    state = ValueState.of(record)
    current = (None, False, "") if state is None else \
        (state.value, state.not_applicable, _text_of(state, row.parsed.not_applicable))
    if current == (value, row.parsed.not_applicable, row.evidence):  # a blank row for a blank value too
        return None
    return PlannedChange(row.row, indicator, state, None if record is None else record.version,
                         value, row.parsed.not_applicable, row.evidence)


def _text_of(state: ValueState, not_applicable: bool) -> str:
    """The file's one "evidence" column is the reason of an n/a row and the evidence note otherwise."""
    return state.na_reason if not_applicable else state.evidence_note


def _row_problem(row: ValueRow, record: IndicatorValue | None) -> RowError | None:
    if record is not None and not record.is_editable:
        return RowError(row.row, "indicator", _("%(code)s is %(status)s and cannot be changed here",
                                                code=row.indicator, status=record.status))
    if row.parsed.not_applicable and not row.evidence:
        return RowError(row.row, "evidence", _("%(code)s is marked not applicable: give the reason in the "
                                               "evidence column", code=row.indicator))
    return None


def apply_bulk_fill(assessment: AssessmentYear, city: City, plan: BulkPlan, expected_fingerprint: str,
                    actor: Actor, filename: str) -> int:
    """Write every planned change as a draft (returned values stay returned), or nothing."""
    if not secrets.compare_digest(plan.fingerprint, expected_fingerprint):
        raise DomainError(_("The values changed since the preview (or the file did). Check the new preview."))
    existing = values_for(city, assessment, [c.indicator.id for c in plan.changes])
    for change in plan.changes:
        record = existing.get(change.indicator.id)
        before = ValueState.of(record)
        if record is None:
            record = IndicatorValue(city=city, year=assessment, indicator=change.indicator,
                                    status=ValueStatus.DRAFT.value)
        record.value, record.not_applicable = change.value, change.not_applicable
        if change.not_applicable:  # the reason; an evidence note typed in the form stays
            record.na_reason, record.evidence_note = change.note, record.evidence_note or ""
        else:
            record.na_reason, record.evidence_note = "", change.note
        record.updated_by, record.updated_at = actor.label, utcnow()
        db.session.add(record)
        record_change(record, before, actor, ChangeKind.BULK.value, comment=filename)
    db.session.flush()
    return len(plan.changes)


# Parking the file between preview and apply -----------------------------------------------------

def park_upload(directory: str | Path, data: bytes) -> str:
    """Keep an uploaded file under a random token until it is applied; returns the token."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    _remove_stale(folder)
    token = secrets.token_hex(TOKEN_LENGTH // 2)
    with open(folder / token, "xb") as out:
        out.write(data)
    return token


def parked_path(directory: str | Path, token: str) -> Path:
    """The parked file of a token; refuses anything that is not a token this module issued."""
    if len(token) != TOKEN_LENGTH or any(ch not in "0123456789abcdef" for ch in token):
        raise DomainError(_("This preview has expired. Upload the file again."))
    path = Path(directory) / token
    if not path.is_file():
        raise DomainError(_("This preview has expired. Upload the file again."))
    return path


def _remove_stale(folder: Path) -> None:
    cutoff = time.time() - STALE_AFTER_SECONDS
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
