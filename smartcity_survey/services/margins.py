"""Population margins (the statistics bureau's shares by age band, gender, district) for raking."""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import delete, select

from ..extensions import db
from ..io.responses_import import repeated_columns
from ..io.tables import RowError, Table, UnreadableFile, missing_columns, read_table
from ..io.values import parse_number
from ..models import City, PopulationMargin
from .cities import city_lookup
from .standards import ImportRejected

REQUIRED = ["city", "variable", "category", "share"]
#: a variable's shares must add up to 1 within this (rounding in published tables); Decimal, so that
#: 33 + 33 + 33 % is exactly 1 % short and accepted, which float arithmetic would put just over
TOLERANCE = Decimal("0.01")


def load_margins(path: Path) -> dict:
    """Replace the margins of every city in the file, all or nothing. Shares may be 0-1 or percents."""
    rows, incomplete, errors = _parse_rows(_read(path), city_lookup())
    errors += _sum_errors(rows, incomplete)
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: e.row or 0))
    return _replace(rows)


def _read(path: Path) -> Table:
    """The file as a table; refused when unreadable, without a required column, or without rows."""
    try:
        table = read_table(path)
    except UnreadableFile as exc:
        raise ImportRejected([RowError(None, None, _("unreadable file: %(reason)s", reason=exc))]) from exc
    errors = missing_columns(table, REQUIRED) + repeated_columns(table)
    if errors:
        raise ImportRejected(errors)
    if not table.rows:
        raise ImportRejected([RowError(None, None, _("the file has no data rows"))])
    return table


def _parse_rows(table: Table, cities: dict[str, str]) -> tuple[list[tuple], set[tuple], list[RowError]]:
    """Rows whose city and share are usable (for the sums), (city, variable) pairs with an unusable
    share (their sum would be wrong, so it is not checked), and every error."""
    rows, incomplete, errors, seen = [], set(), [], {}
    for number, values in table.rows:
        errors += _text_errors(number, values)
        city = cities.get(values["city"].casefold())
        key = (city, values["variable"], values["category"])
        if city is None:
            errors.append(RowError(number, "city", _("unknown city '%(city)s'", city=values["city"])))
        elif key in seen:
            errors.append(RowError(number, "category", _(
                "%(category)s of %(variable)s in %(city)s already appears on row %(row)s",
                category=values["category"], variable=values["variable"], city=values["city"], row=seen[key])))
            continue  # counted once in the sum: the repeat is the error
        seen.setdefault(key, number)
        try:
            share = _share(values["share"])
        except ValueError as exc:
            errors.append(RowError(number, "share", str(exc)))
            incomplete.add((city, values["variable"]))
            continue
        if city is not None:
            rows.append((number, city, values["variable"], values["category"], share))
    return rows, incomplete, errors


def _share(text: str) -> Decimal:
    if not text:
        raise ValueError(_("is empty"))
    share = parse_number(text)
    if not 0 <= share <= 100:
        raise ValueError(_("%(share)s is not a share between 0 and 1 (or 0 and 100 %%)", share=text))
    return share


def _text_errors(number: int, values: dict[str, str]) -> list[RowError]:
    """Variable and category are required and must fit their columns (PostgreSQL refuses longer text)."""
    errors = []
    for column in ("variable", "category"):
        limit = PopulationMargin.__table__.c[column].type.length
        if not values[column]:
            errors.append(RowError(number, column, _("is empty")))
        elif len(values[column]) > limit:
            errors.append(RowError(number, column, _("longer than %(max)s characters", max=limit)))
    return errors


def _sum_errors(rows, incomplete: set[tuple]) -> list[RowError]:
    totals: dict[tuple, list] = defaultdict(list)
    for number, city, variable, _category, share in rows:
        if (city, variable) not in incomplete:
            totals[(city, variable)].append((number, share))
    errors = []
    for (city, variable), shares in totals.items():
        total = sum(share for _row, share in shares)
        scale = 100 if total > 1 + TOLERANCE else 1
        if abs(total / scale - 1) > TOLERANCE:
            errors.append(RowError(shares[0][0], "share", _(
                "the shares of %(variable)s in %(city)s add up to %(total)s, not 1 (or 100 %%)",
                variable=variable, city=city, total=f"{total:g}")))
    return errors


def _replace(rows) -> dict:
    slugs = {city for _row, city, *_rest in rows}
    ids = {c.slug: c.id for c in db.session.scalars(select(City).where(City.slug.in_(slugs)))}
    db.session.execute(delete(PopulationMargin).where(PopulationMargin.city_id.in_(ids.values())))
    totals: dict[tuple, Decimal] = defaultdict(Decimal)
    for _row, city, variable, _category, share in rows:
        totals[(city, variable)] += share
    for _row, city, variable, category, share in rows:
        db.session.add(PopulationMargin(city_id=ids[city], variable=variable, category=category,
                                        share=float(share / totals[(city, variable)])))
    db.session.flush()
    return {"rows": len(rows), "cities": len(slugs)}
