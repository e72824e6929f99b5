"""Official vs perceived in headless Chromium: the Russian dashboard, the Kazakh national page and an
XLSX download compared with the page it came from."""
from __future__ import annotations

import pytest
from flask_babel import gettext
from openpyxl import load_workbook

from tests.browser.conftest import serving
from tests.helpers_auth import PASSWORD
from tests.helpers_reports import report_app  # noqa: F401  (the module-scoped fixture)
from tests.helpers_reports import ACCOUNTS, YEAR, same_cell

pytestmark = pytest.mark.browser

HOUSING_RU = "Жилищно-коммунальное хозяйство"  #: area hcs, flagged in the world (tests.helpers_reports)
CHART_DRAWN = "id => Chart.getChart(document.getElementById(id)) !== undefined"
TABLE_CELLS = """id => Array.from(document.querySelectorAll('#' + id + ' tr'))
    .map(tr => Array.from(tr.querySelectorAll('th, td')).map(c => c.innerText.trim().replace(/\\s+/g, ' ')))"""


@pytest.fixture(scope="module")
def server(report_app):
    """The report world served over HTTP for the module."""
    with serving(report_app, "reports-live-server") as url:
        yield url


def _translated(app, text: str, lang: str) -> str:
    """The UI string as the page shows it in `lang` (English until the catalogue has it)."""
    with app.test_request_context(f"/?lang={lang}"):
        return gettext(text)


def test_officer_sees_a_flagged_area_on_the_russian_dashboard(server, report_app, page, screenshot):
    """Almaty's officer signs in, opens the dashboard in Russian: housing is flagged and the chart is drawn."""
    page.goto(f"{server}/login?lang=ru")
    page.fill("input[name=email]", ACCOUNTS["officer"][0])
    page.fill("input[name=password]", PASSWORD)
    page.click("form input[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{server}/dashboard")
    page.wait_for_url(f"**/dashboard/{YEAR}/almaty")
    assert page.get_attribute("html", "lang") == "ru"
    row = page.locator("#table-areas tr.flag-row-perception_lags", has_text=HOUSING_RU).first
    flag = row.locator(".flag-perception_lags")
    assert flag.is_visible() and flag.inner_text() == _translated(report_app, "perception lags", "ru")
    page.wait_for_function(CHART_DRAWN, arg="areas-chart")
    chart = page.evaluate("""() => { const c = Chart.getChart(document.getElementById('areas-chart'));
        return {labels: c.data.labels, resident: c.data.datasets[1].data, bars: c.getDatasetMeta(1).data.length}; }""")
    housing = chart["labels"].index(HOUSING_RU)
    assert chart["bars"] == 12 and f"{chart['resident'][housing]:.1f}" == row.locator("td").nth(2).inner_text()
    assert page.locator(".draft-preview .draft-tag").is_visible()
    assert page.script_errors == []
    screenshot("reports-dashboard-almaty-ru")


def test_public_national_page_renders_in_kazakh(server, page, screenshot):
    """/reports/2020/national?lang=kk: Kazakh page, the table of 17 cities and the scatter drawn."""
    page.goto(f"{server}/reports/{YEAR}/national?lang=kk")
    assert page.get_attribute("html", "lang") == "kk"
    rows = page.evaluate(TABLE_CELLS, "table-national")[1:]
    assert len(rows) == 17 and "Алматы" in [row[1] for row in rows]
    page.wait_for_function(CHART_DRAWN, arg="national-scatter")
    points = page.evaluate("Chart.getChart(document.getElementById('national-scatter')).data.datasets[0].data")
    assert sorted(p["label"] for p in points) == sorted(row[1] for row in rows if row[5] != "—")
    for point in points:  # each point sits at its row's numbers
        row = next(r for r in rows if r[1] == point["label"])
        assert (f"{point['x']:.2f}", f"{point['y']:.2f}") == (row[2], row[5])
    assert page.locator("#spearman").inner_text().count("ρ = ") == 1
    assert page.script_errors == []
    screenshot("reports-national-kk")


