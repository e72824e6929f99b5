"""Official vs perceived: the report of a year, every city, both audiences.

The heavy lifting is one grouped SQL scan of response_measures per audience and kind (sums per city and
code), turned into figures by the pure stats module; only cities with population margins (raking)
read their respondents one by one. The official side is services.rating's verified rating.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from sqlalchemy import bindparam, select, text

from .. import stats
from ..extensions import db
from ..models import City, PopulationMargin, Question, Questionnaire
from ..models.perceived import AREA, INDICATOR
from ..serializers import number, ranked_city_dict
from ..stats_weights import weights_for_city
from .rating import get_assessment, official_rating

AUDIENCES = ("resident", "business")
#: residents and businesses together (reference-standard.md: "reported separately and together");
#: weighted only by imported weights, and only when every response carries one: the two audiences are
#: raked to different populations, and one audience's weights must not push the other's responses out
COMBINED = "combined"
NOT_ASKED = "not asked"

_MOMENTS_SQL = """
SELECT city_id, code, COUNT(*) AS n, SUM(value) AS s1, SUM(value * value) AS s2,
       SUM(CASE WHEN weight IS NULL THEN 1 ELSE 0 END) AS nu,
       SUM(CASE WHEN weight > 0 THEN 1 ELSE 0 END) AS nw,
       SUM(CASE WHEN weight > 0 THEN weight ELSE 0 END) AS sw,
       SUM(CASE WHEN weight > 0 THEN weight * weight ELSE 0 END) AS sww,
       SUM(CASE WHEN weight > 0 THEN weight * value ELSE 0 END) AS swx,
       SUM(CASE WHEN weight > 0 THEN weight * value * value ELSE 0 END) AS swxx
FROM response_measures
WHERE year = :year AND kind = :kind {audience_clause}
GROUP BY city_id, code
"""

#: how many respondents have a score in exactly each combination of areas (a bit per area), per city
#: and audience, split by whether their imported weight counts: the n of a perceived group is the
#: respondents of its areas. City and audience are the same on every row of a response (MAX picks it);
#: grouping by response alone follows ix_response_measures_respondents without a sort.
_COMBINATIONS_SQL = """
SELECT city_id, audience, areas, weighted, COUNT(*) AS respondents FROM (
    SELECT response_id, MAX(city_id) AS city_id, MAX(audience) AS audience, SUM({bits}) AS areas,
           MAX(CASE WHEN weight > 0 THEN 1 ELSE 0 END) AS weighted
    FROM response_measures
    WHERE year = :year AND kind = :kind
    GROUP BY response_id) AS per_response
GROUP BY city_id, audience, areas, weighted
"""


@dataclass(frozen=True)
class ReportSettings:
    min_n: int = stats.MIN_N
    gap_threshold: float = stats.GAP_THRESHOLD
    raking_cap: float = 5.0


@dataclass
class AudienceFigures:
    """One audience's figures for every city: {city id: DataFrame[area|indicator, figures...]}."""

    areas: dict[int, pd.DataFrame]
    indicators: dict[int, pd.DataFrame]
    weighting: dict[int, str]
    raking: dict[int, dict]
    #: {city id: {frozenset of areas: respondents with a score in exactly those}}, for groups' n
    respondents: dict[int, dict[frozenset, int]]
    #: {city id: respondents left out of its imported-weight figures for carrying no weight}: said on the
    #: report, since a web answer in such a city is otherwise not counted without a word
    unweighted_left_out: dict[int, int]


# Figures -------------------------------------------------------------------------------------------

def _moments(year: int, audience: str, kind: str) -> pd.DataFrame:
    clause = "" if audience == COMBINED else "AND audience = :audience"
    rows = db.session.execute(text(_MOMENTS_SQL.format(audience_clause=clause)),
                              {"year": year, "audience": audience, "kind": kind}).all()
    columns = ["city_id", "code", "n", "s1", "s2", "nu", "nw", "sw", "sww", "swx", "swxx"]
    return pd.DataFrame(rows, columns=columns).astype({c: float for c in columns[2:]})


