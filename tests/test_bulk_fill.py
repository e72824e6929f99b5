"""Bulk fill: the importer's file, scoped to the officer's city; preview, then all or nothing."""
import csv
import io
import re

from openpyxl import Workbook

from smartcity_survey.extensions import db
from smartcity_survey.models import IndicatorValue, IndicatorValueChange
from tests.helpers_assessments import area_url, fill_area, indicator, post_area, post_multipart, signed_in, stored

BULK = "/assessments/2020/almaty/bulk"
GOOD = ("city,indicator,value,evidence\n"
        "almaty,ctm_hotline_109,да,Decree 5\n"
        "Алматы,ctm_public_services_electronic,\"80,5\",Register 2020\n"
        "almaty,agr_field_maps_gis,n/a,No farmland in the city\n")


def upload(client, content: str | bytes, name: str = "values.csv"):
    data = content.encode("utf-8") if isinstance(content, str) else content
    return post_multipart(client, BULK, {"file": (io.BytesIO(data), name)})


def apply(client, preview_page: str):
    fields = dict(re.findall(r'name="(token|fingerprint)" type="hidden" value="([^"]*)"', preview_page))
    return client.post(BULK + "/apply", data=fields)


def values_count() -> int:
    return db.session.scalar(db.select(db.func.count(IndicatorValue.id)))


def test_preview_lists_the_changes_and_writes_nothing(app, people):
    """The preview shows each change, old -> new; nothing is stored until applied."""
    client = signed_in(app, people["officer_a"])
    post_area(client, "ctm", {"ctm_hotline_109": {"value": "0"}})
    response = upload(client, GOOD)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "3 values will change" in page
    assert "109 hotline" in page and "80.5 %" in page and "not applicable" in page
    assert stored("ctm_hotline_109").value == 0.0 and values_count() == 1


def test_apply_writes_every_change_as_a_draft_and_records_it(app, people):
    """Applying stores all rows as drafts by the officer, each with a "bulk" history entry."""
    client = signed_in(app, people["officer_a"])
    response = apply(client, upload(client, GOOD).get_data(as_text=True))
    assert response.status_code == 302
    assert "Bulk fill applied: 3 values changed" in client.get(response.location).get_data(as_text=True)
    hotline = stored("ctm_hotline_109")
    assert (hotline.value, hotline.status, hotline.evidence_note, hotline.updated_by) == (
        1.0, "draft", "Decree 5", people["officer_a"])
    assert stored("agr_field_maps_gis").na_reason == "No farmland in the city"
    kinds = db.session.scalars(db.select(IndicatorValueChange.kind)).all()
    assert kinds == ["bulk"] * 3
    assert db.session.scalar(db.select(IndicatorValueChange.comment)) == "values.csv"


def test_errors_are_listed_by_row_and_nothing_is_written(app, people):
    """Every bad row is listed with its column; valid rows of the same file are not written."""
    client = signed_in(app, people["officer_a"])
    bad = GOOD + ("almaty,ctm_official_portal,maybe,\n"
                  "astana,ctm_hotline_109,yes,\n"
                  "almaty,no_such_indicator,1,\n"
                  "almaty,edu_e_diary,140,\n")
    response = upload(client, bad)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "nothing was written" in page
    for row, column in ((5, "value"), (6, "city"), (7, "indicator"), (8, "value")):
        assert re.search(rf"<tr><td>{row}</td><td>{column}</td>", page), (row, column)
    assert "you may only report for almaty, not astana" in page
    assert values_count() == 0


def test_not_applicable_rows_need_a_reason(app, people):
    """An n/a row without evidence text is refused, naming its row."""
    client = signed_in(app, people["officer_a"])
    page = upload(client, "city,indicator,value\nalmaty,agr_field_maps_gis,n/a\n").get_data(as_text=True)
    assert re.search(r"<tr><td>2</td><td>evidence</td><td>agr_field_maps_gis is marked not applicable", page)


def test_submitted_and_verified_values_cannot_be_changed_by_file(app, people):
    """Rows that would change a submitted value are refused by row; identical rows are fine."""
    client = signed_in(app, people["officer_a"])
    fill_area(client, "ctm")
    client.post(area_url("ctm") + "/submit")
    page = upload(client, "city,indicator,value\nalmaty,ctm_hotline_109,no\n").get_data(as_text=True)
    assert "ctm_hotline_109 is submitted and cannot be changed here" in page
    page = upload(client, "city,indicator,value\nalmaty,ctm_hotline_109,yes\n").get_data(as_text=True)
    assert "The file changes nothing" in page


