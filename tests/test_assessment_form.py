"""The akimat form: inputs per method, languages, saving drafts, validation, progress and draft scores."""
import html
from decimal import Decimal

from smartcity_survey.extensions import db
from smartcity_survey.models import IndicatorValue, IndicatorValueChange
from smartcity_survey.services.rating import city_score, get_assessment
from tests.helpers_assessments import (
    CITY_A, YEAR, area_codes, area_url, entry_fields, fill_area, indicator, page_form, post_area,
    signed_in, stored)


def test_officer_lands_on_own_city_form(app, people):
    """/assessments/ sends an officer straight to their city's form for the latest year."""
    client = signed_in(app, people["officer_a"])
    response = client.get("/assessments/")
    assert response.status_code == 302 and response.location == f"/assessments/{YEAR}/{CITY_A}/"
    page = client.get(response.location).get_data(as_text=True)
    assert "Urban management" in page and "0 / 8" in page and "Draft score" in page


def test_each_method_gets_its_input(app, people):
    """Yes/no is a pair of radios, a percent a 0-100 field, a number shows its unit and target."""
    page = signed_in(app, people["officer_a"]).get(area_url("ctm")).get_data(as_text=True)
    yes_no = entry_fields("ctm_hotline_109", value="")
    name = next(iter(yes_no))
    assert page.count(f'name="{name}"') == 2 and f'type="radio"' in page
    assert "Percent, 0 to 100" in page
    assert "Target: 5 days." in page and "Lower is better." in page and "Value (days)" in page
    assert 'enctype="multipart/form-data"' in page and "Evidence file" in page and "Not applicable" in page


def test_names_follow_the_officers_language(app, people):
    """Area and indicator names come from their ru / kk columns."""
    client = signed_in(app, people["officer_a"])
    russian = client.get(area_url("ctm") + "?lang=ru").get_data(as_text=True)
    assert "Управление городом" in russian and indicator("ctm_hotline_109").name_ru in russian
    kazakh = client.get(area_url("ctm") + "?lang=kk").get_data(as_text=True)
    assert "Қаланы басқару" in kazakh and indicator("ctm_hotline_109").name_kk in kazakh


def test_saving_a_draft_stores_every_answer(app, people):
    """A save stores the values as drafts, by the officer, and says so."""
    client = signed_in(app, people["officer_a"])
    response = fill_area(client, "ctm", ctm_public_services_electronic={"value": "95,4"})
    assert response.status_code == 302
    assert "Draft saved (8 indicators changed)" in client.get(response.location).get_data(as_text=True)
    value = stored("ctm_public_services_electronic")
    assert value.value == 95.4 and value.status == "draft" and value.updated_by == people["officer_a"]
    assert stored("ctm_hotline_109").value == 1.0 and stored("ctm_appeal_response_days").value == 5.0


