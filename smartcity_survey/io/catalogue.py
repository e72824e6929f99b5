"""Parse an indicator catalogue and an areas file (the data that defines a standard version)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _

from ..models import Area, AreaGroup, Indicator
from .tables import RowError, Table, missing_columns, too_long
from .values import parse_number

CATALOGUE_COLUMNS = ["code", "area", "method", "target", "direction", "unit",
                     "name_en", "name_ru", "name_kk", "source"]
AREA_COLUMNS = ["code", "group", "name_en", "name_ru", "name_kk"]
CODE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,59}$")
METHODS = ("yes_no", "percent", "numeric")
DIRECTIONS = ("higher", "lower")
#: text columns stored in a column of limited width (the rest are unlimited TEXT), and that width
CATALOGUE_LIMITS = {"unit": Indicator.__table__.c.unit.type.length}
GROUP_NAME_COLUMNS = ["group_name_en", "group_name_ru", "group_name_kk"]
AREA_LIMITS = {"code": Area.__table__.c.code.type.length, "group": AreaGroup.__table__.c.code.type.length} | {
    name: Area.__table__.c[name].type.length for name in ("name_en", "name_ru", "name_kk")} | {
    column: AreaGroup.__table__.c[column.removeprefix("group_")].type.length for column in GROUP_NAME_COLUMNS}


@dataclass(frozen=True)
class IndicatorRow:
    code: str
    area: str
    method: str
    target: Decimal | None
    direction: str | None
    unit: str | None
    name_en: str
    name_ru: str
    name_kk: str
    description: str
    source: str
    description_ru: str = ""
    description_kk: str = ""


@dataclass(frozen=True)
class AreaRow:
    code: str
    group: str
    name_en: str
    name_ru: str
    name_kk: str
    weight: Decimal | None  # the group's weight, if the file gives one
    #: the group's names (en, ru, kk), if the file gives them: a later standard's groups are not 2019's
    group_names: tuple[str, str, str] | None = None


def parse_catalogue(table: Table, area_codes: set[str]) -> tuple[list[IndicatorRow], list[RowError]]:
    errors = missing_columns(table, CATALOGUE_COLUMNS)
    if errors:
        return [], errors
    errors = too_long(table, CATALOGUE_LIMITS)
    rows: list[IndicatorRow] = []
    first_seen: dict[str, int] = {}
    for number, values in table.rows:
        row_errors = _catalogue_row_errors(number, values, area_codes, first_seen)
        errors.extend(row_errors)
        if not row_errors:
            rows.append(_indicator_row(values))
    if not rows and not errors:
        errors.append(RowError(None, None, _("the catalogue has no indicator rows")))
    return rows, errors


def _catalogue_row_errors(number, values, area_codes, first_seen) -> list[RowError]:
    errors = []
    code, method = values["code"].lower(), values["method"].lower()
    if not CODE.match(code):
        errors.append(RowError(number, "code", _("'%(code)s' is not a code (a-z, 0-9, _ . -)",
                                                 code=values["code"])))
    elif code in first_seen:
        errors.append(RowError(number, "code", _("'%(value)s' already appears on row %(row)s",
                                                 value=code, row=first_seen[code])))
    else:
        first_seen[code] = number
    if values["area"].lower() not in area_codes:
        errors.append(RowError(number, "area", _("unknown area '%(area)s' (known: %(known)s)",
                                                 area=values["area"], known=", ".join(sorted(area_codes)))))
    if method not in METHODS:
        errors.append(RowError(number, "method", _("'%(method)s' is not one of %(methods)s",
                                                   method=values["method"], methods=", ".join(METHODS))))
    if not values["name_en"]:
        errors.append(RowError(number, "name_en", _("an English name is required")))
    if method == "numeric":
        errors.extend(_numeric_errors(number, values))
    elif method in METHODS:
        for column in ("target", "direction", "unit"):
            if values[column]:
                errors.append(RowError(number, column, _("must be blank for a %(method)s indicator",
                                                         method=method)))
    return errors


def _numeric_errors(number, values) -> list[RowError]:
    errors = []
    try:
        if parse_number(values["target"]) <= 0:
            errors.append(RowError(number, "target", _("a numeric indicator's target must be above 0")))
    except ValueError as exc:
        errors.append(RowError(number, "target", _("a numeric indicator needs a target: %(problem)s",
                                                   problem=exc)))
    if values["direction"].lower() not in DIRECTIONS:
        errors.append(RowError(number, "direction", _("'%(direction)s' is not higher or lower",
                                                      direction=values["direction"])))
    return errors


def _indicator_row(values: dict[str, str]) -> IndicatorRow:
    numeric = values["method"].lower() == "numeric"
    return IndicatorRow(
        code=values["code"].lower(), area=values["area"].lower(), method=values["method"].lower(),
        target=parse_number(values["target"]) if numeric else None,
        direction=values["direction"].lower() if numeric else None,
        unit=(values["unit"] or None) if numeric else None,
        name_en=values["name_en"], name_ru=values["name_ru"], name_kk=values["name_kk"],
        description=values.get("description", ""), source=values["source"],
        description_ru=values.get("description_ru", ""), description_kk=values.get("description_kk", ""),
    )


def parse_areas(table: Table) -> tuple[list[AreaRow], list[RowError]]:
    """Areas and their groups; an optional `weight` column gives each group's correction factor and
    optional `group_name_en/ru/kk` columns its names (on any of its rows, the same wherever given)."""
    errors = missing_columns(table, AREA_COLUMNS)
    if errors:
        return [], errors
    errors = too_long(table, AREA_LIMITS)
    rows: list[AreaRow] = []
    seen: dict[str, int] = {}
    group_weights: dict[str, tuple[Decimal, int]] = {}
    group_names: dict[str, tuple[tuple[str, str, str], int]] = {}
    for number, values in table.rows:
        code, group = values["code"].lower(), values["group"].lower()
        weight = None
        if not CODE.match(code):
            errors.append(RowError(number, "code", _("'%(code)s' is not a code (a-z, 0-9, _ . -)",
                                                     code=values["code"])))
        elif code in seen:
            errors.append(RowError(number, "code", _("'%(value)s' already appears on row %(row)s",
                                                     value=code, row=seen[code])))
        seen.setdefault(code, number)
        if not CODE.match(group):
            errors.append(RowError(number, "group", _("'%(group)s' is not a group code", group=values["group"])))
        if not values["name_en"]:
            errors.append(RowError(number, "name_en", _("an English name is required")))
        if values.get("weight"):
            try:
                weight = parse_number(values["weight"])
                if weight <= 0:
                    raise ValueError(_("a group weight must be above 0"))
            except ValueError as exc:
                errors.append(RowError(number, "weight", str(exc)))
                weight = None
            if weight is not None and group in group_weights and group_weights[group][0] != weight:
                errors.append(RowError(number, "weight", _("group '%(group)s' has weight %(weight)s on row %(row)s",
                                                           group=group, weight=group_weights[group][0],
                                                           row=group_weights[group][1])))
            elif weight is not None:
                group_weights[group] = (weight, number)
        names = tuple(values.get(column, "") for column in GROUP_NAME_COLUMNS)
        if not any(names):
            names = None
        elif group in group_names and group_names[group][0] != names:
            errors.append(RowError(number, "group_name_en", _("group '%(group)s' is named differently on row "
                                                              "%(row)s", group=group, row=group_names[group][1])))
        else:
            group_names[group] = (names, number)
        rows.append(AreaRow(code, group, values["name_en"], values["name_ru"], values["name_kk"], weight, names))
    if not rows and not errors:
        errors.append(RowError(None, None, _("the areas file has no rows")))
    return (rows if not errors else []), errors
