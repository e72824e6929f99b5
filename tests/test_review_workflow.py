"""Submit, verify, return, resubmit, reopen: statuses move only along the workflow."""
from smartcity_survey.extensions import db
from smartcity_survey.models import AdminAction, IndicatorValue
from tests.helpers_assessments import (
    CITY_A, YEAR, area_codes, area_url, fill_area, indicator, post_area, signed_in, stored)


def statuses(area: str) -> set[str]:
    return {stored(code).status for code in area_codes(area)}


def flashed(client, response) -> str:
    return client.get(response.location).get_data(as_text=True)


def submitted_area(app, people, area="ctm"):
    officer = signed_in(app, people["officer_a"])
    fill_area(officer, area)
    assert officer.post(area_url(area) + "/submit").status_code == 302
    return officer


def test_an_incomplete_area_cannot_be_submitted(app, people):
    """Submitting names the unanswered indicators and changes nothing."""
    officer = signed_in(app, people["officer_a"])
    post_area(officer, "ctm", {"ctm_hotline_109": {"value": "1"}})
    page = flashed(officer, officer.post(area_url("ctm") + "/submit"))
    assert "Answer every indicator of this area before submitting it" in page and "ctm_official_portal" in page
    assert stored("ctm_hotline_109").status == "draft"


def test_submitting_locks_the_area_for_the_officer(app, people):
    """Submitted values are not offered for editing; a value posted for them anyway is ignored."""
    officer = submitted_area(app, people)
    assert statuses("ctm") == {"submitted"}
    response = post_area(officer, "ctm", {"ctm_hotline_109": {"value": "0"}})
    assert "Nothing had changed" in flashed(officer, response)
    assert stored("ctm_hotline_109").value == 1.0 and stored("ctm_hotline_109").status == "submitted"


def test_a_stale_page_cannot_change_a_value_submitted_meanwhile(app, people):
    """A page loaded before the submission cannot change the value afterwards."""
    officer = signed_in(app, people["officer_a"])
    fill_area(officer, "ctm")
    page = officer.get(area_url("ctm")).get_data(as_text=True)
    officer.post(area_url("ctm") + "/submit")
    response = post_area(officer, "ctm", {"ctm_hotline_109": {"value": "0"}}, page=page)
    assert response.status_code == 409 and "Nothing was overwritten" in response.get_data(as_text=True)
    assert stored("ctm_hotline_109").value == 1.0 and stored("ctm_hotline_109").status == "submitted"


def test_analyst_verifies_and_the_public_rating_follows(app, people):
    """Verified values are locked and the city appears in the public rating and the API."""
    submitted_area(app, people)
    analyst = signed_in(app, people["analyst"])
    assert "ctm" in analyst.get("/assessments/review").get_data(as_text=True)
    response = analyst.post(area_url("ctm") + "/verify")
    assert "Verified: 8 values" in flashed(analyst, response)
    assert statuses("ctm") == {"verified"}
    api = app.test_client().get(f"/api/v1/years/{YEAR}/cities/{CITY_A}/scores").get_json()
    assert api["areas"]["ctm"]["percent"] == 87.5  # (50 + 50 + five yes + 5 days on a 5-day target) / 8
    assert "Nothing is awaiting review" in analyst.get("/assessments/review").get_data(as_text=True)


def test_analyst_returns_with_a_comment_and_the_officer_fixes_it(app, people):
    """Return -> the officer sees the comment and can edit; resubmit -> submitted again."""
    officer = submitted_area(app, people)
    analyst = signed_in(app, people["analyst"])
    response = analyst.post(area_url("ctm") + "/return", data={
        "return-indicators": [str(indicator("ctm_hotline_109").id)], "return-comment": "Which contact centre?"})
    assert "Returned to the akimat: 1 values" in flashed(analyst, response)
    assert stored("ctm_hotline_109").status == "returned" and stored("ctm_official_portal").status == "submitted"
    page = officer.get(area_url("ctm")).get_data(as_text=True)
    assert "Which contact centre?" in page and "analyst@gov.kz" in page
    assert post_area(officer, "ctm", {"ctm_hotline_109": {"value": "0"}}).status_code == 302
    assert stored("ctm_hotline_109").status == "returned"  # edited, still awaiting resubmission
    officer.post(area_url("ctm") + "/submit")
    assert statuses("ctm") == {"submitted"} and stored("ctm_hotline_109").value == 0.0


