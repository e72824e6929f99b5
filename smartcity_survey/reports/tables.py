"""The report's tables (cells.py explains the cells): a city's areas, indicator checks and trend, its
draft score beside the verified one, and the national comparison. Builders read the report's plain
data (services.perceived.build_report) and never query the database."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from ..io.report_tables import national_rows
from ..services.perceived import AUDIENCES, COMBINED, NOT_ASKED
from ..stats import NO_RESPONSES, NOT_APPLICABLE, TOO_FEW
from .cells import (EXACT, PLACES, Label, Table, audience_label, difference, flag_label, interval_cells,
                    missing_label, official_cell, perceived_cell, rounded, status_label, text, weighting_label,
                    with_unit)

P = PLACES


@dataclass(frozen=True)
class Names:
    """Localized names of a year's standard: areas in the standard's order, indicators by code."""

    areas: list[tuple[str, str]]
    #: code -> (name, method, position in the standard)
    indicators: dict[str, tuple[str, str, int]]
    #: the standard's groups in its order: (code, name)
    groups: list[tuple[str, str]] = field(default_factory=list)


# A city ----------------------------------------------------------------------------------------------

def area_table(entry: dict, names: Names) -> Table:
    """Per area and audience: official, perceived with its interval and n, the gap and its flag."""
    table = Table("areas", _("Official and perceived percent by area"),
                  [_("Area"), _("Audience"), with_unit(_("Official")), with_unit(_("Perceived")),
                   _("Interval from"), _("Interval to"), "n", _("Gap (official − perceived)"), _("Flag")],
                  [None, None, P, P, P, P, 0, P, None])
    for code, name in names.areas:
        for audience in (*AUDIENCES, COMBINED):
            figure = entry["perceived"][audience]["areas"].get(code)
            gap = ((entry["gaps"] or {}).get(audience) or {}).get(code) or {}
            table.add([name, audience_label(audience), official_cell(entry["official"], code),
                       perceived_cell(figure), *interval_cells(figure), gap.get("gap"), flag_label(gap.get("flag"))],
                      css=f"flag-row-{gap['flag']}" if gap.get("flag") else "")
    return table


def group_table(entry: dict, names: Names) -> Table:
    """Steps 3-5 of the standard side by side: each group's percent and points, the total C_t and the
    implementation level, official and as each audience (and both together) perceive them."""
    table = Table("groups", _("Groups, total score and level: official and perceived"),
                  [_("Measure"), _("Audience"), with_unit(_("Percent")), _("Points"), _("Weighted points"),
                   _("Interval from"), _("Interval to"), "n", _("Areas counted")],
                  [None, None, P, EXACT, EXACT, P, P, 0, None])
    sides = [("official", entry["official"]), *((a, entry["perceived"][a]) for a in (*AUDIENCES, COMBINED))]
    group_codes = [code for code, _name in names.groups]
    for code, name in names.groups:
        for side, block in sides:
            group = (block or {}).get("groups", {}).get(code)
            table.add([name, _side_label(side), *_scored_cells(side, block, group, [code]),
                       _areas_counted(side, block, group, code)])
    for label, read in ((_("Total score C_t"), lambda block: (block or {}).get("total")),
                        (_("Implementation level"), _level_figure)):
        for side, block in sides:
            table.add([label, _side_label(side), *_scored_cells(side, block, read(block), group_codes), None])
    return table


def _side_label(side: str) -> str:
    return _("Official") if side == "official" else audience_label(side)


def _level_figure(block: dict | None) -> dict | None:
    """The implementation level in the shape of a group figure (a perceived one with its interval)."""
    if block is None or block.get("level_percent") is None:
        return None
    figure = {"percent": block["level_percent"]}
    if "level_n" in block:
        figure |= {"n": block["level_n"], "ci_low": block["level_ci_low"], "ci_high": block["level_ci_high"]}
    return figure


def _scored_cells(side: str, block: dict | None, figure: dict | None, groups: list[str]) -> list:
    """percent, points, weighted points, interval from, interval to, n. A missing official figure is
    blank; a missing perceived one says why, as the area cells do."""
    if figure is None:
        return [None if side == "official" else _why_missing(block, groups)] + [None] * 5
    return [figure["percent"], figure.get("points"), figure.get("weighted_points"), figure.get("ci_low"),
            figure.get("ci_high"), figure.get("n")]


def _why_missing(block: dict | None, groups: list[str]) -> Label:
    """No answers at all; or every area the groups leave out was never asked; or too few responses."""
    if block is None or not any(area["n"] for area in block["areas"].values()):
        return missing_label(NO_RESPONSES)
    reasons = {reason for group in groups for reason in block["left_out"].get(group, {}).values()}
    return missing_label(NOT_ASKED if reasons and reasons <= {NOT_ASKED, NOT_APPLICABLE} else TOO_FEW)


def _areas_counted(side: str, block: dict | None, group: dict | None, code: str) -> str | None:
    """"2 of 6": how many of the group's areas (those that apply to the city) a perceived percent averages."""
    if side == "official" or block is None or group is None:
        return None
    left_out = block["left_out"].get(code, {})
    applicable = len(group["areas_counted"]) + sum(reason != NOT_APPLICABLE for reason in left_out.values())
    return _("%(counted)s of %(areas)s", counted=len(group["areas_counted"]), areas=applicable)