def _figures_for(moments: pd.DataFrame, weighted: bool, scale: float, settings: ReportSettings) -> pd.DataFrame:
    """Unweighted sums (w = 1) or the imported-weight sums, as stats.figures_from_moments wants them."""
    if weighted:
        sums = moments.assign(n=moments["nw"], sum_w=moments["sw"], sum_ww=moments["sww"],
                              sum_wx=moments["swx"] * scale, sum_wxx=moments["swxx"] * scale * scale)
        sums = sums[sums["n"] > 0]
    else:
        sums = moments.assign(sum_w=moments["n"], sum_ww=moments["n"], sum_wx=moments["s1"] * scale,
                              sum_wxx=moments["s2"] * scale * scale)
    keep = ["code", "n", "sum_w", "sum_ww", "sum_wx", "sum_wxx"]
    return stats.figures_from_moments(sums[keep], min_n=settings.min_n)


def area_combinations(year: int, areas: list[str]) -> pd.DataFrame:
    """city_id, audience, areas (a bit per entry of `areas`), weighted (0/1), respondents."""
    bits = "CASE code " + " ".join(f"WHEN :area{i} THEN {1 << i}" for i in range(len(areas))) + " ELSE 0 END"
    rows = db.session.execute(text(_COMBINATIONS_SQL.format(bits=bits)),
                              {"year": year, "kind": AREA, **{f"area{i}": area for i, area in enumerate(areas)}}).all()
    return pd.DataFrame(rows, columns=["city_id", "audience", "areas", "weighted", "respondents"])


def _respondents_by_combination(combinations: pd.DataFrame, areas: list[str], weighted: bool) -> dict[frozenset, int]:
    rows = combinations[combinations["weighted"] == 1] if weighted else combinations
    counts: dict[frozenset, int] = {}
    for mask, respondents in zip(rows["areas"], rows["respondents"]):
        key = frozenset(area for i, area in enumerate(areas) if int(mask) >> i & 1)
        counts[key] = counts.get(key, 0) + int(respondents)
    return counts


def audience_figures(year: int, audience: str, settings: ReportSettings, combinations: pd.DataFrame,
                     areas: list[str]) -> AudienceFigures:
    """Area and indicator figures per city, weighted as each city's data allows (imported > raked > none).
    combinations: area_combinations(year, areas), for the respondent counts of the standard's groups."""
    area_moments, indicator_moments = _moments(year, audience, AREA), _moments(year, audience, INDICATOR)
    if audience != COMBINED:
        combinations = combinations[combinations["audience"] == audience]
    margins = {} if audience == COMBINED else _margins(_question_names(year, audience))
    result = AudienceFigures({}, {}, {}, {}, {}, {})
    for city_id, city_areas in area_moments.groupby("city_id"):
        city_indicators = indicator_moments[indicator_moments["city_id"] == city_id]
        unweighted_responses = audience == COMBINED and city_areas["nu"].sum() > 0
        if city_areas["nw"].sum() > 0 and not unweighted_responses:
            method = "imported"
        elif city_id in margins:
            method = "raked"
        else:
            method = "none"
        result.weighting[city_id] = method
        if method == "raked":
            weights, report = _raking_weights(year, audience, city_id, margins[city_id], settings)
            result.raking[city_id] = report
            result.areas[city_id], result.respondents[city_id] = _raked_area_figures(
                year, audience, city_id, weights, settings)
            result.indicators[city_id] = _respondent_figures(year, audience, city_id, INDICATOR, weights, settings)
        else:
            weighted = method == "imported"
            city_combinations = combinations[combinations["city_id"] == city_id]
            result.areas[city_id] = _figures_for(city_areas, weighted, 1.0, settings)
            result.indicators[city_id] = _figures_for(city_indicators, weighted, 100.0, settings)
            result.respondents[city_id] = _respondents_by_combination(city_combinations, areas, weighted)
            if weighted:
                result.unweighted_left_out[city_id] = int(
                    city_combinations.loc[city_combinations["weighted"] == 0, "respondents"].sum())
    return result


def _question_names(year: int, audience: str) -> set[str]:
    return set(db.session.scalars(select(Question.name).join(Questionnaire).where(
        Questionnaire.year == year, Questionnaire.audience == audience)))


