"""Official vs perceived: the report of a year, every city, both audiences.

The heavy lifting is one grouped SQL scan of response_measures per audience and kind (sums per city and
code), turned into figures by the pure stats module; only cities with population margins (raking)
read their respondents one by one. The official side is services.rating's verified rating.
"""
from __future__ import annotations

from dataclasses import dataclass

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
#: weighted only by imported weights, since the two audiences are raked to different populations
COMBINED = "combined"
NOT_ASKED = "not asked"

_MOMENTS_SQL = """
SELECT city_id, code, COUNT(*) AS n, SUM(value) AS s1, SUM(value * value) AS s2,
       SUM(CASE WHEN weight > 0 THEN 1 ELSE 0 END) AS nw,
       SUM(CASE WHEN weight > 0 THEN weight ELSE 0 END) AS sw,
       SUM(CASE WHEN weight > 0 THEN weight * weight ELSE 0 END) AS sww,
       SUM(CASE WHEN weight > 0 THEN weight * value ELSE 0 END) AS swx,
       SUM(CASE WHEN weight > 0 THEN weight * value * value ELSE 0 END) AS swxx
FROM response_measures
WHERE year = :year AND kind = :kind {audience_clause}
GROUP BY city_id, code
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


# Figures -------------------------------------------------------------------------------------------

def _moments(year: int, audience: str, kind: str) -> pd.DataFrame:
    clause = "" if audience == COMBINED else "AND audience = :audience"
    rows = db.session.execute(text(_MOMENTS_SQL.format(audience_clause=clause)),
                              {"year": year, "audience": audience, "kind": kind}).all()
    columns = ["city_id", "code", "n", "s1", "s2", "nw", "sw", "sww", "swx", "swxx"]
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


def audience_figures(year: int, audience: str, settings: ReportSettings) -> AudienceFigures:
    """Area and indicator figures per city, weighted as each city's data allows (imported > raked > none)."""
    area_moments, indicator_moments = _moments(year, audience, AREA), _moments(year, audience, INDICATOR)
    margins = {} if audience == COMBINED else _margins(_question_names(year, audience))
    result = AudienceFigures({}, {}, {}, {})
    for city_id, city_areas in area_moments.groupby("city_id"):
        city_indicators = indicator_moments[indicator_moments["city_id"] == city_id]
        if city_areas["nw"].sum() > 0:
            method = "imported"
        elif city_id in margins:
            method = "raked"
        else:
            method = "none"
        result.weighting[city_id] = method
        if method == "raked":
            weights, report = _raking_weights(year, audience, city_id, margins[city_id], settings)
            result.raking[city_id] = report
            result.areas[city_id] = _respondent_figures(year, audience, city_id, AREA, weights, settings)
            result.indicators[city_id] = _respondent_figures(year, audience, city_id, INDICATOR, weights, settings)
        else:
            weighted = method == "imported"
            result.areas[city_id] = _figures_for(city_areas, weighted, 1.0, settings)
            result.indicators[city_id] = _figures_for(city_indicators, weighted, 100.0, settings)
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
    rows = db.session.execute(text(
        "SELECT response_id, code, value FROM response_measures "
        "WHERE year = :year AND audience = :audience AND kind = :kind AND city_id = :city"),
        {"year": year, "audience": audience, "kind": kind, "city": city_id}).all()
    scores = pd.DataFrame(rows, columns=["response_id", "code", "score"])
    if kind == INDICATOR:
        scores["score"] *= 100.0
    figures = stats.perceived_area_figures(scores, weights, by=("code",), min_n=settings.min_n)
    return figures


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
    figures = {audience: audience_figures(year, audience, settings) for audience in (*AUDIENCES, COMBINED)}
    asked = {audience: asked_codes(year, audience) for audience in (*AUDIENCES, COMBINED)}
    city_ids = set(official) | {cid for f in figures.values() for cid in f.areas}
    cities = {c.id: c for c in db.session.scalars(select(City).where(City.id.in_(list(city_ids))))}
    order = sorted(city_ids, key=lambda cid: (ranks.get(cid, 10**6), cities[cid].name_en))
    entries = [_city_entry(cities[cid], official.get(cid), claims.get(cid, {}), figures, asked, spec, settings)
               for cid in order]
    pairs = [(e["official"]["level_percent"], e["perceived"]["resident"]["level_percent"])
             for e in entries if e["official"] and e["perceived"]["resident"]["level_percent"] is not None
             and e["official"]["level_percent"] is not None]
    return {"year": year, "demo": assessment.is_demo, "min_n": settings.min_n,
            "gap_threshold": settings.gap_threshold, "cities": entries,
            "rank_correlation": {"spearman": _rounded(stats.spearman(pairs)), "cities": len(pairs)}}


