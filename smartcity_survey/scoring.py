"""The reference-standard scoring method, step by step (../shared/domain/reference-standard.md).

Pure: no Flask, no database. Every figure is a Decimal so that boundaries such as 20.5 are exact,
and every function returns the whole breakdown so a city can see why its score is what it is.

Decisions the specification leaves open (also in the README):
- Whole-percent rounding first rounds to 9 decimals, then to a whole percent, halves up. Decimal
  arithmetic makes 20.5 exact; the 9-decimal step absorbs the last-digit residue of divisions such
  as 100/3 so that a mean equal to 20.5 "up to noise" still earns 2 points.
- A group none of whose areas has an S (every indicator n/a) leaves the total: C_t divides by the
  maximum points of the groups that are present, and the level averages the groups present.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
ZERO = Decimal(0)
#: precision the group percent is rounded to before the whole-percent rounding (see module doc)
NOISE_QUANTUM = Decimal("1e-9")


class ScoringError(ValueError):
    """A value the method cannot score (for example a percent outside 0-100)."""


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    area: str
    method: str  # yes_no | percent | numeric
    target: Decimal | None = None  # numeric only
    direction: str | None = None  # numeric only: higher | lower


@dataclass(frozen=True)
class Reading:
    """What a city reported for one indicator: a value, nothing (None), or not applicable."""

    value: Decimal | None = None
    not_applicable: bool = False


@dataclass(frozen=True)
class GroupSpec:
    code: str
    weight: Decimal  # correction factor K
    tiebreak_rank: int  # 1 = first group consulted when C_t ties


@dataclass(frozen=True)
class PointsBand:
    min: int
    max: int
    points: int


@dataclass(frozen=True)
class StandardSpec:
    groups: tuple[GroupSpec, ...]
    area_groups: Mapping[str, str]  # area code -> group code, in display order
    points_table: tuple[PointsBand, ...]

    @property
    def max_points(self) -> int:
        return max(band.points for band in self.points_table)

    def areas_of(self, group: str) -> list[str]:
        return [area for area, grp in self.area_groups.items() if grp == group]


@dataclass
class IndicatorResult:
    code: str
    area: str
    status: str  # reported | not_reported | not_applicable
    value: Decimal | None
    percent: Decimal | None  # I; None when not applicable


@dataclass
class AreaResult:
    code: str
    group: str
    percent: Decimal | None  # S; None when no applicable indicator
    indicators: int = 0  # N: applicable indicators averaged (not-reported ones included, as 0)
    not_reported: int = 0
    not_applicable: int = 0
    items: list[IndicatorResult] = field(default_factory=list)


@dataclass
class GroupResult:
    code: str
    weight: Decimal
    percent: Decimal | None  # S_pa / S_add / S_ict
    areas_counted: list[str] = field(default_factory=list)
    rounded: int | None = None
    points: int | None = None  # C_i from the points table
    weighted_points: Decimal | None = None  # C_i * K


@dataclass
class CityScore:
    areas: dict[str, AreaResult]
    groups: dict[str, GroupResult]
    total_points: Decimal | None
    max_points: Decimal | None
    total_percent: Decimal | None  # C_t as a percent
    level_percent: Decimal | None  # plain mean of the group percents


# Step 1 ------------------------------------------------------------------------------------------

def indicator_percent(spec: IndicatorSpec, value: Decimal) -> Decimal:
    """I for one reported value (table 1 for yes/no; the share itself; numeric against its target)."""
    if not value.is_finite():  # NaN would raise Decimal's own error at the first comparison
        raise ScoringError(f"{spec.code}: {value} is not a number")
    if spec.method == "yes_no":
        if value not in (0, 1):
            raise ScoringError(f"{spec.code}: a yes/no value must be 1 or 0, not {value}")
        return HUNDRED if value == 1 else ZERO
    if spec.method == "percent":
        if not ZERO <= value <= HUNDRED:
            raise ScoringError(f"{spec.code}: a percent must be between 0 and 100, not {value}")
        return value
    if spec.method == "numeric":
        return _numeric_percent(spec, value)
    raise ScoringError(f"{spec.code}: unknown method {spec.method!r}")


def _numeric_percent(spec: IndicatorSpec, value: Decimal) -> Decimal:
    if spec.target is None or spec.target <= 0:
        raise ScoringError(f"{spec.code}: a numeric indicator needs a positive target")
    if value < 0:
        raise ScoringError(f"{spec.code}: a count or amount cannot be negative ({value})")
    if spec.direction == "lower":
        return HUNDRED if value == 0 else min(HUNDRED, HUNDRED * spec.target / value)
    return min(HUNDRED, HUNDRED * value / spec.target)


# Step 2 ------------------------------------------------------------------------------------------

def score_areas(
    standard: StandardSpec, indicators: Iterable[IndicatorSpec], readings: Mapping[str, Reading]
) -> dict[str, AreaResult]:
    """Formula 1 for every area: the mean I over the area's applicable indicators."""
    areas = {code: AreaResult(code, group, None) for code, group in standard.area_groups.items()}
    for spec in indicators:
        areas[spec.area].items.append(_indicator_result(spec, readings.get(spec.code, Reading())))
    for area in areas.values():
        applicable = [item for item in area.items if item.status != "not_applicable"]
        area.indicators = len(applicable)
        area.not_reported = sum(item.status == "not_reported" for item in applicable)
        area.not_applicable = len(area.items) - len(applicable)
        if applicable:
            area.percent = sum((item.percent for item in applicable), ZERO) / len(applicable)
    return areas