def _margins(asked: set[str]) -> dict[int, pd.DataFrame]:
    """Margins per city, for the variables this audience was asked about (residents' age band and
    gender say nothing about how to weight businesses)."""
    rows = db.session.execute(select(PopulationMargin.city_id, PopulationMargin.variable,
                                     PopulationMargin.category, PopulationMargin.share)
                              .where(PopulationMargin.variable.in_(asked or {""}))).all()
    frame = pd.DataFrame(rows, columns=["city_id", "variable", "category", "share"])
    return {city_id: group.drop(columns="city_id") for city_id, group in frame.groupby("city_id")}


def _raking_weights(year, audience, city_id, margins: pd.DataFrame, settings: ReportSettings):
    """Rake the city's respondents to its margins; the variables are demographic question names."""
    variables = sorted(margins["variable"].unique())
    query = text("""
        SELECT r.id, q.name, a.value_text FROM responses r
        JOIN questionnaires qn ON qn.id = r.questionnaire_id
        LEFT JOIN response_answers a ON a.response_id = r.id
        LEFT JOIN questions q ON q.id = a.question_id AND q.name IN :variables
        WHERE qn.year = :year AND qn.audience = :audience AND r.city_id = :city""").bindparams(
        bindparam("variables", expanding=True))
    rows = db.session.execute(query, {"variables": variables, "year": year, "audience": audience,
                                      "city": city_id}).all()
    frame = pd.DataFrame(rows, columns=["response_id", "variable", "value"])
    respondents = (frame.dropna(subset=["variable"]).pivot_table(index="response_id", columns="variable",
                                                                  values="value", aggfunc="first")
                   .reindex(frame["response_id"].unique()).reindex(columns=variables))
    respondents = respondents.rename_axis("response_id").reset_index()
    weighting = weights_for_city(respondents, margins, cap=settings.raking_cap)
    report = weighting.raking
    return weighting.weights, {"converged": report.converged, "iterations": report.iterations,
                               "max_deviation": report.max_deviation, "capped": report.capped}


def _respondent_figures(year, audience, city_id, kind, weights, settings: ReportSettings) -> pd.DataFrame:
    """Figures from the city's respondents one by one."""
    scores = _respondent_scores(year, audience, city_id, kind)
    return stats.perceived_area_figures(scores, weights, by=("code",), min_n=settings.min_n)


def _respondent_scores(year, audience, city_id, kind) -> pd.DataFrame:
    rows = db.session.execute(text(
        "SELECT response_id, code, value FROM response_measures "
        "WHERE year = :year AND audience = :audience AND kind = :kind AND city_id = :city"),
        {"year": year, "audience": audience, "kind": kind, "city": city_id}).all()
    scores = pd.DataFrame(rows, columns=["response_id", "code", "score"])
    if kind == INDICATOR:
        scores["score"] *= 100.0
    return scores


def _raked_area_figures(year, audience, city_id, weights, settings: ReportSettings):
    """The area figures of a raked city, and how many respondents (raking weight > 0) have a score in
    exactly each combination of areas."""
    scores = _respondent_scores(year, audience, city_id, AREA)
    figures = stats.perceived_area_figures(scores, weights, by=("code",), min_n=settings.min_n)
    counted = scores[scores["response_id"].map(weights).fillna(0).to_numpy() > 0]
    combinations = counted.groupby("response_id")["code"].agg(frozenset).value_counts()
    return figures, {key: int(count) for key, count in combinations.items()}


# The report ----------------------------------------------------------------------------------------

def asked_codes(year: int, audience: str) -> tuple[set[str], set[str]]:
    """Areas and indicators some rating (or yes/no) question of the year's questionnaires maps to."""
    query = select(Question.area_code, Question.indicator_code).join(Questionnaire).where(Questionnaire.year == year)
    if audience != COMBINED:
        query = query.where(Questionnaire.audience == audience)
    rows = db.session.execute(query).all()
    return {a for a, _ in rows if a}, {i for _, i in rows if i}


