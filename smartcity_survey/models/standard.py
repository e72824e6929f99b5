"""The reference standard as data: a version per assessment year, its groups, areas and indicators."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, synonym

from ..extensions import db
from ..scoring import GroupSpec, IndicatorSpec, PointsBand, StandardSpec
from ._common import Trilingual, utcnow

METHODS = ("yes_no", "percent", "numeric")
DIRECTIONS = ("higher", "lower")


class StandardVersion(db.Model):
    """One version of the reference standard, in force from `year` until a later version."""

    __tablename__ = "standard_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: first assessment year this version applies to
    year: Mapped[int] = mapped_column(unique=True)
    title: Mapped[str] = mapped_column(String(200))
    #: list of {"min": 0, "max": 20, "points": 1} bands over the whole-percent scale
    points_table: Mapped[list] = mapped_column(JSON)
    #: where the catalogue came from, shown in the UI ("bundled reconstruction" vs an official file)
    catalogue_source: Mapped[str] = mapped_column(Text, default="")
    is_official_catalogue: Mapped[bool] = mapped_column(default=False)
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    groups: Mapped[list[AreaGroup]] = relationship(
        back_populates="standard", order_by="AreaGroup.position", cascade="all, delete-orphan")
    areas: Mapped[list[Area]] = relationship(
        back_populates="standard", order_by="Area.position", cascade="all, delete-orphan")
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="standard", order_by="Indicator.position", cascade="all, delete-orphan")

    def to_spec(self) -> StandardSpec:
        """The plain-data form the scoring engine works on."""
        return StandardSpec(
            groups=tuple(GroupSpec(g.code, Decimal(str(g.weight)), g.tiebreak_rank) for g in self.groups),
            area_groups={a.code: a.group.code for a in self.areas},
            points_table=tuple(PointsBand(b["min"], b["max"], b["points"]) for b in self.points_table),
        )


class AreaGroup(Trilingual, db.Model):
    """priority / additional / ict in 2019: each group's mean earns points times its weight."""

    __tablename__ = "area_groups"
    __table_args__ = (UniqueConstraint("standard_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("standard_versions.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(40))
    name_en: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200), default="")
    name_kk: Mapped[str] = mapped_column(String(200), default="")
    #: correction factor K (K2 = 2 for priority and ICT, K1 = 1 for additional in 2019)
    weight: Mapped[float] = mapped_column()
    position: Mapped[int] = mapped_column(default=0)
    #: order in which group percents break ties in C_t (1 first); 2019: priority, ict, additional
    tiebreak_rank: Mapped[int] = mapped_column(default=0)

    standard: Mapped[StandardVersion] = relationship(back_populates="groups")
    areas: Mapped[list[Area]] = relationship(back_populates="group", order_by="Area.position")


class Area(Trilingual, db.Model):
    __tablename__ = "areas"
    __table_args__ = (UniqueConstraint("standard_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("standard_versions.id", ondelete="CASCADE"))
    group_id: Mapped[int] = mapped_column(ForeignKey("area_groups.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(40))
    name_en: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200), default="")
    name_kk: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(default=0)

    standard: Mapped[StandardVersion] = relationship(back_populates="areas")
    group: Mapped[AreaGroup] = relationship(back_populates="areas")
    indicators: Mapped[list[Indicator]] = relationship(back_populates="area", order_by="Indicator.position")


class Indicator(Trilingual, db.Model):
    __tablename__ = "indicators"
    __table_args__ = (UniqueConstraint("standard_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("standard_versions.id", ondelete="CASCADE"))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(60))
    #: yes_no | percent | numeric
    method: Mapped[str] = mapped_column(String(20))
    #: numeric only: the value that earns 100 %
    target: Mapped[float | None] = mapped_column()
    #: numeric only: higher | lower (is better)
    direction: Mapped[str | None] = mapped_column(String(10))
    unit: Mapped[str | None] = mapped_column(String(60))
    name_en: Mapped[str] = mapped_column(Text)
    name_ru: Mapped[str] = mapped_column(Text, default="")
    name_kk: Mapped[str] = mapped_column(Text, default="")
    #: how the indicator is measured, for the officers who report it: English, Russian, Kazakh
    #: (`description` is the English one, as it was before the translations came; see description_en)
    description: Mapped[str] = mapped_column(Text, default="")
    description_ru: Mapped[str] = mapped_column(Text, default="", server_default="")
    description_kk: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: so that i18n.localized(indicator, "description") reads like every other translated field
    description_en = synonym("description")
    #: where this row comes from (paper section, press report, or the official list)
    source: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)

    standard: Mapped[StandardVersion] = relationship(back_populates="indicators")
    area: Mapped[Area] = relationship(back_populates="indicators")

    def to_spec(self) -> IndicatorSpec:
        return IndicatorSpec(
            code=self.code, area=self.area.code, method=self.method,
            target=None if self.target is None else Decimal(str(self.target)),
            direction=self.direction,
        )