def _rounded(value, places: int = 4):
    return None if value is None or pd.isna(value) else round(float(value), places)


def _city_entry(city: City, official: dict | None, claims: dict, figures, asked, spec,
                settings: ReportSettings) -> dict:
    not_applicable = [a for a, area in (official or {}).get("areas", {}).items() if area is None] if official \
        else []
    perceived, gaps, checks = {}, {}, {}
    for audience in (*AUDIENCES, COMBINED):
        fig = figures[audience]
        areas = fig.areas.get(city.id, pd.DataFrame(columns=["code", *stats.FIGURE_COLUMNS]))
        perceived[audience] = _audience_block(spec, areas, fig.weighting.get(city.id, "none"),
                                              fig.raking.get(city.id), asked[audience][0], not_applicable)
        if audience == COMBINED:
            continue  # gaps and indicator checks are read per audience
        gaps[audience] = _gaps(official, areas, asked[audience][0], settings) if official else None
        checks[audience] = _indicator_checks(claims, fig.indicators.get(city.id))
    return {"city": city.slug, "name": city.name_en, "official": official, "perceived": perceived,
            "gaps": gaps, "indicator_checks": checks}


def _figure_dict(row) -> dict:
    return {"percent": _rounded(row["percent"]), "n": int(row["n"]), "n_eff": _rounded(row["n_eff"], 2),
            "ci_low": _rounded(row["ci_low"]), "ci_high": _rounded(row["ci_high"]),
            "suppressed": bool(row["suppressed"])}


def _audience_block(spec, areas: pd.DataFrame, weighting: str, raking: dict | None, asked: set[str],
                    not_applicable: list[str]) -> dict:
    by_area = {row["code"]: row for _, row in areas.iterrows()}
    area_dicts = {}
    for area in spec.area_groups:
        if area in by_area:
            area_dicts[area] = _figure_dict(by_area[area])
        else:
            area_dicts[area] = {"percent": None, "n": 0, "n_eff": 0.0, "ci_low": None, "ci_high": None,
                                "suppressed": True, "reason": NOT_ASKED if area not in asked else stats.NO_RESPONSES}
    perceived = stats.perceived_city_score(spec, areas.rename(columns={"code": "area"}), not_applicable)
    score = perceived.score
    groups, null_reasons = {}, {}
    for code, group in score.groups.items():
        if group.percent is None:
            groups[code] = None
            reasons = perceived.why_null(code)
            null_reasons[code] = {a: (NOT_ASKED if a not in asked else r) for a, r in reasons.items()}
        else:
            groups[code] = {"percent": number(group.percent), "points": group.points,
                            "weighted_points": _points(group.weighted_points)}
    block = {"weighting": weighting, "areas": area_dicts, "groups": groups,
             "total": None if score.total_points is None else {
                 "points": _points(score.total_points), "percent": number(score.total_percent)},
             "level_percent": number(score.level_percent), "null_reasons": null_reasons}
    if raking is not None:
        block["raking"] = raking
    return block


def _points(value):
    return None if value is None else (int(value) if value == value.to_integral_value() else float(value))


def _gaps(official: dict, areas: pd.DataFrame, asked: set[str], settings: ReportSettings) -> dict:
    official_percents = {a: (v or {}).get("percent") for a, v in official["areas"].items()}
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
