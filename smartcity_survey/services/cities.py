"""Cities: the 17 of the 2019 rating ship with the project; more can be loaded from a file.

A city is named in files by its slug, any of its three names, either part of a name written
"Oral (Uralsk)", or one of its aliases (former names and other transliterations: Nur-Sultan,
Chimkent). Current names win: an alias never takes a spelling that is another city's name, and the
loader refuses one that tries.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
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
#: one alias may be as long as a name
ALIAS_LIMIT = City.__table__.c["name_en"].type.length
#: "Oral (Uralsk)": the name before the bracket and the one inside are spellings too
BRACKETED = re.compile(r"^(?P<outer>[^()]+?)\s*\((?P<inner>[^()]+)\)$")


def load_cities(path: Path = DATA_DIR / "cities.csv") -> int:
    """Create or update cities by slug (columns as shared/domain/cities.csv). Returns rows loaded."""
    table = read_or_reject(path)
    errors = missing_columns(table, REQUIRED) or sorted(
        too_long(table, LIMITS) + _row_errors(table) + _alias_errors(table), key=lambda error: error.row)
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
        if "aliases" in values:  # a file without the column keeps the aliases already stored
            city.aliases = "; ".join(split_aliases(values["aliases"]))
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


def _alias_errors(table: Table) -> list[RowError]:
    """An alias longer than a name, or one that already names another city (in the file, or stored and
    not in the file): a file naming it could not say which city it means."""
    if "aliases" not in table.columns:
        return []
    in_file = {values["slug"].lower() for _number, values in table.rows}
    owner: dict[str, str] = {}
    for city in db.session.scalars(select(City)):
        if city.slug not in in_file:
            for spelling in (*names_of(city.slug, city.name_en, city.name_ru, city.name_kk), *city.alias_list):
                owner.setdefault(spelling.casefold(), city.slug)
    for _number, values in table.rows:
        for spelling in names_of(values["slug"].lower(), *(values.get(name, "") for name in ("name_en", "name_ru",
                                                                                             "name_kk"))):
            owner.setdefault(spelling.casefold(), values["slug"].lower())
    errors: list[RowError] = []
    for number, values in table.rows:
        slug = values["slug"].lower()
        for alias in split_aliases(values["aliases"]):
            if len(alias) > ALIAS_LIMIT:
                errors.append(RowError(number, "aliases", _("'%(alias)s' is longer than %(limit)s characters",
                                                            alias=alias[:40] + "…", limit=ALIAS_LIMIT)))
            elif owner.setdefault(alias.casefold(), slug) != slug:
                errors.append(RowError(number, "aliases", _("'%(alias)s' already names the city '%(city)s'",
                                                            alias=alias, city=owner[alias.casefold()])))
    return errors


def split_aliases(cell: str) -> list[str]:
    """The aliases in a cell such as `Nur-Sultan; Нур-Султан`: trimmed, each once, in order."""
    aliases: list[str] = []
    for alias in (part.strip() for part in cell.split(";")):
        if alias and alias.casefold() not in {known.casefold() for known in aliases}:
            aliases.append(alias)
    return aliases


def names_of(slug: str, *names: str) -> list[str]:
    """A city's own spellings: its slug, its names, and both parts of a bracketed name."""
    spellings = [slug]
    for name in filter(None, names):
        spellings.append(name)
        bracketed = BRACKETED.match(name.strip())
        if bracketed:
            spellings += [bracketed["outer"], bracketed["inner"].strip()]
    return spellings


def city_lookup() -> dict[str, str]:
    """Every accepted spelling of a city (any case) -> slug, for importers. Own names are entered before
    any alias, so an alias stored before this check existed still cannot hide another city's name."""
    cities = list(db.session.scalars(select(City).order_by(City.id)))
    lookup: dict[str, str] = {}
    _enter(lookup, ((city.slug, names_of(city.slug, city.name_en, city.name_ru, city.name_kk)) for city in cities))
    _enter(lookup, ((city.slug, city.alias_list) for city in cities))
    return lookup


def _enter(lookup: dict[str, str], spellings: Iterable[tuple[str, list[str]]]) -> None:
    for slug, names in spellings:
        for name in names:
            lookup.setdefault(name.casefold(), slug)