def test_invalid_value_is_refused_and_nothing_is_saved(app, people):
    """A percent of 120 is refused at its field; the valid entries of the same post are not saved either."""
    client = signed_in(app, people["officer_a"])
    response = fill_area(client, "ctm", ctm_public_services_electronic={"value": "120"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter a percent between 0 and 100." in page and 'aria-invalid="true"' in page
    assert "Not saved" in page and 'value="120"' in page  # the input is kept for correction
    assert db.session.scalar(db.select(db.func.count(IndicatorValue.id))) == 0


def test_negative_number_and_text_are_refused(app, people):
    """A count cannot be negative or a word."""
    client = signed_in(app, people["officer_a"])
    for text in ("-3", "many"):
        response = post_area(client, "ctm", {"ctm_appeal_response_days": {"value": text}})
        assert response.status_code == 422 and "Enter a number of 0 or more." in response.get_data(as_text=True)
    assert stored("ctm_appeal_response_days") is None


def test_the_form_reads_a_value_as_a_values_file_does(app, people):
    """'1 234,5' is stored as in a bulk upload; '1,234' and '30 %' on a count are refused with the same
    reason as there, then what the field wants; 'n/a' typed as a value points at the tick box."""
    client = signed_in(app, people["officer_a"])
    refused = {"1,234": "is ambiguous: the comma may mark decimals (1.234) or thousands (1234)",
               "30 %": "has a percent sign, but this indicator is measured as",
               "n/a": "Tick “Not applicable to this city” and give the reason"}
    for text, reason in refused.items():
        page = post_area(client, "ctm", {"ctm_appeal_response_days": {"value": text}}).get_data(as_text=True)
        assert reason in html.unescape(page), text
    assert stored("ctm_appeal_response_days") is None
    assert post_area(client, "ctm", {"ctm_appeal_response_days": {"value": "1 234,5"}}).status_code == 302
    assert stored("ctm_appeal_response_days").value == 1234.5


def test_not_applicable_needs_a_reason(app, people):
    """Ticking "not applicable" without a reason is refused; with one it is saved and clears the value."""
    client = signed_in(app, people["officer_a"])
    response = post_area(client, "agr", {"agr_field_maps_gis": {"value": "1", "not_applicable": "y"}})
    assert response.status_code == 422
    assert "Give the reason why this indicator does not apply." in response.get_data(as_text=True)
    response = post_area(client, "agr", {"agr_field_maps_gis": {
        "value": "1", "not_applicable": "y", "na_reason": "No farmland within the city limits"}})
    assert response.status_code == 302
    value = stored("agr_field_maps_gis")
    assert value.not_applicable and value.value is None and value.na_reason == "No farmland within the city limits"


def test_evidence_link_must_be_a_web_address(app, people):
    """Only http(s) links are kept as evidence links (a javascript: link would run in the analyst's page)."""
    client = signed_in(app, people["officer_a"])
    response = post_area(client, "ctm", {"ctm_hotline_109": {"value": "1", "evidence_url": "javascript:alert(1)"}})
    assert response.status_code == 422 and "http:// or https://" in response.get_data(as_text=True)
    response = post_area(client, "ctm", {"ctm_hotline_109": {"value": "1", "evidence_url": "https://gov.kz/109"}})
    assert response.status_code == 302 and stored("ctm_hotline_109").evidence_url == "https://gov.kz/109"


def test_resaving_an_unchanged_page_writes_nothing(app, people):
    """Posting the page back as it was changes no version and records no history."""
    client = signed_in(app, people["officer_a"])
    fill_area(client, "ctm")
    versions = {code: stored(code).version for code in area_codes("ctm")}
    response = post_area(client, "ctm", {})
    assert "Nothing had changed" in client.get(response.location).get_data(as_text=True)
    assert {code: stored(code).version for code in area_codes("ctm")} == versions
    assert db.session.scalar(db.select(db.func.count(IndicatorValueChange.id))) == 8


def test_progress_and_draft_score_come_from_the_scoring_engine(app, people):
    """The area page shows answered / total and the draft area, group and city figures of the engine."""
    client = signed_in(app, people["officer_a"])
    post_area(client, "ctm", {"ctm_public_services_electronic": {"value": "80"}, "ctm_hotline_109": {"value": "1"},
                              "ctm_official_portal": {"value": "0"}})
    page = client.get(area_url("ctm")).get_data(as_text=True)
    from smartcity_survey.models import City
    score = city_score(get_assessment(YEAR), db.session.scalar(db.select(City).where(City.slug == CITY_A)))
    assert score.areas["ctm"].percent == Decimal(180) / 8  # 80 + 100 + 0, unanswered count as 0
    assert '<output data-preview="area-percent">22.5</output>' in page
    assert '<output data-preview="answered">3</output> / 8' in page
    assert f'<output data-preview="group-percent">{float(score.groups["priority"].percent):.1f}</output>' in page
    assert "Draft score" in page and "Not official" in page


def test_preview_endpoint_scores_unsaved_input(app, people):
    """The JSON preview scores what is on the page without saving it."""
    client = signed_in(app, people["officer_a"])
    data = page_form(client.get(area_url("ctm")).get_data(as_text=True))
    data.update(entry_fields("ctm_public_services_electronic", value="40"))
    data.update(entry_fields("ctm_hotline_109", value="1"))
    data.update(entry_fields("ctm_akimat_services_automated", value="300"))  # invalid: left out
    result = client.post(area_url("ctm") + "/preview", data=data).get_json()
    assert result["draft"] is True and result["invalid"] == ["ctm_akimat_services_automated"]
    assert result["area"] == {"code": "ctm", "percent": 17.5, "answered": 2, "total": 8}
    assert result["group"]["code"] == "priority" and result["group"]["percent"] == round(17.5 / 6, 1)
    assert db.session.scalar(db.select(db.func.count(IndicatorValue.id))) == 0


def test_drafts_never_reach_the_public_rating_or_the_api(app, people):
    """Draft and submitted values are left out of the public rating and the API."""
    client = signed_in(app, people["officer_a"])
    fill_area(client, "ctm")
    client.post(area_url("ctm") + "/submit")
    assert stored("ctm_hotline_109").status == "submitted"
    public = app.test_client()
    assert public.get(f"/api/v1/years/{YEAR}/scores").get_json()["cities"] == []
    assert "No city has verified values" in public.get(f"/rating/{YEAR}").get_data(as_text=True)


def test_submitted_values_are_shown_read_only(app, people):
    """Once submitted, an entry is no longer an input on the officer's page."""
    client = signed_in(app, people["officer_a"])
    fill_area(client, "ctm")
    client.post(area_url("ctm") + "/submit")
    page = client.get(area_url("ctm")).get_data(as_text=True)
    assert page_form(page).keys() <= {"csrf_token"} and "Submitted" in page