def _indicator_result(spec: IndicatorSpec, reading: Reading) -> IndicatorResult:
    if reading.not_applicable:
        return IndicatorResult(spec.code, spec.area, "not_applicable", None, None)
    if reading.value is None:  # never reported: counts as 0 so a gap cannot raise a score
        return IndicatorResult(spec.code, spec.area, "not_reported", None, ZERO)
    return IndicatorResult(spec.code, spec.area, "reported", reading.value,
                           indicator_percent(spec, reading.value))


# Steps 3-5 ---------------------------------------------------------------------------------------

def whole_percent(percent: Decimal) -> int:
    """Round to a whole percent, halves up, after absorbing arithmetic noise (see module doc)."""
    return int(percent.quantize(NOISE_QUANTUM, ROUND_HALF_UP).quantize(Decimal(1), ROUND_HALF_UP))


def points_for(percent: Decimal, table: Iterable[PointsBand]) -> tuple[int, int]:
    """Table 2: (the whole percent, its points)."""
    rounded = whole_percent(percent)
    for band in table:
        if band.min <= rounded <= band.max:
            return rounded, band.points
    raise ScoringError(f"no points band covers {rounded} %")


def score_groups(
    standard: StandardSpec, area_percents: Mapping[str, Decimal | None],
) -> tuple[dict[str, GroupResult], Decimal | None, Decimal | None, Decimal | None, Decimal | None]:
    """Formulas 2-8 from area percents: group results, total points, maximum, C_t %, level %.
    An area without a percent leaves its group's average (step 3)."""
    groups: dict[str, GroupResult] = {}
    for spec in standard.groups:
        counted = [area for area in standard.areas_of(spec.code) if area_percents.get(area) is not None]
        percent = sum((area_percents[a] for a in counted), ZERO) / len(counted) if counted else None
        groups[spec.code] = _group_result(standard, spec, percent, counted)
    return (groups, *_total(standard, groups))


def _group_result(standard: StandardSpec, spec: GroupSpec, percent: Decimal | None,
                  counted: list[str]) -> GroupResult:
    group = GroupResult(spec.code, spec.weight, percent, counted)
    if percent is not None:
        group.rounded, group.points = points_for(percent, standard.points_table)
        group.weighted_points = group.points * spec.weight
    return group


def total_percent(standard: StandardSpec, group_percents: Mapping[str, Decimal | None]) -> Decimal | None:
    """C_t % straight from group percents (None: the group is absent), e.g. at an interval's ends."""
    groups = {spec.code: _group_result(standard, spec, group_percents.get(spec.code), [])
              for spec in standard.groups}
    return _total(standard, groups)[2]


def _total(standard: StandardSpec, groups: Mapping[str, GroupResult]):
    present = [g for g in groups.values() if g.percent is not None]
    if not present:
        return None, None, None, None
    total = sum((g.weighted_points for g in present), ZERO)
    maximum = sum((standard.max_points * g.weight for g in present), ZERO)
    level = sum((g.percent for g in present), ZERO) / len(present)
    return total, maximum, total / maximum * HUNDRED, level


def score_city(
    standard: StandardSpec, indicators: Iterable[IndicatorSpec], readings: Mapping[str, Reading]
) -> CityScore:
    """The whole method for one city: indicator -> area -> group -> points -> total."""
    areas = score_areas(standard, indicators, readings)
    groups, total, maximum, percent, level = score_groups(
        standard, {code: area.percent for code, area in areas.items()})
    return CityScore(areas, groups, total, maximum, percent, level)


def score_from_area_percents(standard: StandardSpec, area_percents: Mapping[str, Decimal | None]) -> CityScore:
    """Steps 3-5 on area percents obtained elsewhere (perceived scores from survey answers)."""
    areas = {code: AreaResult(code, grp, area_percents.get(code)) for code, grp in standard.area_groups.items()}
    groups, total, maximum, percent, level = score_groups(standard, area_percents)
    return CityScore(areas, groups, total, maximum, percent, level)


# Rating ------------------------------------------------------------------------------------------

def _rank_key(standard: StandardSpec, score: CityScore) -> tuple[Decimal, ...]:
    """C_t, then the group percents in tie-break order (2019: S_pa, S_ict, S_add); missing sorts last."""
    def comparable(value: Decimal | None) -> Decimal:
        return Decimal(-1) if value is None else value.quantize(NOISE_QUANTUM, ROUND_HALF_UP)

    order = sorted(standard.groups, key=lambda g: g.tiebreak_rank)
    return (comparable(score.total_percent),
            *(comparable(score.groups[g.code].percent) for g in order))


def rank_cities(standard: StandardSpec, scores: Mapping[str, CityScore],
                names: Mapping[str, str]) -> list[tuple[int, str]]:
    """(rank, city key) best first. Equal on every key: equal rank, the next rank skips (1, 2, 2, 4)."""
    keyed = {city: _rank_key(standard, score) for city, score in scores.items()}
    ordered = sorted(keyed, key=lambda c: names.get(c, c).casefold())
    ordered.sort(key=lambda c: keyed[c], reverse=True)
    ranked: list[tuple[int, str]] = []
    for position, city in enumerate(ordered, start=1):
        if ranked and keyed[city] == keyed[ranked[-1][1]]:
            ranked.append((ranked[-1][0], city))
        else:
            ranked.append((position, city))
    return ranked
