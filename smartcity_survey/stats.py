"""Perceived scores from survey answers (reference-standard.md, "Perceived scores").

Respondent area scores, (weighted) means with 95 % intervals and suppression, the perceived groups
and total through the same scoring engine as the official score, the gap to the official score per
area, indicator checks and the rank correlation between official and perceived levels.

Pure: pandas + numpy, no Flask, no database. Weights come from stats_weights. Everything is
vectorised (group codes + numpy.bincount), so a million respondents take seconds, not minutes.

Decisions the specification leaves open (also in the README):
- A rating r in 1..5 maps to (r - 1) * 25. Missing or non-numeric answers ("dk", "", None, NaN) are
  "don't know / skipped" and left out; any other number is invalid input (ValueError), never dropped.
- n = respondents with a score in the area (at least one rated item there) and a positive weight.
  It counts respondents, never items: callers pass one score per respondent per group, which
  respondent_area_scores guarantees.
- Weighted: mean = Σwx/Σw; Kish n_eff = (Σw)²/Σw²; s_w² = Σw(x-mean)²/Σw · n_eff/(n_eff-1),
  computed as Σw(x-mean)² / (Σw - Σw²/Σw), the same number, which with every w = 1 is literally
  Σ(x-mean)²/(n-1) with n_eff = n: the unweighted case is the plain mean ± 1.96·s/√n. The interval
  is mean ± 1.96·s_w/√n_eff, clipped to [0, 100]. Two passes (mean, then squared deviations) avoid
  the cancellation of Σwx² - (Σwx)²/Σw.
- Suppression compares n, the respondents, with min_n (default 30): the rule is about how many
  people answered; n_eff is reported beside it so a reader sees what weighting costs in precision.
  min_n must be at least 2, so every figure shown has an interval.
- In a weighted set a respondent with a missing or zero weight is left out (not counted in n); a
  negative weight is an error.
- A suppressed figure has percent and interval NaN (null once serialised, shown as TOO_FEW); n and
  n_eff stay, since they explain the suppression.
- Perceived groups, points, C_t and level follow steps 3-5 unchanged: an area without a perceived
  percent (too few responses, no responses, not asked, or n/a on the official side) leaves its
  group's average, as an area without an S does; PerceivedScore.left_out says which and why.
- Their n: the respondents with a score in at least one area the figure averages (each once).
- Their 95 % interval is conservative: the group's standard error is taken as the mean of its
  areas' standard errors, which is the largest it can be whatever the correlation between a
  respondent's areas (sd of a sum <= sum of sds); the exact value would need every respondent's
  cross-area products, and the report reads per-area sums. The level's interval is built the same
  way from the groups'; C_t's interval is the C_t earned at the ends of the group intervals (C_t
  never decreases when a group percent rises).
- Gap = official - perceived, rounded to 9 decimals before the comparison with the threshold ("at
  least 10 points" is >=), so float noise cannot move the boundary (as in scoring.whole_percent).
- Spearman's rho: None with fewer than 3 cities (two points always give ±1, which says nothing) or
  when either side is constant (rho undefined). Ties get average ranks.
- Indicator check: a rating of 4-5, or "yes" (1) to a yes/no question, is positive. A respondent's
  positive share over the questions mapped to the indicator counts once, like an area score, so
  the check carries the same n, n_eff, interval and suppression as any perceived figure.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from smartcity_survey.scoring import CityScore, StandardSpec, score_from_area_percents, total_percent

MIN_N = 30
Z_95 = 1.96
GAP_THRESHOLD = 10.0
#: decimals the gap is rounded to before the threshold comparison (see module doc)
GAP_DECIMALS = 9
TOO_FEW = "too few responses"
NO_RESPONSES = "no responses"
NOT_APPLICABLE = "not applicable"
LAGS, EXCEEDS, CONSISTENT = "perception_lags", "perception_exceeds", "consistent"
FIGURE_COLUMNS = ["percent", "n", "n_eff", "ci_low", "ci_high", "se", "suppressed"]

Number = float | Decimal | int


# Answers -> respondent scores ----------------------------------------------------------------------

def _numeric(values: pd.Series) -> np.ndarray:
    """Numbers as floats; anything non-numeric (don't know, skipped) as NaN."""
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _is_rating(values: np.ndarray) -> np.ndarray:
    return (values >= 1) & (values <= 5) & (values == np.floor(values))


def rating_to_percent(values: pd.Series) -> pd.Series:
    """(answer - 1) * 25 for ratings 1-5; don't know / skipped -> NaN; other numbers -> ValueError."""
    numbers = _numeric(values)
    invalid = ~np.isnan(numbers) & ~_is_rating(numbers)
    if invalid.any():
        raise ValueError(f"a rating must be 1-5, not {numbers[invalid][0]!r}")
    return pd.Series((numbers - 1) * 25, index=values.index, name="score")


def respondent_area_scores(answers: pd.DataFrame, carry: Sequence[str] = ()) -> pd.DataFrame:
    """One score per respondent and area: the mean of their mapped items there.

    answers: response_id, area, value (one row per item answered) and the respondent-level columns
    named in carry (e.g. city, audience), which are passed through. Returns response_id, *carry,
    area, score, sorted by response and area; a respondent with only don't-know answers in an area
    gets no row there. An area column of categorical dtype skips hashing strings (faster).
    """
    score = rating_to_percent(answers["value"]).to_numpy()
    known = ~np.isnan(score) & answers[["response_id", "area"]].notna().all(axis=1).to_numpy()
    rows = answers[["response_id", "area", *carry]]
    if not known.all():
        rows, score = rows.loc[known], score[known]
    codes, result = _group_codes(rows[["response_id", "area"]])
    result["score"] = np.bincount(codes, weights=score) / np.bincount(codes)  # every group has a row
    if carry:  # constant per respondent, so any row of the group will do: whichever write wins
        row_of_group = np.empty(len(result), dtype=np.int64)
        row_of_group[codes] = np.arange(len(codes))
        for position, column in enumerate(carry, start=1):
            result.insert(position, column, rows[column].take(row_of_group).array)  # keeps the dtype
    return result


# Respondent scores -> figures ----------------------------------------------------------------------

def perceived_area_figures(scores: pd.DataFrame, weights: pd.Series | None = None, *,
                           by: Sequence[str] = ("city", "area"), min_n: int = MIN_N) -> pd.DataFrame:
    """Perceived percent per group of `by` with n, n_eff, 95 % interval and suppression.

    scores: response_id, the `by` columns and score (0-100), one row per respondent per group.
    weights: indexed by response_id, or None for unweighted. Use by=("city", "audience", "area")
    for residents and businesses separately, ("city", "area") for both together.
    Returns *by, percent, n, n_eff, ci_low, ci_high, suppressed (see the module doc for the rules).
    """
    if min_n < 2:
        raise ValueError("min_n must be at least 2 so that every figure shown has an interval")
    by = list(by)
    x = scores["score"].to_numpy(dtype=float, na_value=np.nan)
    if weights is None:
        w = np.ones(len(scores))
    else:
        w = scores["response_id"].map(weights).to_numpy(dtype=float, na_value=np.nan)
        if (w < 0).any():
            raise ValueError("a weight is negative")
    keep = (w > 0) & ~np.isnan(x) & scores[by].notna().all(axis=1).to_numpy()
    keys = scores[by] if keep.all() else scores.loc[keep, by]  # skip a copy in the common case
    codes, figures = _group_codes(keys)
    figures["n"] = np.bincount(codes, minlength=len(figures))
    sums = _weighted_sums(codes, x[keep], w[keep], len(figures))
    return _figures(figures, *sums, min_n=min_n)


def figures_from_moments(moments: pd.DataFrame, *, min_n: int = MIN_N) -> pd.DataFrame:
    """The same figures from per-group sums computed elsewhere (in SQL, over a million responses).

    moments: key columns plus n, sum_w, sum_ww, sum_wx, sum_wxx over the group's respondents (w = 1
    for unweighted). Σw(x - mean)² = Σwx² - Σw·mean² here, one pass; with scores in 0-100 the
    cancellation costs far less than the figures' printed precision (tested against the two-pass path).
    """
    if min_n < 2:
        raise ValueError("min_n must be at least 2 so that every figure shown has an interval")
    sums = ["n", "sum_w", "sum_ww", "sum_wx", "sum_wxx"]
    figures = moments[[c for c in moments.columns if c not in sums] + ["n"]].reset_index(drop=True)
    sw = moments["sum_w"].to_numpy(dtype=float)
    mean = moments["sum_wx"].to_numpy(dtype=float) / sw
    ss = np.maximum(moments["sum_wxx"].to_numpy(dtype=float) - sw * mean * mean, 0.0)
    return _figures(figures, sw, moments["sum_ww"].to_numpy(dtype=float), mean, ss, min_n=min_n)


def _group_codes(keys: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """Group number per row and the groups' key values, in sorted key order (groupby().ngroup()).

    keys must have no missing value (callers drop those rows first).

    Why not groupby: with few combinations (cities x areas) a mixed-radix number built from each
    column's factorize codes needs no hashing of row tuples, which halves the time on 12M rows.
    """
    combined = np.zeros(len(keys), dtype=np.int64)
    levels, size = [], 1
    for column in keys.columns:
        codes, uniques = _codes(keys[column])
        combined = combined * len(uniques) + codes
        levels.append(uniques)
        size *= len(uniques)
    if size > max(len(keys), 1 << 16):  # many sparse combinations: let pandas hash them
        grouped = keys.groupby(list(keys.columns), sort=True, observed=True)
        return grouped.ngroup().to_numpy(), grouped.size().index.to_frame(index=False)
    present = np.flatnonzero(np.bincount(combined, minlength=size))
    dense = np.zeros(size, dtype=np.int64)
    dense[present] = np.arange(len(present))
    values, rest = {}, present
    for column, uniques in zip(reversed(keys.columns), reversed(levels)):
        rest, position = np.divmod(rest, len(uniques))
        values[column] = uniques.take(position)
    return dense[combined], pd.DataFrame({column: values[column] for column in keys.columns})


def _codes(column: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Sorted codes and their values; a categorical column already has them (category order)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy().astype(np.int64), pd.CategoricalIndex(
            column.cat.categories, dtype=column.dtype)
    return pd.factorize(column, sort=True)


def _weighted_sums(codes: np.ndarray, x: np.ndarray, w: np.ndarray, groups: int):
    """Σw, Σw², the weighted mean and Σw(x - mean)² per group, in two passes (no cancellation)."""
    sw = np.bincount(codes, weights=w, minlength=groups)
    sww = np.bincount(codes, weights=w * w, minlength=groups)
    mean = np.bincount(codes, weights=w * x, minlength=groups) / sw  # sw > 0: zero weights were dropped
    deviation = x - mean[codes]
    ss = np.bincount(codes, weights=w * deviation * deviation, minlength=groups)
    return sw, sww, mean, ss


def _figures(figures: pd.DataFrame, sw, sww, mean, ss, *, min_n: int) -> pd.DataFrame:
    n_eff = sw * sw / sww
    denominator = sw - sww / sw  # = Σw (n_eff - 1)/n_eff; n - 1 exactly when unweighted
    with np.errstate(divide="ignore", invalid="ignore"):  # one respondent: no variance, suppressed anyway
        variance = np.where(denominator > 0, ss / denominator, np.nan)
        half = Z_95 * np.sqrt(variance / n_eff)
    suppressed = figures["n"].to_numpy() < min_n
    shown = np.where(suppressed, np.nan, 1.0)  # NaN * anything stays NaN: never a number when suppressed
    figures["percent"] = mean * shown
    figures["n_eff"] = n_eff
    figures["ci_low"] = np.clip(mean - half, 0, 100) * shown
    figures["ci_high"] = np.clip(mean + half, 0, 100) * shown
    figures["se"] = half / Z_95 * shown  # the standard error, for the group intervals
    figures["suppressed"] = suppressed
    return figures[[c for c in figures.columns if c not in FIGURE_COLUMNS] + FIGURE_COLUMNS]


# Figures -> perceived score ------------------------------------------------------------------------

@dataclass(frozen=True)
class Interval:
    """A perceived group, level or C_t figure's respondent count and 95 % interval."""

    n: int | None  # None when the caller gave no respondent counts
    low: float
    high: float


@dataclass
class PerceivedScore:
    score: CityScore
    #: group -> {area: reason} for its areas without a percent (TOO_FEW, NO_RESPONSES, NOT_APPLICABLE)
    left_out: dict[str, dict[str, str]]
    groups: dict[str, Interval]  # for the groups that have a percent
    level: Interval | None
    total: Interval | None  # C_t %


def perceived_city_score(standard: StandardSpec, figures: pd.DataFrame, not_applicable: Iterable[str] = (),
                         respondents: Mapping[frozenset, int] | None = None) -> PerceivedScore:
    """Steps 3-5 on one city's (and one audience's) perceived area figures, via the scoring engine.

    figures: area, percent, se, suppressed (as perceived_area_figures returns them, area for code).
    respondents: how many respondents have a score in exactly each combination of areas (after the
    weighting's exclusions), for the groups' n; None leaves n unknown.
    """
    rows = figures.set_index("area")
    if rows.index.duplicated().any():
        raise ValueError("one row per area expected: pass one city and one audience at a time")
    not_applicable = set(not_applicable)
    percents: dict[str, Decimal | None] = {}
    unreportable: dict[str, str] = {}
    errors: dict[str, float] = {}
    for area in standard.area_groups:
        percents[area] = None
        if area in not_applicable:
            continue
        if area not in rows.index:
            unreportable[area] = NO_RESPONSES
        elif rows.at[area, "suppressed"]:
            unreportable[area] = TOO_FEW
        else:  # repr keeps the float's shortest exact digits; float() because numpy's repr differs
            percents[area] = Decimal(repr(float(rows.at[area, "percent"])))
            errors[area] = float(rows.at[area, "se"])
    score = score_from_area_percents(standard, percents)
    reasons = {**{area: NOT_APPLICABLE for area in not_applicable}, **unreportable}
    left_out = {group.code: {area: reasons[area] for area in standard.areas_of(group.code) if area in reasons}
                for group in standard.groups}
    count = (lambda areas: _respondents_in(respondents, areas)) if respondents is not None else (lambda _areas: None)
    group_errors = {code: float(np.mean([errors[a] for a in group.areas_counted]))
                    for code, group in score.groups.items() if group.percent is not None}
    groups = {code: _interval(score.groups[code].percent, error, count(score.groups[code].areas_counted))
              for code, error in group_errors.items()}
    level = total = None
    if groups:
        every_area = [a for code in groups for a in score.groups[code].areas_counted]
        level = _interval(score.level_percent, float(np.mean(list(group_errors.values()))), count(every_area))
        total = Interval(level.n, _total_at(standard, {code: i.low for code, i in groups.items()}),
                         _total_at(standard, {code: i.high for code, i in groups.items()}))
    return PerceivedScore(score, left_out, groups, level, total)


def _interval(percent: Decimal, error: float, n: int | None) -> Interval:
    """percent ± 1.96 · error, clipped to [0, 100] (NaN when an area had no standard error)."""
    middle, half = float(percent), Z_95 * error
    return Interval(n, float(np.clip(middle - half, 0, 100)), float(np.clip(middle + half, 0, 100)))


def _total_at(standard: StandardSpec, group_percents: dict[str, float]) -> float:
    if any(np.isnan(value) for value in group_percents.values()):
        return np.nan
    return float(total_percent(standard, {code: Decimal(repr(value)) for code, value in group_percents.items()}))


def _respondents_in(combinations: Mapping[frozenset, int], areas: Iterable[str]) -> int:
    """Respondents with a score in at least one of `areas`, each counted once."""
    areas = set(areas)
    return sum(count for combination, count in combinations.items() if areas & combination)


# Comparisons ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Gap:
    official: float | None
    perceived: float | None  # None when missing or suppressed
    gap: float | None  # official - perceived
    flag: str | None  # LAGS | EXCEEDS | CONSISTENT; None when either side is missing


def _float(value: Number | None) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if np.isnan(number) else number


def area_gaps(official: Mapping[str, Number | None], figures: pd.DataFrame,
              threshold: float = GAP_THRESHOLD) -> dict[str, Gap]:
    """Official - perceived per area of one city, flagged against the interval and the threshold."""
    rows = figures.set_index("area")
    if rows.index.duplicated().any():
        raise ValueError("one row per area expected: pass one city and one audience at a time")
    areas = list(official) + [area for area in rows.index if area not in official]
    return {area: _gap(_float(official.get(area)), rows.loc[area] if area in rows.index else None,
                       threshold) for area in areas}


def _gap(official: float | None, row: pd.Series | None, threshold: float) -> Gap:
    perceived = None if row is None or row["suppressed"] else _float(row["percent"])
    if official is None or perceived is None:
        return Gap(official, perceived, None, None)
    gap = round(official - perceived, GAP_DECIMALS)
    if official > row["ci_high"] and gap >= threshold:
        flag = LAGS
    elif official < row["ci_low"] and gap <= -threshold:
        flag = EXCEEDS
    else:
        flag = CONSISTENT
    return Gap(official, perceived, gap, flag)


def indicator_check(official: Mapping[str, Number | None], answers: pd.DataFrame,
                    weights: pd.Series | None = None, *, min_n: int = MIN_N) -> pd.DataFrame:
    """The official claim per indicator next to the share of its users who rate it well.

    answers (one city): response_id, indicator, kind ("rating" | "yes_no"), value (1-5 or 1/0),
    and optionally used (only rows with used == True count: respondents who used the service).
    Returns indicator, official, share (percent rating 4-5 or answering yes), n, n_eff, ci_low,
    ci_high, suppressed; indicators with an official value and no answers have n = 0.
    """
    if "used" in answers.columns:
        answers = answers[answers["used"].eq(True).to_numpy()]
    scores = answers[["response_id", "indicator"]].assign(score=_positive(answers))
    scores = scores[scores["score"].notna()]
    scores = scores.groupby(["response_id", "indicator"], sort=False)["score"].mean().reset_index()
    figures = perceived_area_figures(scores, weights, by=("indicator",), min_n=min_n)
    codes = list(official) + [code for code in figures["indicator"] if code not in official]
    result = figures.set_index("indicator").reindex(codes).rename(columns={"percent": "share"})
    result["n"] = result["n"].fillna(0).astype(int)
    result["n_eff"] = result["n_eff"].fillna(0.0)
    result["suppressed"] = result["n"] < min_n
    result.insert(0, "official", [_float(official.get(code)) for code in codes])
    return result.rename_axis("indicator").reset_index()


def _positive(answers: pd.DataFrame) -> np.ndarray:
    """100 for a rating of 4-5 or a yes, 0 for other answers, NaN for don't know / skipped."""
    values = _numeric(answers["value"])
    kind = answers["kind"].to_numpy()
    rating, yes_no = kind == "rating", kind == "yes_no"
    if not (rating | yes_no).all():
        raise ValueError("an indicator question must be of kind 'rating' or 'yes_no'")
    valid = np.where(rating, _is_rating(values), (values == 0) | (values == 1))
    known = ~np.isnan(values)
    if (known & ~valid).any():
        raise ValueError("a rating must be 1-5 and a yes/no answer 1 or 0")
    positive = np.where(rating, values >= 4, values == 1) * 100.0
    return np.where(known, positive, np.nan)


def spearman(pairs: Iterable[tuple[Number | None, Number | None]]) -> float | None:
    """Spearman's rho over (official, perceived) pairs that have both; average ranks for ties."""
    both = [(a, b) for a, b in ((_float(x), _float(y)) for x, y in pairs) if a is not None and b is not None]
    if len(both) < 3:
        return None
    ranks = pd.DataFrame(both).rank(method="average").to_numpy()
    dx, dy = (ranks - ranks.mean(axis=0)).T
    denominator = float(np.sqrt((dx * dx).sum() * (dy * dy).sum()))
    return None if denominator == 0 else float((dx * dy).sum() / denominator)
