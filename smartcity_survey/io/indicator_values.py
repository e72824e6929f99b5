"""Validate an indicator-values file (columns city, indicator, value, optional evidence)."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _

from .spreadsheets import unsafe_cell
from .tables import RowError, Table, missing_columns, repeated_columns, unnamed_cells
from .values import ParsedValue, parse_indicator_value

REQUIRED = ["city", "indicator", "value"]
#: the word for "city" around a name, as official papers write it: г. Алматы, город Алматы, Алматы қаласы
CITY_WORD = re.compile(r"^(?:г\.|г\s|город\s)\s*|\s+(?:қаласы|қ\.|city)$")


@dataclass(frozen=True)
class ValueRow:
    row: int
    city: str  # slug
    indicator: str  # code
    parsed: ParsedValue
    evidence: str


def parse_indicator_values(
    table: Table, city_slugs: Mapping[str, str], indicator_methods: Mapping[str, str],
) -> tuple[list[ValueRow], list[RowError]]:
    """city_slugs maps every accepted spelling (slug, names) in lower case to the slug;
    indicator_methods maps indicator code -> method. Returns rows and one error per bad cell."""
    errors = missing_columns(table, REQUIRED) + repeated_columns(table)
    if errors:
        return [], errors
    errors = unnamed_cells(table)
    rows: list[ValueRow] = []
    first_seen: dict[tuple[str, str], int] = {}
    for number, values in table.rows:
        city = _city(values["city"], city_slugs)
        code = values["indicator"].strip().lower()
        row_errors = _unknown(number, values, city, code in indicator_methods)
        parsed = None
        if code in indicator_methods:
            try:
                parsed = parse_indicator_value(values["value"], indicator_methods[code])
            except ValueError as exc:
                row_errors.append(RowError(number, "value", _("%(problem)s (indicator %(code)s)",
                                                              problem=exc, code=code)))
        if city is not None and code in indicator_methods:
            row_errors += _repeated(number, (city, code), first_seen)
        errors.extend(row_errors)
        if not row_errors:
            rows.append(ValueRow(number, city, code, parsed, unsafe_cell(values.get("evidence", ""))))
    if not rows and not errors:
        errors.append(RowError(None, None, _("the file has no data rows")))
    return rows, errors


def _city(text: str, city_slugs: Mapping[str, str]) -> str | None:
    name = text.casefold()
    return city_slugs.get(name) or city_slugs.get(CITY_WORD.sub("", name))


def _unknown(number: int, values: dict[str, str], city: str | None, known_code: bool) -> list[RowError]:
    """An empty cell says so: "unknown city ''" would send the reader looking for a city."""
    errors = []
    if city is None:
        errors.append(RowError(number, "city", _("unknown city '%(city)s'", city=values["city"])
                               if values["city"] else _("is empty")))
    if not known_code:
        errors.append(RowError(number, "indicator", _("unknown indicator '%(indicator)s' for this year",
                                                      indicator=values["indicator"])
                               if values["indicator"] else _("is empty")))
    return errors


def _repeated(number: int, key: tuple[str, str], first_seen: dict[tuple[str, str], int]) -> list[RowError]:
    if key not in first_seen:
        first_seen[key] = number
        return []
    return [RowError(number, "indicator", _("%(city)s / %(code)s already appears on row %(row)s",
                                            city=key[0], code=key[1], row=first_seen[key]))]
