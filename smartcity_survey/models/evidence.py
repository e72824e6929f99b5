"""Evidence files attached to indicator values: stored outside static/, under random names."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._common import utcnow
from .assessments import IndicatorValue
from .users import User


class EvidenceFile(db.Model):
    """A PDF, PNG or JPEG an officer attached to a value. Files are kept, never replaced, so the
    analyst sees exactly what was submitted and the history can name every file."""

    __tablename__ = "evidence_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    value_id: Mapped[int] = mapped_column(ForeignKey("indicator_values.id"), index=True)
    #: the uploader's file name with any path and control characters removed; shown, never used as a path
    original_name: Mapped[str] = mapped_column(String(200))
    #: random hex name inside EVIDENCE_DIR; the only name ever used on disk
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    #: detected from the file's first bytes, not from its name or the browser's claim
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[str] = mapped_column(String(254))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    value: Mapped[IndicatorValue] = relationship(back_populates="evidence_files")
    uploader: Mapped[User | None] = relationship()
