"""What the charts draw, as JSON for a data-* attribute (static/js/report-charts.js reads it).

The numbers are the tables' cells (rounded the same way), so a chart never shows a figure the table
beside it does not; a suppressed figure is null here: no bar, and the table says why.
"""
from __future__ import annotations

from flask_babel import gettext as _

from ..io.report_tables import national_rows
from ..services.perceived import AUDIENCES
from .cells import PLACES, audience_label, interval_cells, official_cell, perceived_cell, rounded, with_unit
from .tables import Names


def _number(cell, places: int = PLACES) -> float | None:
    """A cell as a chart value: numbers only (labels such as "too few responses" draw nothing)."""
    return rounded(cell, places) if isinstance(cell, int | float) and not isinstance(cell, str) else None


def area_chart(entry: dict, names: Names) -> dict:
    """Grouped horizontal bars per area (official, residents, businesses), intervals on the perceived ones."""
    codes = [code for code, _name in names.areas]
    datasets = [{"key": "official", "label": _("Official (verified)"),
                 "values": [_number(official_cell(entry["official"], code)) for code in codes]}]
    for audience in AUDIENCES:
        figures = [entry["perceived"][audience]["areas"].get(code) for code in codes]
        intervals = [interval_cells(figure) for figure in figures]
        datasets.append({"key": audience, "label": audience_label(audience),
                         "values": [_number(perceived_cell(figure)) for figure in figures],
                         "low": [_number(low) for low, _high, _n in intervals],
                         "high": [_number(high) for _low, high, _n in intervals]})
    return {"labels": [name for _code, name in names.areas], "datasets": datasets,
            "axis": with_unit(_("Percent of the standard"))}


def national_scatter(report: dict, city_names: dict[str, str]) -> dict:
    """One point per city with both levels: official (x) against residents' perceived (y)."""
    points = [{"x": rounded(level, 2), "y": rounded(perceived, 2), "label": city_names.get(slug, name)}
              for slug, name, _rank, level, _total, _prank, perceived, _change, _w, *_others in national_rows(report)
              if level is not None and perceived is not None]
    return {"points": points, "points_label": _("Cities"), "x_title": with_unit(_("Official level")),
            "y_title": with_unit(_("Residents' perceived level")), "diagonal": _("Equal levels")}
