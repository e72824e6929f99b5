"""Downloads of the report tables: CSV (UTF-8 with BOM, so Excel reads Cyrillic) and XLSX.

The files hold the pages' own Table cells in the page's language, so a download matches the page it
was linked from; the XLSX adds an "about" sheet saying what the numbers are (year, demo, thresholds).
"""
from __future__ import annotations

import io
from datetime import datetime, timezone

from flask import abort, send_file, url_for
from flask_babel import gettext as _

from ..io.spreadsheets import to_csv, to_xlsx_sheets
from . import bp
from .cells import Table
from .context import CityPage, city_page, national_page

MIMETYPES = {"csv": "text/csv",  # werkzeug adds "; charset=utf-8" to text/* types
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@bp.get("/reports/<int:year>/national.<any(csv, xlsx):fmt>")
def export_national(year: int, fmt: str):
    page = national_page(year) or abort(404)
    return _send([page.table], fmt, f"smartcity-{year}-national", page.report,
                 url_for(".show_national", year=year, _external=True))


@bp.get("/reports/<int:year>/cities/<slug>.<any(csv, xlsx):fmt>")
def export_city(year: int, slug: str, fmt: str):
    """CSV: the area table; XLSX: every table of the page, one sheet each."""
    page = _city_with_data(year, slug)
    tables = list(page.tables.values()) if fmt == "xlsx" else [page.tables["areas"]]
    return _send(tables, fmt, f"smartcity-{year}-{slug}", page.report, _page_url(page))


@bp.get("/reports/<int:year>/cities/<slug>/<any(groups, indicators, trend):name>.csv")
def export_city_table(year: int, slug: str, name: str):
    page = _city_with_data(year, slug)
    table = page.tables.get(name) or abort(404)  # no trend without an earlier year
    return _send([table], "csv", f"smartcity-{year}-{slug}-{name}", page.report, _page_url(page))


def _city_with_data(year: int, slug: str) -> CityPage:
    page = city_page(year, slug)
    if page is None or page.entry is None:
        abort(404)
    return page


def _page_url(page: CityPage) -> str:
    return url_for(".show_city", year=page.assessment.year, slug=page.city.slug, _external=True)


def _send(tables: list[Table], fmt: str, stem: str, report: dict, page_url: str):
    if report["demo"]:
        stem += "-demo"  # a file passed around keeps saying what it is
    if fmt == "csv":
        data = to_csv(tables[0].headers, tables[0].plain_rows())
    else:
        sheets = [(t.name, t.headers, t.plain_rows()) for t in tables]
        data = to_xlsx_sheets([*sheets, ("about", [_("About"), ""], _about_rows(report, page_url))])
    return send_file(io.BytesIO(data), mimetype=MIMETYPES[fmt], as_attachment=True, download_name=f"{stem}.{fmt}")


def _about_rows(report: dict, page_url: str) -> list[list]:
    return [[_("Year"), report["year"]],
            [_("Demo data (synthetic, not an official result)"), _("yes") if report["demo"] else _("no")],
            [_("Perceived figures from fewer respondents than this are not shown"), report["min_n"]],
            [_("Gap threshold, points"), report["gap_threshold"]],
            [_("Official values"), _("verified values only")],
            [_("Source"), page_url],
            [_("Downloaded"), datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")]]