def test_a_preview_made_stale_by_another_save_is_not_applied(app, people):
    """If a value changes between preview and apply, nothing is written and a fresh preview is shown."""
    client = signed_in(app, people["officer_a"])
    preview = upload(client, GOOD).get_data(as_text=True)
    post_area(signed_in(app, people["officer_a2"]), "ctm", {"ctm_hotline_109": {"value": "0"}})
    response = apply(client, preview)
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and "changed since the preview" in page and "3 values will change" in page
    assert stored("ctm_hotline_109").value == 0.0 and values_count() == 1
    assert apply(client, page).status_code == 302 and stored("ctm_hotline_109").value == 1.0


def test_a_preview_belongs_to_its_session(app, people):
    """Another officer cannot apply someone else's parked file, even of the same city."""
    preview = upload(signed_in(app, people["officer_a"]), GOOD).get_data(as_text=True)
    other = signed_in(app, people["officer_a2"])
    response = apply(other, preview)
    assert response.status_code == 302 and response.location.endswith("/bulk")
    assert "This preview has expired" in other.get(response.location).get_data(as_text=True)
    assert values_count() == 0


def test_xlsx_files_are_read_too(app, people):
    """The first sheet of an XLSX workbook works like a CSV."""
    book = Workbook()
    sheet = book.active
    sheet.append(["city", "indicator", "value", "evidence"])
    sheet.append(["almaty", "ict_broadband_speed", 30, "Speed test"])
    buffer = io.BytesIO()
    book.save(buffer)
    client = signed_in(app, people["officer_a"])
    preview = upload(client, buffer.getvalue(), "values.xlsx").get_data(as_text=True)
    assert "1 values will change" in preview and "30 Mbit/s" in preview
    assert apply(client, preview).status_code == 302 and stored("ict_broadband_speed").value == 30.0


def test_the_template_is_the_citys_current_values(app, people):
    """The CSV to start from has every indicator of the year, with the saved values, and reads back."""
    client = signed_in(app, people["officer_a"])
    post_area(client, "ctm", {"ctm_hotline_109": {"value": "1"}, "ctm_public_services_electronic": {"value": "80.5"}})
    post_area(client, "agr", {"agr_field_maps_gis": {"not_applicable": "y", "na_reason": "No farmland"}})
    template = client.get(BULK + "/template.csv")
    assert template.headers["Content-Type"] == "text/csv; charset=utf-8"
    csv_text = template.get_data(as_text=True).lstrip("\ufeff")
    lines = csv_text.splitlines()
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    assert list(rows[0]) == ["city", "indicator", "indicator_name", "expected", "value", "evidence"]
    assert len(rows) == 75 and {row["city"] for row in rows} == {"almaty"}
    by_code = {row["indicator"]: row for row in rows}
    assert (by_code["ctm_hotline_109"]["value"], by_code["ctm_hotline_109"]["evidence"]) == ("yes", "")
    assert (by_code["agr_field_maps_gis"]["value"], by_code["agr_field_maps_gis"]["evidence"]) == ("n/a", "No farmland")
    assert by_code["ctm_public_services_electronic"]["value"] == "80.5"
    assert "The file changes nothing" in upload(client, csv_text).get_data(as_text=True)


def test_the_template_names_each_indicator_and_what_it_takes_in_the_officers_language(app, people):
    """Beside the codes the importer reads: the indicator's name and the value it expects, in words."""
    client = signed_in(app, people["officer_a"])
    english = {row["indicator"]: row for row in csv.DictReader(io.StringIO(
        client.get(BULK + "/template.csv?lang=en").get_data(as_text=True).lstrip("\ufeff")))}
    assert english["ctm_hotline_109"]["indicator_name"] == indicator("ctm_hotline_109").name_en
    assert english["ctm_hotline_109"]["expected"] == "yes or no (or n/a)"
    assert english["ctm_public_services_electronic"]["expected"] == "percent 0-100 (or n/a)"
    assert english["ctm_appeal_response_days"]["expected"] == "number in days, target 5, lower is better (or n/a)"
    russian = {row["indicator"]: row for row in csv.DictReader(io.StringIO(
        client.get(BULK + "/template.csv?lang=ru").get_data(as_text=True).lstrip("\ufeff")))}
    assert russian["ctm_hotline_109"]["indicator_name"] == indicator("ctm_hotline_109").name_ru
    assert russian["ctm_appeal_response_days"]["expected"].startswith("число, сут; целевое значение 5; ")


def test_upload_without_a_file_is_refused(app, people):
    """Posting the form without a file shows the error at the field."""
    client = signed_in(app, people["officer_a"])
    response = client.post(BULK, data={})
    assert response.status_code == 422 and "Choose a file." in response.get_data(as_text=True)
