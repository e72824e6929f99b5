"""Cells and tables of the report pages, shared by the HTML and the CSV/XLSX exports.

A Table holds its cells exactly as the page shows them: translated headers, localized names, numbers
rounded to the places shown. The exporters write the same cells, so a download always matches the
page it came from (numbers stay numbers; None is an empty cell, shown on the page as "—").
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import g
from flask_babel import gettext as _
from markupsafe import Markup, escape

from ..i18n import current_language
from ..io.values import format_number
from ..services.perceived import NOT_ASKED
from ..stats import CONSISTENT, EXCEEDS, LAGS, NO_RESPONSES, TOO_FEW

#: decimals of the percents on every report page (and in the exports)
PLACES = 1


class Label(str):
    """A text cell the page styles (a flag, the reason a figure is missing); exports write plain text."""

    css: str = ""

    def __new__(cls, text: str, css: str = "") -> Label:
        label = super().__new__(cls, text)
        label.css = css
        return label


@dataclass
class Table:
    name: str  #: the file suffix and sheet title
    caption: str
    headers: list[str]
    #: decimals per number column; EXACT: a number column printed as stored (points, which a
    #: fractional group weight can make fractional); None: a text column (numbers there as stored too)
    places: list[int | str | None]
    rows: list[list] = field(default_factory=list)
    row_classes: list[str] = field(default_factory=list)

    def add(self, cells: list, css: str = "") -> None:
        if len(cells) != len(self.headers):
            raise ValueError(f"{self.name}: {len(cells)} cells for {len(self.headers)} columns")
        self.rows.append([rounded(value, places) for value, places in zip(cells, self.places)])
        self.row_classes.append(css)

    def plain_rows(self) -> list[list]:
        """The cells for a spreadsheet: labels as plain strings."""
        return [[str(cell) if isinstance(cell, Label) else cell for cell in row] for row in self.rows]


EXACT = "exact"


def rounded(value, places: int | str | None):
    """A number as the page prints it (whole numbers as int); anything else unchanged."""
    if isinstance(value, bool) or not isinstance(value, int | float) or places is None or places == EXACT:
        return value
    return int(round(value)) if places == 0 else round(float(value), places)


def cell_html(value, places: int | str | None) -> Markup:
    """One cell as the page prints it: "—" for none, a label in its styled span, a number to its places."""
    if value is None:
        return Markup("—")
    if isinstance(value, Label) and value.css:
        return Markup('<span class="{}">{}</span>').format(value.css, value)
    if isinstance(value, str):
        return escape(value)
    return Markup(format_number(value) if places is None or places == EXACT else f"{float(value):.{places}f}")


def rows_html(table: Table, row_header: int = 0) -> Markup:
    """The table's body rows. Built here rather than in a Jinja loop: a city page has ~800 cells and
    this keeps a cached page well under 50 ms."""
    rows = []
    for row, css in zip(table.rows, table.row_classes):
        cells = []
        for index, (value, places) in enumerate(zip(row, table.places)):
            if index == row_header:
                cells.append(Markup('<th scope="row">{}</th>').format(cell_html(value, places)))
            elif places is not None:  # a number column: right-aligned, its dashes and labels too
                cells.append(Markup('<td class="num">{}</td>').format(cell_html(value, places)))
            else:
                cells.append(Markup("<td>{}</td>").format(cell_html(value, places)))
        opening = Markup('<tr class="{}">').format(css) if css else Markup("<tr>")
        rows.append(opening + Markup("").join(cells) + Markup("</tr>"))
    return Markup("\n").join(rows)


def with_unit(header: str, unit: str = "%") -> str:
    """Units stay out of the translated text, so "Official" is one message in every table."""
    return f"{header}, {unit}"


def _texts() -> dict[str, str]:
    """The tables' recurring words in the request's language, translated once per request (a city page
    has hundreds of cells)."""
    language = current_language()
    cached = g.get("report_texts")
    if cached is not None and cached[0] == language:
        return cached[1]
    texts = {
        "resident": _("Residents"), "business": _("Businesses"), "combined": _("Residents and businesses"),
        LAGS: _("perception lags"), EXCEEDS: _("perception exceeds"), CONSISTENT: _("consistent"),
        TOO_FEW: _("too few responses"), NO_RESPONSES: _("no responses"), NOT_ASKED: _("not asked"),
        "reported": _("reported"), "not_reported": _("not reported"), "not_applicable": _("not applicable"),
        "no_value": _("no verified value"), "yes": _("yes"), "no": _("no"),
        "imported": _("weighted"), "raked": _("raked"), "none": _("unweighted")}
    g.report_texts = (language, texts)
    return texts


def text(key: str) -> str:
    return _texts()[key]


def audience_label(audience: str) -> str:
    return text(audience)


def flag_label(flag: str | None) -> Label | None:
    """Flags read as words (never colour alone); the CSS class adds the colour."""
    return None if flag is None else Label(text(flag), f"flag flag-{flag}")


def missing_label(reason: str | None) -> Label:
    """Why a perceived figure has no number: never a number in its place."""
    if reason in (NO_RESPONSES, NOT_ASKED):
        return Label(text(reason), "missing")
    return Label(text(TOO_FEW), "suppressed")


def perceived_cell(figure: dict | None):
    """The perceived percent, or the label saying why there is none (suppressed cells show no number)."""
    if figure is None:
        return None
    if figure["suppressed"] or figure["percent"] is None:
        return missing_label(figure.get("reason") or (TOO_FEW if figure["n"] else NO_RESPONSES))
    return figure["percent"]


def interval_cells(figure: dict | None) -> list:
    """95 % interval low, high and n; blank for a suppressed figure, whose n would hint at its size."""
    if figure is None or figure["suppressed"] or figure["percent"] is None:
        return [None, None, None]
    return [figure["ci_low"], figure["ci_high"], figure["n"]]


def official_cell(official: dict | None, area: str):
    """A verified area percent; "not applicable" when the city reported the area as n/a. An area the
    block's standard does not have (the trend's earlier year under another version) is blank."""
    if official is None or area not in official["areas"]:
        return None
    area_result = official["areas"].get(area)
    return Label(text("not_applicable"), "missing") if area_result is None else area_result["percent"]


def status_label(status: str | None) -> Label:
    return Label(text(status if status in ("reported", "not_reported", "not_applicable") else "no_value"),
                 f"status-{status or 'none'}")


def weighting_label(method: str) -> str:
    return text(method) if method in ("imported", "raked", "none") else method


def difference(current, previous, places: int = PLACES):
    """current - previous as the page shows both (rounded first, so the row adds up); None if one is text."""
    numbers = (int, float)
    if not isinstance(current, numbers) or not isinstance(previous, numbers):
        return None
    return round(rounded(current, places) - rounded(previous, places), places)
