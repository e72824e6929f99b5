"""Cities: the 17 of the 2019 rating ship with the project; more can be loaded from a file."""
from __future__ import annotations

from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..io.tables import RowError, Table, missing_columns, too_long
from ..io.values import is_whole_number
from ..models import City
from .standards import DATA_DIR, ImportRejected, read_or_reject

REQUIRED = ["slug", "name_en"]
#: the file's text columns and the width of the database column each is stored in
LIMITS = {name: City.__table__.c[name].type.length
          for name in ("slug", "name_en", "name_ru", "name_kk", "status", "region_en")}


def load_cities(path: Path = DATA_DIR / "cities.csv") -> int:
    """Create or update cities by slug (columns as shared/domain/cities.csv). Returns rows loaded."""
    table = read_or_reject(path)
    errors = missing_columns(table, REQUIRED) or sorted(too_long(table, LIMITS) + _row_errors(table),
                                                        key=lambda error: error.row)
    if errors:
        raise ImportRejected(errors)
    existing = {c.slug: c for c in db.session.scalars(select(City))}
    for _number, values in table.rows:
        city = existing.get(values["slug"].lower()) or City(slug=values["slug"].lower())
        city.name_en = values["name_en"]
        city.name_ru = values.get("name_ru", "")
        city.name_kk = values.get("name_kk", "")
        city.status = values.get("status") or "regional"
        city.region_en = "" if values.get("region_en") in (None, "—") else values["region_en"]
        level = values.get("published_2019_level_percent")
        city.published_2019_level_percent = float(level) if level else None
        city.note = values.get("note", "")
        db.session.add(city)
    db.session.flush()
    return len(table.rows)


def _row_errors(table: Table) -> list[RowError]:
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for number, values in table.rows:
        slug = values["slug"].lower()
        if not slug or not slug.replace("-", "").replace("_", "").isalnum():
            errors.append(RowError(number, "slug", _("'%(slug)s' is not a slug (letters, digits, - and _)",
                                                     slug=values["slug"])))
        elif slug in seen:
            errors.append(RowError(number, "slug", _("'%(value)s' already appears on row %(row)s",
                                                     value=slug, row=seen[slug])))
        seen.setdefault(slug, number)
        if not values.get("name_en"):
            errors.append(RowError(number, "name_en", _("an English name is required")))
        level = values.get("published_2019_level_percent", "")
        if level and not is_whole_number(level.replace(".", "", 1)):
            errors.append(RowError(number, "published_2019_level_percent",
                                   _("'%(value)s' is not a number", value=level)))
    return errors


def city_lookup() -> dict[str, str]:
    """Every accepted spelling of a city (slug and its names, any case) -> slug, for importers."""
    lookup: dict[str, str] = {}
    for city in db.session.scalars(select(City)):
        for spelling in (city.slug, city.name_en, city.name_ru, city.name_kk):
            if spelling:
                lookup.setdefault(spelling.casefold(), city.slug)
    return lookup