def indicator_table(entry: dict, names: Names) -> Table:
    """Each indicator a question checks: the verified claim beside the share rating the service well."""
    table = Table("indicators", _("Indicator check: the official claim and what users say"),
                  [_("Indicator"), _("Audience"), _("Official status"), _("Official value"), with_unit(_("Official")),
                   with_unit(_("Rated well")), _("Interval from"), _("Interval to"), "n"],
                  [None, None, None, None, P, P, P, P, 0])
    checks = [(audience, check) for audience in AUDIENCES for check in entry["indicator_checks"][audience]]
    position = {code: spec[2] for code, spec in names.indicators.items()}
    checks.sort(key=lambda item: (position.get(item[1]["indicator"], 10**6), AUDIENCES.index(item[0])))
    for audience, check in checks:
        name, method, _position = names.indicators.get(check["indicator"], (check["indicator"], "", 0))
        table.add([name, audience_label(audience), status_label(check["official_status"]),
                   _official_value(check["official_value"], method), check["official_percent"],
                   perceived_cell(check), *interval_cells(check)])
    return table


def _official_value(value: float | None, method: str):
    if value is None or method != "yes_no":
        return value
    return Label(text("yes") if value == 1 else text("no"))


def trend_table(entry: dict, previous: dict | None, years: tuple[int, int], names: Names) -> Table:
    """Official and perceived percents of the previous year and this one, and the change, per area."""
    before, now = years
    headers = [_("Measure")]
    for side in (_("Official"), _("Residents"), _("Businesses")):
        headers += [with_unit(f"{side} {before}"), with_unit(f"{side} {now}"), _("Change")]
    table = Table("trend", _("Change from %(before)s to %(now)s", before=before, now=now), headers, [None] + [P] * 9)
    previous = previous or {"official": None, "perceived": {}}
    table.add([_("Implementation level"), *_trend_cells(entry, previous, _level)])
    table.add([_("Total score C_t"), *_trend_cells(entry, previous, _total)])
    for code, name in names.areas:
        table.add([name, *_trend_cells(entry, previous, lambda block, code=code: _area(block, code))])
    return table


def _trend_cells(entry: dict, previous: dict, read) -> list:
    cells = []
    for side in ("official", *AUDIENCES):
        old, new = read(_block(previous, side)), read(_block(entry, side))
        cells += [old, new, difference(new, old)]
    return cells


def _block(entry: dict, side: str) -> dict | None:
    """The official score dict, or an audience's perceived block when it has any respondent."""
    if side == "official":
        return entry["official"]
    block = entry["perceived"].get(side)
    has_answers = block is not None and any(figure["n"] for figure in block["areas"].values())
    return block if has_answers else None


def _level(block: dict | None):
    return None if block is None else block["level_percent"]


def _total(block: dict | None):
    return None if block is None or block["total"] is None else block["total"]["percent"]


def _area(block: dict | None, code: str):
    if block is None:
        return None
    if "weighting" in block:  # a perceived block
        return perceived_cell(block["areas"].get(code))
    return official_cell(block, code)


def draft_table(entry: dict, draft: dict, names: Names) -> Table | None:
    """The city's draft score (every value entered, verified or not) where it differs from the verified
    one; None when they agree. draft is serializers.score_dict of services.rating.city_score."""
    table = Table("draft", _("Draft score (not published) beside the verified score"),
                  [_("Measure"), with_unit(_("Verified")), with_unit(_("Draft")), _("Difference")], [None, P, P, P])
    verified = entry["official"] if entry else None
    rows = [(_("Implementation level"), _level(verified), _level(draft)),
            (_("Total score C_t"), _total(verified), _total(draft))]
    rows += [(name, _area(verified, code), _area(draft, code)) for code, name in names.areas]
    for label, old, new in rows:
        if rounded(old, P) != rounded(new, P):  # a difference the page would print as 0.0 is none
            table.add([label, old, new, difference(new, old)])
    return table if table.rows else None


# The country -----------------------------------------------------------------------------------------

def national_table(report: dict, city_names: dict[str, str]) -> Table:
    """Every city: official rank and level, residents' perceived rank and level, and the difference."""
    table = Table("national", _("Official and perceived ranks of every city"),
                  [_("Official rank"), _("City"), with_unit(_("Official level")), with_unit(_("Official C_t")),
                   _("Perceived rank"), with_unit(_("Residents' level")), _("Rank difference"), _("Weighting"),
                   with_unit(_("Businesses' level")), with_unit(_("Residents and businesses: level"))],
                  [0, None, 2, P, 0, 2, 0, None, 2, 2])
    for (slug, name, rank, level, total, perceived_rank, perceived, change, weighting, business,
         combined) in national_rows(report):
        table.add([rank, city_names.get(slug, name), level, total, perceived_rank, perceived, change,
                   weighting_label(weighting), business, combined])
    return table
