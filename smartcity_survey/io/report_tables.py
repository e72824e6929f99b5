"""The report as flat tables: one row per city, audience and area (and per city for the national view)."""
from __future__ import annotations

AREA_HEADERS = ["city", "name", "audience", "area", "official_percent", "perceived_percent", "n", "n_eff",
                "ci_low", "ci_high", "suppressed", "gap", "flag", "weighting"]
NATIONAL_HEADERS = ["city", "name", "official_rank", "official_level_percent", "official_total_percent",
                    "perceived_rank", "perceived_level_percent", "rank_difference", "resident_weighting",
                    "business_level_percent", "combined_level_percent"]


def area_rows(report: dict) -> list[list]:
    rows = []
    for city in report["cities"]:
        for audience, block in city["perceived"].items():
            gaps = (city["gaps"] or {}).get(audience) or {}
            for area, figure in block["areas"].items():
                official = ((city["official"] or {}).get("areas") or {}).get(area)
                gap = gaps.get(area) or {}
                rows.append([city["city"], city["name"], audience, area,
                             None if official is None else official["percent"],
                             figure["percent"], figure["n"], figure["n_eff"], figure["ci_low"], figure["ci_high"],
                             figure["suppressed"], gap.get("gap"), gap.get("flag"), block["weighting"]])
    return rows


def national_rows(report: dict) -> list[list]:
    """Official rank, perceived (resident) rank by level, and the difference (positive: people rate the
    city better than its official place); then the businesses' and the combined perceived levels. Equal levels share a rank and the next one skips (1, 2, 2, 4),
    as the official rating does."""
    perceived = {c["city"]: c["perceived"]["resident"]["level_percent"] for c in report["cities"]}
    ranked = sorted((slug for slug, level in perceived.items() if level is not None), key=lambda s: -perceived[s])
    perceived_rank: dict[str, int] = {}
    for position, slug in enumerate(ranked, start=1):
        before = ranked[position - 2] if position > 1 else None
        tied = before is not None and perceived[before] == perceived[slug]
        perceived_rank[slug] = perceived_rank[before] if tied else position
    rows = []
    for city in report["cities"]:
        official = city["official"] or {}
        rank, mine = official.get("rank"), perceived_rank.get(city["city"])
        rows.append([city["city"], city["name"], rank, official.get("level_percent"),
                     (official.get("total") or {}).get("percent"), mine, perceived[city["city"]],
                     None if rank is None or mine is None else rank - mine,
                     city["perceived"]["resident"]["weighting"],
                     city["perceived"]["business"]["level_percent"], city["perceived"]["combined"]["level_percent"]])
    return rows