def test_returning_needs_a_comment(app, people):
    """A return without a comment is refused and changes nothing."""
    submitted_area(app, people)
    analyst = signed_in(app, people["analyst"])
    page = flashed(analyst, analyst.post(area_url("ctm") + "/return", data={"return-comment": "  "}))
    assert "a comment is required" in page and statuses("ctm") == {"submitted"}


def test_returning_without_a_choice_returns_the_whole_area(app, people):
    """No indicator ticked: every submitted value of the area goes back."""
    submitted_area(app, people)
    analyst = signed_in(app, people["analyst"])
    analyst.post(area_url("ctm") + "/return", data={"return-comment": "Evidence is missing everywhere"})
    assert statuses("ctm") == {"returned"}


def test_verified_values_change_only_when_an_admin_reopens_them(app, people):
    """Officers cannot edit verified values; analysts cannot reopen; an admin's reopen is logged."""
    officer = submitted_area(app, people)
    signed_in(app, people["analyst"]).post(area_url("ctm") + "/verify")
    assert officer.post(area_url("ctm") + "/submit").status_code == 302
    assert statuses("ctm") == {"verified"}
    assert signed_in(app, people["analyst"]).post(area_url("ctm") + "/reopen",
                                                  data={"reopen-comment": "x"}).status_code == 403
    admin = signed_in(app, people["admin"])
    response = admin.post(area_url("ctm") + "/reopen", data={
        "reopen-indicators": [str(indicator("ctm_official_portal").id)], "reopen-comment": "Court ruling"})
    assert "Reopened: 1 values" in flashed(admin, response)
    assert stored("ctm_official_portal").status == "returned" and stored("ctm_hotline_109").status == "verified"
    log = db.session.scalars(db.select(AdminAction)).all()
    assert [a.action for a in log] == ["values_reopen"] and "ctm_official_portal" in log[0].detail
    assert "Court ruling" in officer.get(area_url("ctm")).get_data(as_text=True)


def test_verify_needs_something_submitted(app, people):
    """Verifying an area with nothing submitted is refused with a message."""
    officer = signed_in(app, people["officer_a"])
    fill_area(officer, "ctm")
    analyst = signed_in(app, people["analyst"])
    assert "Nothing in this area is awaiting review" in flashed(analyst, analyst.post(area_url("ctm") + "/verify"))
    assert statuses("ctm") == {"draft"}


def test_a_handed_in_area_offers_no_save_or_submit(app, people):
    """Once every value of an area is submitted, its page says it is with the analysts instead of
    offering buttons that could only answer "nothing had changed"; other areas keep theirs."""
    officer = submitted_area(app, people)
    page = officer.get(area_url("ctm")).get_data(as_text=True)
    assert "Every value of this area is with the analysts" in page
    assert "Save draft" not in page and "Submit this area for review" not in page
    other = officer.get(area_url("hlt")).get_data(as_text=True)
    assert "Save draft" in other and "Submit this area for review" in other
    overview = officer.get(f"/assessments/{YEAR}/{CITY_A}/").get_data(as_text=True)
    assert "Submit the whole form for review" in overview and "Every area is with the analysts" not in overview


def test_the_whole_form_is_submitted_only_when_complete(app, people):
    """Whole-form submission lists incomplete areas; once all are answered, everything is submitted."""
    officer = signed_in(app, people["officer_a"])
    fill_area(officer, "ctm")
    page = flashed(officer, officer.post(f"/assessments/{YEAR}/{CITY_A}/submit"))
    assert "Areas with unanswered indicators" in page and "hlt (7)" in page
    assert statuses("ctm") == {"draft"}
    for area in ("hlt", "edu", "scy", "hcs", "its", "soc", "eco", "btd", "bld", "agr", "ict"):
        assert fill_area(officer, area).status_code == 302
    page = flashed(officer, officer.post(f"/assessments/{YEAR}/{CITY_A}/submit"))
    assert "The whole form is submitted for review: 75 values" in page
    assert db.session.scalar(db.select(db.func.count(IndicatorValue.id))
                             .where(IndicatorValue.status == "submitted")) == 75
    assert "Every area is with the analysts" in page and "Submit the whole form for review" not in page


def test_reviewers_board_counts_statuses(app, people):
    """The analysts' overview lists every city with its values per status."""
    submitted_area(app, people)
    page = signed_in(app, people["analyst"]).get("/assessments/").get_data(as_text=True)
    assert "Almaty" in page and "Shymkent" in page and "<td>8</td>" in page
