"""Record every change to an indicator value (who, when, old -> new) and read the trail back."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..models import IndicatorValue, IndicatorValueChange, User

#: fields besides value, n/a and status whose changes the trail names
NOTE_FIELDS = ("na_reason", "evidence_note", "evidence_url")


@dataclass(frozen=True)
class Actor:
    """Who acts: a label kept in the trail (e-mail or "import:<file>") and the account, if any."""

    label: str
    user_id: int | None = None

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(user.email, user.id)


@dataclass(frozen=True)
class ValueState:
    """The recorded part of a value at one moment; None stands for "no value row yet"."""

    value: float | None
    not_applicable: bool
    status: str
    na_reason: str
    evidence_note: str
    evidence_url: str

    @classmethod
    def of(cls, record: IndicatorValue | None) -> ValueState | None:
        if record is None:
            return None
        return cls(record.value, bool(record.not_applicable), record.status,
                   record.na_reason or "", record.evidence_note or "", record.evidence_url or "")


#: what a value that did not exist yet is compared with
BLANK = ValueState(None, False, "", "", "", "")


def record_change(record: IndicatorValue, before: ValueState | None, actor: Actor, kind: str, *,
                  comment: str = "", file_name: str = "") -> IndicatorValueChange | None:
    """Append a change row comparing `before` with the value as it is now. Nothing changed and no
    file added: nothing is recorded (re-saving an unchanged form leaves no noise)."""
    after = ValueState.of(record)
    baseline = before or BLANK
    fields = [name for name in NOTE_FIELDS if getattr(baseline, name) != getattr(after, name)]
    if file_name:
        fields.append("evidence_file")
    if before == after and not file_name and not comment:
        return None
    change = IndicatorValueChange(
        value=record, actor=actor.label, actor_id=actor.user_id, kind=kind,
        old_value=None if before is None else before.value, new_value=after.value,
        old_not_applicable=None if before is None else before.not_applicable,
        new_not_applicable=after.not_applicable,
        old_status=None if before is None else before.status, new_status=after.status,
        comment=comment, changed_fields=",".join(fields), detail=file_name)
    db.session.add(change)
    return change


def changes_of(record: IndicatorValue) -> list[IndicatorValueChange]:
    """The trail of one value, newest first."""
    return list(db.session.scalars(
        select(IndicatorValueChange).where(IndicatorValueChange.value_id == record.id)
        .order_by(IndicatorValueChange.at.desc(), IndicatorValueChange.id.desc())))


def latest_comments(value_ids: list[int], kinds: tuple[str, ...]) -> dict[int, IndicatorValueChange]:
    """{value id: its most recent change of these kinds}: the return or reopen note the officer must read."""
    if not value_ids:
        return {}
    rows = db.session.scalars(
        select(IndicatorValueChange).where(IndicatorValueChange.value_id.in_(value_ids),
                                           IndicatorValueChange.kind.in_(kinds))
        .order_by(IndicatorValueChange.at, IndicatorValueChange.id))
    return {row.value_id: row for row in rows}  # later rows overwrite earlier ones
