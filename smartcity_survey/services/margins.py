"""Population margins (the statistics bureau's shares by age band, gender, district) for raking."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import delete, select

from .. import questionnaire_spec as spec
from ..extensions import db
from ..io.tables import (RowError, Table, UnreadableFile, missing_columns, read_table, repeated_columns,
                         unnamed_cells)
from ..io.values import parse_number
from ..models import Choice, City, PopulationMargin, Question
from .cities import city_lookup
from .standards import ImportRejected

REQUIRED = ["city", "variable", "category", "share"]
#: question types whose stored answer raking compares with a category as text
WEIGHABLE = (spec.SINGLE, spec.TEXT, spec.INTEGER)
#: a variable's shares must add up to 1 within this (rounding in published tables); Decimal, so that
#: 33 + 33 + 33 % is exactly 1 % short and accepted, which float arithmetic would put just over
TOLERANCE = Decimal("0.01")


@dataclass
class _Variable:
    """What a margin variable may be: a question's name and the answers raking will compare with."""

    name: str
    choices: list[str] = field(default_factory=list)  # single choice questions' names, form order
    typed: bool = False  # some question of the name takes text or a whole number: any category


def load_margins(path: Path) -> dict:
    """Replace the margins of every city in the file, all or nothing. Shares may be 0-1 or percents."""
    table = _read(path)
    rows, incomplete, errors = _parse_rows(table, city_lookup(), _variables())
    errors += unnamed_cells(table)
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


def _parse_rows(table: Table, cities: dict[str, str],
                variables: dict[str, _Variable]) -> tuple[list[tuple], set[tuple], list[RowError]]:
    """Rows whose city and share are usable (for the sums), (city, variable) pairs with an unusable
    share (their sum would be wrong, so it is not checked), and every error."""
    rows, incomplete, errors, seen = [], set(), [], {}
    for number, values in table.rows:
        text_errors = _text_errors(number, values)
        errors += text_errors or _answer_errors(number, values, variables)
        values = {**values, "variable": _name_of(values["variable"], variables)}
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


def _variables() -> dict[str, _Variable]:
    """Every name of a single choice, text or whole number question of any questionnaire (what raking can
    match a respondent's answer with), as written and case-folded."""
    choices: dict[tuple, list[str]] = defaultdict(list)
    for questionnaire, list_name, name in db.session.execute(
            select(Choice.questionnaire_id, Choice.list_name, Choice.name).order_by(Choice.position)):
        choices[(questionnaire, list_name)].append(name)
    variables: dict[str, _Variable] = {}
    for questionnaire, name, kind, choice_list in db.session.execute(select(
            Question.questionnaire_id, Question.name, Question.type, Question.choice_list)
            .where(Question.type.in_(WEIGHABLE)).order_by(Question.questionnaire_id)):
        variable = variables.setdefault(name, _Variable(name))
        variable.typed |= kind != spec.SINGLE
        variable.choices += [c for c in choices[(questionnaire, choice_list)] if c not in variable.choices]
    return variables | {name.casefold(): v for name, v in variables.items() if name.casefold() not in variables}


def _name_of(text: str, variables: dict[str, _Variable]) -> str:
    variable = variables.get(text) or variables.get(text.casefold())
    return variable.name if variable else text


def _answer_errors(number: int, values: dict[str, str], variables: dict[str, _Variable]) -> list[RowError]:
    """A margin no respondent could match would be loaded and never weight anyone (a label such as
    "Женщина" for the choice female, a variable no questionnaire asks): refused instead."""
    variable = variables.get(values["variable"]) or variables.get(values["variable"].casefold())
    if variable is None:
        return [RowError(number, "variable", _(
            "no questionnaire has a single choice, text or whole number question %(variable)s",
            variable=values["variable"]))]
    if variable.typed or values["category"] in variable.choices:
        return []
    return [RowError(number, "category", _("'%(category)s' is not a choice of %(variable)s (%(choices)s)",
                                           category=values["category"], variable=variable.name,
                                           choices=", ".join(variable.choices)))]


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
