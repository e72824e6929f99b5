"""The audit trail of indicator values: every edit and every workflow step, never edited afterwards."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._common import utcnow
from .assessments import IndicatorValue
from .users import User


class ChangeKind(str, enum.Enum):
    EDIT = "edit"  # an officer saved the form
    BULK = "bulk"  # an officer's bulk fill from a CSV/XLSX file
    IMPORT = "import"  # the ministry's CLI import (`flask indicators import`)
    SUBMIT = "submit"
    RETURN = "return"
    VERIFY = "verify"
    REOPEN = "reopen"  # an admin unlocked a verified value


class ImmutableRecord(RuntimeError):
    """Raised when code tries to change or delete an audit row: the trail is append-only."""


class IndicatorValueChange(db.Model):
    """One change to one indicator value: who, when, old -> new value and status, and why."""

    __tablename__ = "indicator_value_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    value_id: Mapped[int] = mapped_column(ForeignKey("indicator_values.id"), index=True)
    #: a user's e-mail, or "import:<file>" for the CLI; kept as text so it survives account changes
    actor: Mapped[str] = mapped_column(String(254))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(20))
    old_value: Mapped[float | None] = mapped_column()
    new_value: Mapped[float | None] = mapped_column()
    old_not_applicable: Mapped[bool | None] = mapped_column()
    new_not_applicable: Mapped[bool | None] = mapped_column()
    #: None as old status: the value did not exist before this change
    old_status: Mapped[str | None] = mapped_column(String(20))
    new_status: Mapped[str] = mapped_column(String(20))
    #: the analyst's or admin's reason (return, reopen), or the file a bulk fill came from
    comment: Mapped[str] = mapped_column(Text, default="")
    #: other fields this change touched, comma-separated keys: na_reason, evidence_note, evidence_url,
    #: evidence_file (shown as translated labels, so stored as keys rather than prose)
    changed_fields: Mapped[str] = mapped_column(String(200), default="")
    #: the original name of an evidence file added with this change
    detail: Mapped[str] = mapped_column(Text, default="")

    value: Mapped[IndicatorValue] = relationship()
    actor_user: Mapped[User | None] = relationship()

    @property
    def fields(self) -> list[str]:
        return [key for key in self.changed_fields.split(",") if key]


def refuse_changes(model: type) -> None:
    """Make a model append-only at the ORM level, a second line behind the UI having no edit route."""
    def refuse(_mapper, _connection, target) -> None:
        raise ImmutableRecord(f"{type(target).__name__} rows are an audit trail and cannot be changed")

    event.listen(model, "before_update", refuse)
    event.listen(model, "before_delete", refuse)


refuse_changes(IndicatorValueChange)
