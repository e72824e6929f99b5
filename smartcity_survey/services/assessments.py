"""An akimat's form: one per city and assessment year, one page per area of the standard.

Saving is optimistic: the page carries, for every indicator, the value's `version` and a digest of
the state it showed. An entry whose posted state still matches that digest was not touched and is
skipped, so two officers editing *different* indicators of one area never collide. A touched entry
whose version moved on (someone else saved it) or whose value left draft/returned is refused, and
the whole save with it, naming the indicators; nothing is overwritten. SQLAlchemy's version_id_col
(StaleDataError at flush) is the second line for a save racing in between the check and the write.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..models import Area, AssessmentYear, ChangeKind, City, Indicator, IndicatorValue, ValueStatus
from ..models._common import utcnow
from ..scoring import CityScore, Reading
from . import DomainError
from . import evidence as evidence_service
from .history import Actor, ValueState, record_change
from .rating import city_score


def state_digest(value: float | Decimal | None, not_applicable: bool, na_reason: str,
                 evidence_note: str, evidence_url: str) -> str:
    """A short fingerprint of what an entry shows; equal digests mean "the officer did not touch it"."""
    number = "" if value is None or not_applicable else repr(float(value))
    parts = (number, "na" if not_applicable else "", na_reason if not_applicable else "",
             evidence_note, evidence_url)
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:24]


def digest_of(record: IndicatorValue | None) -> str:
    if record is None:
        return state_digest(None, False, "", "", "")
    return state_digest(record.value, record.not_applicable, record.na_reason, record.evidence_note,
                        record.evidence_url)


@dataclass(frozen=True)
class EntryInput:
    """What the form posted for one indicator, already validated. Ticking "not applicable" wins
    over a value (a yes/no radio cannot be cleared without JavaScript), and clears it."""

    value: Decimal | None
    not_applicable: bool
    na_reason: str
    evidence_note: str
    evidence_url: str
    #: the version the page showed; None when no value existed then
    version: int | None
    #: state_digest of what the page showed
    loaded: str
    upload: evidence_service.CheckedUpload | None = None

    @property
    def digest(self) -> str:
        return state_digest(self.value, self.not_applicable, self.na_reason, self.evidence_note,
                            self.evidence_url)

    @property
    def is_touched(self) -> bool:
        return self.digest != self.loaded or self.upload is not None

    def reading(self) -> Reading:
        return Reading(None if self.not_applicable else self.value, self.not_applicable)


@dataclass(frozen=True)
class Conflict:
    indicator: Indicator
    #: the value as it is now in the database
    current: IndicatorValue
    #: "changed": saved by someone else since the page was loaded; "locked": no longer editable
    reason: str


class StaleEdit(DomainError):
    """A save refused because some touched entries are out of date; nothing was written."""

    def __init__(self, conflicts: list[Conflict]):
        self.conflicts = conflicts
        names = ", ".join(c.indicator.code for c in conflicts)
        super().__init__(_("Not saved: %(names)s changed since you opened this page.", names=names))


@dataclass
class SaveResult:
    changed: list[str] = field(default_factory=list)
    #: evidence files written to disk; the caller removes them if the transaction does not commit
    written_files: list[Path] = field(default_factory=list)


def values_for(city: City, assessment: AssessmentYear,
               indicator_ids: list[int] | None = None) -> dict[int, IndicatorValue]:
    """{indicator id: value} of one city and year (optionally only these indicators)."""
    query = select(IndicatorValue).where(IndicatorValue.city_id == city.id,
                                         IndicatorValue.year_id == assessment.id)
    if indicator_ids is not None:
        query = query.where(IndicatorValue.indicator_id.in_(indicator_ids))
    return {v.indicator_id: v for v in db.session.scalars(query)}


def find_area(assessment: AssessmentYear, code: str) -> Area | None:
    return next((a for a in assessment.standard.areas if a.code == code), None)


def find_indicator(assessment: AssessmentYear, code: str) -> Indicator | None:
    return next((i for i in assessment.standard.indicators if i.code == code), None)


def save_area(city: City, assessment: AssessmentYear, area: Area, inputs: dict[int, EntryInput],
              actor: Actor, evidence_dir: str | Path) -> SaveResult:
    """Write the touched entries of one area page as drafts (returned values stay returned).
    Raises StaleEdit, listing every out-of-date entry, before anything is written."""
    indicators = _indicators_of(area, inputs)
    existing = values_for(city, assessment, list(indicators))
    conflicts = _conflicts(indicators, existing, inputs)
    if conflicts:
        raise StaleEdit(conflicts)
    result = SaveResult()
    try:
        for iid, entry in inputs.items():
            if entry.is_touched:
                record = existing.get(iid) or _new_draft(city, assessment, indicators[iid])
                _write_entry(record, entry, actor, evidence_dir, result)
        db.session.flush()
    except Exception:
        evidence_service.discard(result.written_files)
        raise
    return result


def find_conflicts(city: City, assessment: AssessmentYear, area: Area,
                   inputs: dict[int, EntryInput]) -> list[Conflict]:
    """The touched entries that may not be written: saved by someone else meanwhile, or locked."""
    indicators = _indicators_of(area, inputs)
    return _conflicts(indicators, values_for(city, assessment, list(indicators)), inputs)


def _indicators_of(area: Area, inputs: dict[int, EntryInput]) -> dict[int, Indicator]:
    indicators = {i.id: i for i in area.indicators}
    unknown = set(inputs) - set(indicators)
    if unknown:
        raise DomainError(_("indicators %(ids)s do not belong to area %(area)s", ids=sorted(unknown),
                            area=area.code))
    return indicators


def _conflicts(indicators: dict[int, Indicator], existing: dict[int, IndicatorValue],
               inputs: dict[int, EntryInput]) -> list[Conflict]:
    return [conflict for iid, entry in inputs.items()
            if entry.is_touched and (conflict := _conflict(indicators[iid], existing.get(iid), entry))]


def _conflict(indicator: Indicator, record: IndicatorValue | None, entry: EntryInput) -> Conflict | None:
    if record is None:
        return None
    if not record.is_editable:
        return Conflict(indicator, record, "locked")
    if entry.version != record.version:
        return Conflict(indicator, record, "changed")
    return None


def _new_draft(city: City, assessment: AssessmentYear, indicator: Indicator) -> IndicatorValue:
    record = IndicatorValue(city=city, year=assessment, indicator=indicator, status=ValueStatus.DRAFT.value)
    db.session.add(record)
    return record


def _write_entry(record: IndicatorValue, entry: EntryInput, actor: Actor, evidence_dir: str | Path,
                 result: SaveResult) -> None:
    before = ValueState.of(record) if record.id is not None else None
    record.value = None if entry.not_applicable or entry.value is None else float(entry.value)
    record.not_applicable = entry.not_applicable
    record.na_reason = entry.na_reason if entry.not_applicable else ""
    record.evidence_note, record.evidence_url = entry.evidence_note, entry.evidence_url
    # always an UPDATE (so the version moves) even when only a file was added
    record.updated_by, record.updated_at = actor.label, utcnow()
    file_name = ""
    if entry.upload is not None:
        result.written_files.append(evidence_service.store(record, entry.upload, actor, evidence_dir))
        file_name = entry.upload.original_name
    if record_change(record, before, actor, ChangeKind.EDIT.value, file_name=file_name) is not None:
        result.changed.append(record.indicator.code)


# Progress and draft scores --------------------------------------------------------------------

@dataclass
class AreaProgress:
    area: Area
    total: int
    answered: int
    statuses: Counter
    #: the area's S from every entered value (draft figure, never published)
    draft_percent: Decimal | None

    @property
    def state(self) -> str:
        """returned > verified (all) > submitted (all awaiting or verified) > in_progress > not_started."""
        count = self.statuses
        if count[ValueStatus.RETURNED.value]:
            return "returned"
        if self.total and count[ValueStatus.VERIFIED.value] == self.total:
            return "verified"
        reviewed = count[ValueStatus.SUBMITTED.value] + count[ValueStatus.VERIFIED.value]
        if self.total and reviewed == self.total:
            return "submitted"
        return "in_progress" if sum(count.values()) else "not_started"

    @property
    def is_complete(self) -> bool:
        return self.answered == self.total

    @property
    def is_handed_in(self) -> bool:
        """Every value submitted or verified: the officer has nothing to save or submit here."""
        return self.state in ("submitted", "verified")


@dataclass
class FormOverview:
    city: City
    assessment: AssessmentYear
    areas: list[AreaProgress]
    draft_score: CityScore

    @property
    def answered(self) -> int:
        return sum(a.answered for a in self.areas)

    @property
    def total(self) -> int:
        return sum(a.total for a in self.areas)

    @property
    def is_handed_in(self) -> bool:
        return all(a.is_handed_in for a in self.areas)


def form_overview(city: City, assessment: AssessmentYear,
                  overrides: dict[str, Reading] | None = None) -> FormOverview:
    """Progress of every area and the city's draft score (optionally with unsaved readings)."""
    records = values_for(city, assessment)
    score = city_score(assessment, city, overrides=overrides)
    areas = []
    for area in assessment.standard.areas:
        mine = [records[i.id] for i in area.indicators if i.id in records]
        areas.append(AreaProgress(area, len(area.indicators), sum(r.is_answered for r in mine),
                                  Counter(r.status for r in mine), score.areas[area.code].percent))
    return FormOverview(city, assessment, areas, score)


def progress_of(overview: FormOverview, area: Area) -> AreaProgress:
    return next(p for p in overview.areas if p.area.id == area.id)
