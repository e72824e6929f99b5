"""Response counts by questionnaire, city and UTC day (services.response_stats and the admin page)."""
from __future__ import annotations

import json
import re
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import text

from smartcity_survey.extensions import db
from smartcity_survey.services.response_stats import counts_by_city, counts_by_day, counts_by_questionnaire
from smartcity_survey.services.responses import store_response
from tests.helpers_assessments import signed_in
from tests.helpers_questionnaires import IDEAS_FORM, add_questionnaire, city

#: (city, moment): two UTC days, with answers one second either side of midnight UTC
SUBMITTED = [("almaty", datetime(2025, 3, 1, 10, 0, tzinfo=timezone.utc)),
             ("almaty", datetime(2025, 3, 1, 23, 59, 59, tzinfo=timezone.utc)),
             ("almaty", datetime(2025, 3, 2, 0, 0, 1, tzinfo=timezone.utc)),
             ("astana", datetime(2025, 3, 2, 18, 0, tzinfo=timezone.utc))]


@pytest.fixture
def counted(people):
    """'small' open in Almaty, Astana and Shymkent with the SUBMITTED responses; 'ideas', a draft, has none."""
    questionnaire = add_questionnaire(open_in=["almaty", "astana", "shymkent"])
    for slug, moment in SUBMITTED:
        store_response(questionnaire, city(slug), {"booked": "no"}, source="web", now=moment)
    add_questionnaire(IDEAS_FORM)
    db.session.commit()
    return questionnaire


def test_counts_group_by_utc_day_and_city(counted):
    """Days are UTC days, even when the database session runs in another time zone."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET TIME ZONE 'Asia/Almaty'"))  # UTC+5: a local day would move answers
    assert counts_by_day(counted) == [(date(2025, 3, 1), 2), (date(2025, 3, 2), 2)]
    assert counts_by_day(counted, city("almaty")) == [(date(2025, 3, 1), 2), (date(2025, 3, 2), 1)]
    assert counts_by_day(counted, city("shymkent")) == []
    assert [(row.city.slug, row.responses, row.is_open) for row in counts_by_city(counted)] == \
        [("almaty", 3, True), ("astana", 1, True), ("shymkent", 0, True)]
    assert counts_by_questionnaire() == {counted.id: 4}


def test_page_shows_the_same_numbers_in_table_and_chart(app, people, counted):
    """The table and the chart's data attributes carry the same days and counts; ?city= narrows the days."""
    admin = signed_in(app, people["admin"])
    page = admin.get("/admin/questionnaires/small/1/responses").get_data(as_text=True)
    table = page[page.index('id="responses-by-day"'):]
    assert re.findall(r'<th scope="row">([\d-]+)</th><td>(\d+)</td>', table) == \
        [("2025-03-01", "2"), ("2025-03-02", "2")]
    labels = json.loads(re.search(r'data-labels="([^"]*)"', page)[1].replace("&#34;", '"'))
    values = json.loads(re.search(r'data-values="([^"]*)"', page)[1])
    assert (labels, values) == (["2025-03-01", "2025-03-02"], [2, 2])
    assert "js/responses-chart.js" in page and "<script>" not in page
    by_city = page[page.index('id="city-heading"'):page.index('id="day-heading"')]
    assert re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td>', by_city) == \
        [("Almaty", "3"), ("Astana", "1"), ("Shymkent", "0"), ("All cities", "4")]
    astana = admin.get("/admin/questionnaires/small/1/responses?city=astana").get_data(as_text=True)
    assert re.findall(r'<th scope="row">([\d-]+)</th><td>(\d+)</td>', astana) == [("2025-03-02", "1")]
    assert admin.get("/admin/questionnaires/small/1/responses?city=atlantis").status_code == 404
