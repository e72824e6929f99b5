"""A NUL character in any form field or query argument is refused with 400 naming the field, before
anything is read or stored (PostgreSQL's text columns cannot hold it; SQLite would, so both agree)."""
from __future__ import annotations

from sqlalchemy import func, select

from smartcity_survey.extensions import db
from smartcity_survey.models import IndicatorValue, ResponseDraft
from tests.helpers_assessments import post_area, signed_in
from tests.survey_helpers import BASE, grouped, post_page, start  # noqa: F401 (fixture)


def test_an_area_form_with_a_nul_stores_nothing(app, people):
    """The officer's form: 400 that names the field; no value saved."""
    client = signed_in(app, people["officer_a"])
    before = db.session.scalar(select(func.count(IndicatorValue.id)))
    response = post_area(client, "ctm", {"ctm_hotline_109": {"value": "1", "evidence_note": "see\x00here"}})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "contains a NUL character" in html and "evidence_note" in html
    assert db.session.scalar(select(func.count(IndicatorValue.id))) == before


def test_a_questionnaire_page_with_a_nul_keeps_the_draft(grouped, client):
    """A respondent's page: refused, and the draft keeps what it had."""
    start(client)
    assert post_page(client, 1, {"uses_app": "yes", "app_rating": "4"}, action="save").status_code == 303
    saved = dict(db.session.scalars(select(ResponseDraft)).one().answers)
    db.session.remove()
    response = post_page(client, 1, {"uses_app": "no", "household": "3\x00"})
    assert response.status_code == 400 and "household" in response.get_data(as_text=True)
    assert db.session.scalars(select(ResponseDraft)).one().answers == saved


def test_the_api_says_it_in_json(seeded, client):
    response = client.get("/api/v1/years/2019/scores?city=a%00b")
    assert response.status_code == 400 and response.is_json
    assert "NUL" in response.get_json()["error"]["message"]


def test_ordinary_text_passes(grouped, client):
    """Tabs, newlines and any script pass the guard; only NUL is refused."""
    start(client)
    assert post_page(client, 1, {"uses_app": "no", "household": "3"}).status_code == 303
    assert client.get(f"{BASE}/s/1?note=%D0%90%09b%0Ac").status_code == 200