@pytest.mark.parametrize("path, table", [(f"/reports/{YEAR}/cities/almaty?lang=kk", "areas"),
                                         (f"/reports/{YEAR}/national?lang=ru", "national")])
def test_xlsx_download_matches_the_page(server, page, tmp_path, path, table):
    """The page's XLSX link downloads a workbook whose sheet equals the page's table cell by cell."""
    page.goto(server + path)
    with page.expect_download() as info:
        page.click("#export-xlsx")
    download = info.value
    assert download.suggested_filename.startswith(f"smartcity-{YEAR}-") and download.suggested_filename.endswith(
        "-demo.xlsx")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    sheet = load_workbook(target)[table]
    page_rows = page.evaluate(TABLE_CELLS, f"table-{table}")
    file_rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert len(file_rows) == len(page_rows) > 10
    for page_row, file_row in zip(page_rows, file_rows):
        assert all(same_cell(p, f) for p, f in zip(page_row, file_row, strict=True)), (page_row, file_row)
    assert page.script_errors == []


def test_public_city_page_shows_suppressed_cells_as_words(server, page, screenshot):
    """Aktau's portal page: resident rows read "too few responses"; the chart draws no resident bar."""
    page.goto(f"{server}/reports/{YEAR}/cities/aktau?lang=en")
    page.wait_for_function(CHART_DRAWN, arg="areas-chart")
    rows = [row for row in page.evaluate(TABLE_CELLS, "table-areas")[1:] if row[1] == "Residents"]
    assert len(rows) == 12 and {row[3] for row in rows} == {"too few responses"}
    drawn = page.evaluate("Chart.getChart(document.getElementById('areas-chart')).data.datasets[1].data")
    assert drawn == [None] * 12
    assert page.script_errors == []
    screenshot("reports-city-aktau-en")
    page.goto(f"{server}/reports/{YEAR}/cities/almaty?lang=en")
    page.wait_for_function(CHART_DRAWN, arg="areas-chart")
    assert page.locator("#table-areas tr.flag-row-perception_lags", has_text="Housing").count() >= 1
    screenshot("reports-city-almaty-en")


def test_area_names_fit_beside_the_chart_on_a_phone(server, page, screenshot):
    """On a 390 px phone in Kazakh, the long area names ("Ақпараттық-коммуникациялық технологиялар") are
    broken into lines that fit the chart's label column: Chart.js cut them off at the left edge before."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{server}/reports/{YEAR}/cities/almaty?lang=kk")
    page.wait_for_function(CHART_DRAWN, arg="areas-chart")
    fit = page.evaluate("""() => {
        const chart = Chart.getChart(document.getElementById('areas-chart')), scale = chart.scales.y;
        const ctx = chart.ctx;
        ctx.save();
        ctx.font = Chart.helpers.toFont(scale.options.ticks.font).string;
        const lines = scale.ticks.flatMap(tick => [].concat(tick.label));
        const widest = Math.max(...lines.map(line => ctx.measureText(line).width));
        ctx.restore();
        return {names: chart.data.labels, lines: lines, widest: widest, column: scale.width};
    }""")
    assert "Ақпараттық-коммуникациялық технологиялар" in fit["names"]  # the data keeps whole names
    assert fit["widest"] <= fit["column"], fit
    assert page.script_errors == []
    screenshot("reports-city-almaty-kk-phone")


def test_table_captions_wrap_within_a_phone_screen(server, page, screenshot):
    """A report table wider than a 390 px phone scrolls sideways, but its caption wraps within the
    screen: as wide as the table, it ran off the right edge ("…ресми және қабылданға")."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{server}/reports/{YEAR}/cities/almaty?lang=kk")
    edges = page.evaluate("""() => [...document.querySelectorAll('.table-scroll caption')].map(caption => {
        const box = caption.getBoundingClientRect(), table = caption.closest('table').getBoundingClientRect();
        return {right: box.right, table: table.right, screen: document.documentElement.clientWidth};
    })""")
    assert edges and any(edge["table"] > edge["screen"] for edge in edges), edges  # some table does scroll
    assert all(edge["right"] <= edge["screen"] for edge in edges), edges
    screenshot("reports-city-almaty-kk-phone-caption")
