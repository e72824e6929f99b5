"""Survey weights for perceived scores: imported, raked to population margins, or none.

Pure: pandas + numpy, no Flask, no database. Used by stats.perceived_area_figures, which takes the
weights as a Series indexed by response_id.

Decisions (reference-standard.md leaves them open; also in the README):
- Which weights, per city: if any response of the city carries an imported weight, the city is
  weighted by the imported weights ("imported"); responses whose weight is missing or zero are then
  left out of the weighted figures and counted in Weighting.unweighted. Otherwise, when margins are
  loaded for the city, raking weights ("raked"). Otherwise none ("none"). One method per city, so a
  report never mixes two weighting schemes in one mean.
- Margins (CSV city,variable,category,share, one city's rows at a time here): a variable's shares
  must sum to 1 ± 0.01 (ValueError naming the variable) and are then scaled to sum exactly 1.
  Categories are compared as text, so a respondent's 1 matches a margin's "1".
- A respondent whose category for a variable is missing, or not among that variable's margin
  categories, keeps their weight in that variable's adjustment: the variable's shares are matched
  among respondents who have a known category. (Making "missing" its own category would need a
  population share for it, which census margins do not have.) Counts are in RakingReport.unmatched.
- A margin category with no respondents cannot be matched: it is dropped, the variable's other
  shares are re-normalised to 1, and it is listed in RakingReport.empty_categories.
- Cap: after every sweep over the variables, weights above cap x the mean weight are trimmed to it
  and the others re-scaled so the mean stays 1, repeated until no weight exceeds the cap. The cap
  is always honoured, at the cost of the margins if need be (then converged is False).
- Convergence: the largest absolute difference between a weighted share and its target, over all
  variables and categories, measured after trimming, is at most tol.
- Raking weights are returned with mean 1 over the respondents. Imported weights are kept as they
  are: every figure is invariant to the scale of the weights.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

#: how far a variable's margin shares may sum from 1 before the margins are rejected
SHARE_TOLERANCE = 0.01


@dataclass(frozen=True)
class RakingReport:
    converged: bool
    iterations: int  # full sweeps over the variables
    max_deviation: float  # largest |weighted share - target| after the last sweep
    capped: int  # respondents whose final weight sits at the cap
    empty_categories: tuple[tuple[str, str], ...] = ()  # (variable, category) with no respondent
    unmatched: dict[str, int] = field(default_factory=dict)  # variable -> respondents left as they were


@dataclass(frozen=True)
class Weighting:
    method: str  # none | imported | raked
    weights: pd.Series | None  # indexed by response_id; None when unweighted
    raking: RakingReport | None = None
    unweighted: int = 0  # imported method: responses left out for a missing or zero weight


@dataclass
class _Variable:
    """One raked variable, prepared once: who has a known category, which one, and its target."""

    name: str
    rows: np.ndarray  # positions of respondents with a known category
    codes: np.ndarray  # their category index into target
    target: np.ndarray  # shares of the categories that have respondents, summing to 1


def normalise_margins(margins: pd.DataFrame) -> dict[str, pd.Series]:
    """Shares per variable (indexed by category as text), checked to sum to 1 ± 0.01, scaled to 1."""
    result: dict[str, pd.Series] = {}
    for variable, rows in margins.groupby("variable", sort=False):
        shares = pd.Series(pd.to_numeric(rows["share"]).to_numpy(dtype=float),
                           index=rows["category"].astype(str).to_numpy())
        if shares.index.duplicated().any():
            raise ValueError(f"margins for {variable!r} list a category twice")
        if not np.isfinite(shares).all() or (shares < 0).any():
            raise ValueError(f"margins for {variable!r} need shares between 0 and 1")
        total = float(shares.sum())
        if abs(total - 1) > SHARE_TOLERANCE:
            raise ValueError(f"margins for {variable!r} sum to {total:.4f}, not 1 (± {SHARE_TOLERANCE})")
        result[str(variable)] = shares / total
    return result


def rake(respondents: pd.DataFrame, margins: pd.DataFrame, *, cap: float = 5.0,
         max_iter: int = 100, tol: float = 1e-6) -> tuple[pd.Series, RakingReport]:
    """Iterative proportional fitting of weights to the margins (see the module doc for the rules).

    respondents: one row per response, a response_id column and one column per margin variable.
    Returns weights indexed by response_id (mean 1) and a report on convergence.
    """
    if cap <= 1:
        raise ValueError("the cap is a multiple of the mean weight and must be above 1")
    if respondents.empty:
        raise ValueError("no respondents to rake")
    variables, empty, unmatched = _prepare(respondents, normalise_margins(margins))
    weights = np.ones(len(respondents))
    deviation, iterations, capped = _deviation(weights, variables), 0, 0
    while deviation > tol and iterations < max_iter:
        iterations += 1
        for variable in variables:
            _adjust(weights, variable)
        weights, capped = _trim(weights, cap)
        deviation = _deviation(weights, variables)
    report = RakingReport(deviation <= tol, iterations, deviation, capped, tuple(empty), unmatched)
    return pd.Series(weights, index=respondents["response_id"].to_numpy(), name="weight"), report


def weights_for_city(respondents: pd.DataFrame, margins: pd.DataFrame | None = None,
                     **raking: float) -> Weighting:
    """Imported weights if any response has one, else raking to the city's margins, else none.

    respondents: response_id, an optional `weight` column (imported) and the margin variables.
    """
    imported = respondents["weight"] if "weight" in respondents.columns else None
    if imported is not None and imported.notna().any():
        values = pd.to_numeric(imported).to_numpy(dtype=float, na_value=np.nan)
        if (values < 0).any():
            raise ValueError("an imported weight is negative")
        usable = values > 0  # NaN compares False: missing weights are left out too
        series = pd.Series(values, index=respondents["response_id"].to_numpy(), name="weight")
        return Weighting("imported", series, unweighted=int((~usable).sum()))
    if margins is not None and not margins.empty:
        weights, report = rake(respondents, margins, **raking)
        return Weighting("raked", weights, report)
    return Weighting("none", None)


def _prepare(respondents: pd.DataFrame, targets: dict[str, pd.Series]):
    """Category codes per variable; margin categories nobody is in are dropped and reported."""
    if respondents["response_id"].duplicated().any():
        raise ValueError("a response_id appears twice among the respondents")
    variables: list[_Variable] = []
    empty: list[tuple[str, str]] = []
    unmatched: dict[str, int] = {}
    for name, shares in targets.items():
        if name not in respondents.columns:
            raise ValueError(f"respondents have no {name!r} column for the margins")
        text = respondents[name].astype("string")  # NA stays NA; compared as text (see module doc)
        # -1 for NA and for categories the margins lack (pandas 3 deprecates Categorical doing this)
        codes = pd.Index(list(shares.index)).get_indexer(text).astype(np.int64)
        present = np.bincount(codes[codes >= 0], minlength=len(shares)) > 0
        empty += [(name, str(category)) for category in shares.index[~present]]
        # renumber the categories that have respondents; unknown (-1) stays -1
        renumber = np.full(len(shares), -1)
        renumber[present] = np.arange(present.sum())
        codes = np.where(codes >= 0, renumber[codes], -1)
        unmatched[name] = int((codes < 0).sum())
        kept = shares.to_numpy()[present]
        if kept.sum() <= 0:  # nobody in a category with a positive share: nothing to rake to
            continue
        rows = np.flatnonzero(codes >= 0)
        variables.append(_Variable(name, rows, codes[rows], kept / kept.sum()))
    return variables, empty, unmatched


def _weighted_shares(weights: np.ndarray, variable: _Variable) -> tuple[np.ndarray, float]:
    totals = np.bincount(variable.codes, weights=weights[variable.rows], minlength=len(variable.target))
    return totals, float(totals.sum())


def _adjust(weights: np.ndarray, variable: _Variable) -> None:
    """One raking step: scale each category so its weighted share equals the target (in place)."""
    totals, overall = _weighted_shares(weights, variable)
    # a category whose weights all fell to 0 (a zero-share margin) stays at 0 rather than 0/0
    factor = np.divide(variable.target * overall, totals, out=np.zeros_like(totals), where=totals > 0)
    weights[variable.rows] *= factor[variable.codes]


def _deviation(weights: np.ndarray, variables: list[_Variable]) -> float:
    worst = 0.0
    for variable in variables:
        totals, overall = _weighted_shares(weights, variable)
        if overall > 0:
            worst = max(worst, float(np.abs(totals / overall - variable.target).max()))
    return worst


def _trim(weights: np.ndarray, cap: float) -> tuple[np.ndarray, int]:
    """Mean-1 weights with none above cap: trim, re-scale the rest, until nothing new exceeds.

    Each pass caps the weights that exceed after re-scaling; the set only grows and the scale of the
    free weights only rises, so this ends (it cannot cap everyone: the free mean stays below 1).
    """
    n = len(weights)
    capped = np.zeros(n, dtype=bool)
    while True:
        free = float(weights[~capped].sum())
        if free <= 0:
            raise ValueError("raking left no respondent with a positive weight")
        scale = (n - cap * capped.sum()) / free
        newly = ~capped & (weights * scale > cap)
        if not newly.any():
            return np.where(capped, cap, weights * scale), int(capped.sum())
        capped |= newly