def build_report(year: int, settings: ReportSettings = ReportSettings()) -> dict | None:
    """The whole report of a year as plain data (the JSON API's shape), or None for an unknown year."""
    assessment = get_assessment(year)
    if assessment is None:
        return None
    rating = official_rating(year)
    spec = assessment.standard.to_spec()
    official = {entry.city.id: ranked_city_dict(entry) for entry in rating.cities}
    ranks = {entry.city.id: entry.rank for entry in rating.cities}
    claims = {entry.city.id: {item.code: item for area in entry.score.areas.values() for item in area.items}
              for entry in rating.cities}
    # the gaps compare the official percents themselves: the 4 decimals they are shown to could move a flag
    official_percents = {entry.city.id: {code: area.percent for code, area in entry.score.areas.items()}
                         for entry in rating.cities}
    areas = list(spec.area_groups)
    combinations = area_combinations(year, areas)
    figures = {audience: audience_figures(year, audience, settings, combinations, areas)
               for audience in (*AUDIENCES, COMBINED)}
    _suppress_complements(figures)
    asked = {audience: asked_codes(year, audience) for audience in (*AUDIENCES, COMBINED)}
    city_ids = set(official) | {cid for f in figures.values() for cid in f.areas}
    cities = {c.id: c for c in db.session.scalars(select(City).where(City.id.in_(list(city_ids))))}
    order = sorted(city_ids, key=lambda cid: (ranks.get(cid, 10**6), cities[cid].name_en))
    built = [_city_entry(cities[cid], official.get(cid), official_percents.get(cid), claims.get(cid, {}), figures,
                         asked, spec, settings) for cid in order]
    entries = [entry for entry, _level in built]
    # rho ranks the levels themselves, as the official rating does: at the 4 decimals they are shown to,
    # two different levels could tie
    official_levels = {entry.city.id: entry.score.level_percent for entry in rating.cities}
    pairs = [(float(official_levels[cid]), float(resident_level))
             for cid, (_entry, resident_level) in zip(order, built)
             if official_levels.get(cid) is not None and resident_level is not None]
    return {"year": year, "demo": assessment.is_demo, "min_n": settings.min_n,
            "gap_threshold": settings.gap_threshold, "cities": entries,
            "rank_correlation": {"spearman": _rounded(stats.spearman(pairs)), "cities": len(pairs)}}


def _suppress_complements(figures: dict[str, AudienceFigures]) -> None:
    """A combined area figure is suppressed too where one audience's is suppressed with respondents:
    otherwise the combined sums minus the other audience's would give the small group's figure away
    (30 residents at 50 shown, 5 firms hidden, together 57.1 from 35: the firms said 100)."""
    combined = figures[COMBINED].areas
    for city_id, areas in combined.items():
        hidden = set()
        for audience in AUDIENCES:
            own = figures[audience].areas.get(city_id)
            if own is not None:
                hidden |= set(own.loc[own["suppressed"] & (own["n"] > 0), "code"])
        if hidden:
            areas = areas.copy()
            rows = areas["code"].isin(hidden).to_numpy()
            areas.loc[rows, ["percent", "ci_low", "ci_high", "se"]] = float("nan")
            areas.loc[rows, "suppressed"] = True
            combined[city_id] = areas


def _rounded(value, places: int = 4):
    return None if value is None or pd.isna(value) else round(float(value), places)


def _city_entry(city: City, official: dict | None, official_percents: dict | None, claims: dict, figures, asked,
                spec, settings: ReportSettings) -> tuple[dict, Decimal | None]:
    """The city's part of the report, and its residents' level unrounded (for Spearman's rho)."""
    not_applicable = [a for a, area in (official or {}).get("areas", {}).items() if area is None] if official \
        else []
    perceived, gaps, checks, levels = {}, {}, {}, {}
    for audience in (*AUDIENCES, COMBINED):
        fig = figures[audience]
        areas = fig.areas.get(city.id, pd.DataFrame(columns=["code", *stats.FIGURE_COLUMNS]))
        perceived[audience], levels[audience] = _audience_block(
            spec, areas, fig.weighting.get(city.id, "none"), fig.raking.get(city.id), asked[audience][0],
            not_applicable, fig.respondents.get(city.id, {}))
        perceived[audience]["unweighted_left_out"] = fig.unweighted_left_out.get(city.id, 0)
        gaps[audience] = _gaps(official_percents, areas, settings) if official else None
        if audience != COMBINED:  # indicator checks are read per audience
            checks[audience] = _indicator_checks(claims, fig.indicators.get(city.id))
    return {"city": city.slug, "name": city.name_en, "official": official, "perceived": perceived,
            "gaps": gaps, "indicator_checks": checks}, levels["resident"]


