"""CSV and XLSX downloads of the report tables hold exactly the cells of the page they are linked from."""
from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from smartcity_survey.extensions import db
from smartcity_survey.models import City
from tests.helpers_reports import report_app  # noqa: F401  (the module-scoped fixture)
from tests.helpers_reports import YEAR, page_table, same_cell

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def client(report_app):
    return report_app.test_client()


def _download(client, url: str, filename: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.headers["Content-Disposition"] == f"attachment; filename={filename}"
    if filename.endswith(".csv"):  # one charset parameter: a second one is malformed
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    return response.data


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def _assert_same_table(page_rows: list[list[str]], file_rows: list[list]) -> None:
    assert len(file_rows) == len(page_rows)
    for page_row, file_row in zip(page_rows, file_rows):
        assert len(file_row) == len(page_row), (page_row, file_row)
        mismatches = [(p, f) for p, f in zip(page_row, file_row) if not same_cell(p, f)]
        assert mismatches == [], (page_row, file_row)


@pytest.mark.parametrize("slug", ["almaty", "aktau"])
def test_city_csv_has_a_bom_and_the_rows_of_the_page_table(client, slug):
    """UTF-8 with BOM (Excel reads Cyrillic), and the area table of the page, row by row."""
    data = _download(client, f"/reports/{YEAR}/cities/{slug}.csv?lang=ru", f"smartcity-{YEAR}-{slug}-demo.csv")
    assert data.startswith("\ufeff".encode("utf-8"))
    page = client.get(f"/reports/{YEAR}/cities/{slug}?lang=ru").get_data(as_text=True)
    _assert_same_table(page_table(page, "areas"), _csv_rows(data))
    assert "Жилищно-коммунальное хозяйство" in data.decode("utf-8-sig")


def test_suppressed_cells_are_words_in_the_csv_too(client):
    """Aktau's residents: "too few responses" and empty interval and n cells, never the numbers."""
    rows = _csv_rows(_download(client, f"/reports/{YEAR}/cities/aktau.csv?lang=en",
                               f"smartcity-{YEAR}-aktau-demo.csv"))
    residents = [row for row in rows[1:] if row[1] == "Residents"]
    assert len(residents) == 12 and all(row[3:8] == ["too few responses", "", "", "", ""] for row in residents)


def test_city_xlsx_opens_and_every_sheet_equals_its_page_table(client):
    """openpyxl reads the workbook; the areas, indicators and trend sheets equal the page cell by cell."""
    data = _download(client, f"/reports/{YEAR}/cities/almaty.xlsx?lang=en", f"smartcity-{YEAR}-almaty-demo.xlsx")
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["areas", "groups", "indicators", "trend", "about"]
    page = client.get(f"/reports/{YEAR}/cities/almaty?lang=en").get_data(as_text=True)
    for name in ("areas", "indicators", "trend"):
        _assert_same_table(page_table(page, name), [list(row) for row in workbook[name].iter_rows(values_only=True)])
    numbers = [row[3] for row in workbook["areas"].iter_rows(min_row=2, values_only=True)]
    assert any(isinstance(value, float) for value in numbers)  # numbers stay numbers, not text
    about = {row[0]: row[1] for row in workbook["about"].iter_rows(values_only=True)}
    assert about["Year"] == YEAR and about["Demo data (synthetic, not an official result)"] == "yes"
    assert about["Source"].endswith(f"/reports/{YEAR}/cities/almaty")


def test_national_csv_and_xlsx_equal_the_national_table(client):
    """Both national files hold the page's table, in the page's language (Kazakh here)."""
    page_rows = page_table(client.get(f"/reports/{YEAR}/national?lang=kk").get_data(as_text=True), "national")
    csv_data = _download(client, f"/reports/{YEAR}/national.csv?lang=kk", f"smartcity-{YEAR}-national-demo.csv")
    _assert_same_table(page_rows, _csv_rows(csv_data))
    xlsx = _download(client, f"/reports/{YEAR}/national.xlsx?lang=kk", f"smartcity-{YEAR}-national-demo.xlsx")
    workbook = load_workbook(io.BytesIO(xlsx))
    _assert_same_table(page_rows, [list(row) for row in workbook["national"].iter_rows(values_only=True)])
    assert "Ақтау" in [row[1] for row in page_rows]


@pytest.mark.parametrize("name", ["indicators", "trend"])
def test_each_other_table_has_its_own_csv(client, name):
    """The indicator check and the trend download as CSV on their own."""
    data = _download(client, f"/reports/{YEAR}/cities/almaty/{name}.csv?lang=en",
                     f"smartcity-{YEAR}-almaty-{name}-demo.csv")
    page = client.get(f"/reports/{YEAR}/cities/almaty?lang=en").get_data(as_text=True)
    _assert_same_table(page_table(page, name), _csv_rows(data))


def test_the_page_links_the_downloads_in_its_language(client):
    """The download links carry the page's language, so the file matches what the reader sees."""
    page = client.get(f"/reports/{YEAR}/cities/almaty?lang=kk").get_data(as_text=True)
    for url in (f"/reports/{YEAR}/cities/almaty.csv?lang=kk", f"/reports/{YEAR}/cities/almaty.xlsx?lang=kk",
                f"/reports/{YEAR}/cities/almaty/trend.csv?lang=kk",
                f"/reports/{YEAR}/cities/almaty/indicators.csv?lang=kk"):
        assert f'href="{url}"' in page


def test_formula_looking_text_is_neutralised(client, report_app):
    """A city name starting with = reaches the files as text with an apostrophe, never as a formula."""
    payload = '=HYPERLINK("http://evil.example","x")'
    with report_app.app_context():
        city = db.session.scalar(db.select(City).where(City.slug == "almaty"))
        original, city.name_en = city.name_en, payload
        db.session.commit()
    try:
        rows = _csv_rows(client.get(f"/reports/{YEAR}/national.csv?lang=en").data)
        workbook = load_workbook(io.BytesIO(client.get(f"/reports/{YEAR}/national.xlsx?lang=en").data))
    finally:
        with report_app.app_context():
            db.session.scalar(db.select(City).where(City.slug == "almaty")).name_en = original
            db.session.commit()
    assert "'" + payload in [row[1] for row in rows]
    cell = next(c for c in workbook["national"]["B"] if str(c.value).endswith(payload))
    assert cell.value == "'" + payload and cell.data_type == "s"
