"""Cities assessed against the standard."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._common import Trilingual, utcnow


class City(Trilingual, db.Model):
    __tablename__ = "cities"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name_en: Mapped[str] = mapped_column(String(120))
    name_ru: Mapped[str] = mapped_column(String(120), default="")
    name_kk: Mapped[str] = mapped_column(String(120), default="")
    #: national (city of republican significance) or regional (regional centre)
    status: Mapped[str] = mapped_column(String(20), default="regional")
    region_en: Mapped[str] = mapped_column(String(200), default="")
    #: the level the paper printed for 2019 (history shown beside new results, never recomputed)
    published_2019_level_percent: Mapped[float | None] = mapped_column()
    note: Mapped[str] = mapped_column(Text, default="")
    #: other names the city goes or went by, "; "-separated (Nur-Sultan for Astana, Chimkent...):
    #: files written in another year or spelling still name the right city (services.cities.city_lookup)
    aliases: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: when a name or anything else changed: the cached reports carry names (services.report_cache)
    updated_at: Mapped[datetime | None] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def alias_list(self) -> list[str]:
        return [alias.strip() for alias in self.aliases.split(";") if alias.strip()]