def _figure_dict(row) -> dict:
    return {"percent": _rounded(row["percent"]), "n": int(row["n"]), "n_eff": _rounded(row["n_eff"], 2),
            "ci_low": _rounded(row["ci_low"]), "ci_high": _rounded(row["ci_high"]),
            "suppressed": bool(row["suppressed"])}


def _audience_block(spec, areas: pd.DataFrame, weighting: str, raking: dict | None, asked: set[str],
                    not_applicable: list[str], respondents: dict[frozenset, int]) -> tuple[dict, Decimal | None]:
    """One audience's figures for a city, and its level unrounded."""
    by_area = {row["code"]: row for _, row in areas.iterrows()}
    area_dicts = {}
    for area in spec.area_groups:
        if area in by_area:
            area_dicts[area] = _figure_dict(by_area[area])
        else:
            area_dicts[area] = {"percent": None, "n": 0, "n_eff": 0.0, "ci_low": None, "ci_high": None,
                                "suppressed": True, "reason": NOT_ASKED if area not in asked else stats.NO_RESPONSES}
    perceived = stats.perceived_city_score(spec, areas.rename(columns={"code": "area"}), not_applicable, respondents)
    score = perceived.score
    groups = {}
    for code, group in score.groups.items():
        groups[code] = None if group.percent is None else {
            "percent": number(group.percent), "points": group.points,
            "weighted_points": _points(group.weighted_points), "areas_counted": group.areas_counted,
            **_interval_dict(perceived.groups[code])}
    left_out = {code: {a: (NOT_ASKED if reason == stats.NO_RESPONSES and a not in asked else reason)
                       for a, reason in reasons.items()}
                for code, reasons in perceived.left_out.items()}
    level = perceived.level
    block = {"weighting": weighting, "areas": area_dicts, "groups": groups,
             "total": None if score.total_points is None else {
                 "points": _points(score.total_points), "percent": number(score.total_percent),
                 **_interval_dict(perceived.total)},
             "level_percent": number(score.level_percent),
             "level_n": level.n if level else 0,
             "level_ci_low": _rounded(level.low) if level else None,
             "level_ci_high": _rounded(level.high) if level else None,
             "left_out": left_out}
    if raking is not None:
        block["raking"] = raking
    return block, score.level_percent


def _interval_dict(interval: stats.Interval) -> dict:
    return {"n": interval.n, "ci_low": _rounded(interval.low), "ci_high": _rounded(interval.high)}


def _points(value):
    return None if value is None else (int(value) if value == value.to_integral_value() else float(value))


def _gaps(official_percents: dict, areas: pd.DataFrame, settings: ReportSettings) -> dict:
    """official_percents: the official area percents as scored (Decimal, None for an area without one)."""
    frame = areas.rename(columns={"code": "area"})
    result = {}
    for area, gap in stats.area_gaps(official_percents, frame, threshold=settings.gap_threshold).items():
        result[area] = {"official": _rounded(gap.official), "perceived": _rounded(gap.perceived),
                        "gap": _rounded(gap.gap), "flag": gap.flag}
    return result


def _indicator_checks(claims: dict, figures: pd.DataFrame | None) -> list[dict]:
    """Each indicator a question checks: the official claim (status, value, I %) beside the share of
    respondents who rated the service 4-5 or said yes (`percent`), with n and interval."""
    if figures is None or figures.empty:
        return []
    checks = []
    for _, row in figures.iterrows():
        claim = claims.get(row["code"])
        checks.append({"indicator": row["code"],
                       "official_status": claim.status if claim else None,
                       "official_value": None if claim is None or claim.value is None else float(claim.value),
                       "official_percent": None if claim is None else number(claim.percent),
                       **_figure_dict(row)})
    return checks
