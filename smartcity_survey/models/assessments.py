"""Assessment years and the indicator values each city reports for a year."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..services import DomainError
from ._common import utcnow
from .cities import City
from .standard import Indicator, StandardVersion

if TYPE_CHECKING:
    from .evidence import EvidenceFile


class ValueStatus(str, enum.Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    VERIFIED = "verified"


#: an akimat officer may change a value only in these statuses (or create it, as a draft)
EDITABLE_STATUSES = frozenset({ValueStatus.DRAFT.value, ValueStatus.RETURNED.value})
#: workflow step -> (statuses it starts from, status it leads to); the steps are named as their
#: history entries (ChangeKind). Editing a returned value keeps it "returned" until it is submitted
#: again, so the officer still sees what the analyst sent back.
TRANSITIONS = {
    "submit": (EDITABLE_STATUSES, ValueStatus.SUBMITTED.value),
    "verify": (frozenset({ValueStatus.SUBMITTED.value}), ValueStatus.VERIFIED.value),
    "return": (frozenset({ValueStatus.SUBMITTED.value}), ValueStatus.RETURNED.value),
    "reopen": (frozenset({ValueStatus.VERIFIED.value}), ValueStatus.RETURNED.value),
}


class WorkflowError(DomainError):
    """A workflow step the value's status does not allow (for example editing a verified value).
    Services check first and explain in the user's language; this is the guard behind them."""


class AssessmentYear(db.Model):
    """A year cities are rated for, and the standard version that rates it."""

    __tablename__ = "assessment_years"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("standard_versions.id"))
    #: synthetic data made by `flask demo`; every page showing it says so
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    standard: Mapped[StandardVersion] = relationship()


class IndicatorValue(db.Model):
    """What a city reports for one indicator in one year.

    value is None and not_applicable is False: "not reported" (scores 0). Yes/no values are stored as 1/0.
    """

    __tablename__ = "indicator_values"
    __table_args__ = (UniqueConstraint("city_id", "year_id", "indicator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id"))
    year_id: Mapped[int] = mapped_column(ForeignKey("assessment_years.id"))
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"))
    value: Mapped[float | None] = mapped_column()
    not_applicable: Mapped[bool] = mapped_column(default=False)
    na_reason: Mapped[str] = mapped_column(Text, default="")
    evidence_note: Mapped[str] = mapped_column(Text, default="")
    evidence_url: Mapped[str] = mapped_column(String(500), default="")
    #: draft -> submitted -> verified, or returned; only verified values reach public scores
    status: Mapped[str] = mapped_column(String(20), default=ValueStatus.DRAFT.value)
    #: who made the last change: a user's e-mail, or "import:<file>" for the CLI
    updated_by: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    #: optimistic lock: a save against a stale version is refused
    version: Mapped[int] = mapped_column(default=1)

    city: Mapped[City] = relationship()
    year: Mapped[AssessmentYear] = relationship()
    indicator: Mapped[Indicator] = relationship()
    evidence_files: Mapped[list[EvidenceFile]] = relationship(
        back_populates="value", order_by="EvidenceFile.uploaded_at")

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_answered(self) -> bool:
        return self.not_applicable or self.value is not None

    def move(self, step: str) -> None:
        """Apply a workflow step (a key of TRANSITIONS); refuses steps the status does not allow."""
        sources, target = TRANSITIONS[step]
        if self.status not in sources:
            raise WorkflowError(f"{self.indicator.code}: cannot {step} a value that is {self.status}")
        self.status = target
