"""The per-response measures a report reads (services/measures.py): derived when a response is stored,
and rebuilt from all stored answers by the backfill; both must agree, with the documented mapping."""
from __future__ import annotations

from sqlalchemy import select

from smartcity_survey.extensions import db
from smartcity_survey.models import ResponseMeasure
from smartcity_survey.services.measures import rebuild_all_measures
from smartcity_survey.services.questionnaires import get_questionnaire
from smartcity_survey.services.responses import store_response
from tests.survey_helpers import almaty, shipped  # noqa: F401 (fixture)


def _measures() -> dict[tuple[int, str, str], tuple[float, float | None]]:
    db.session.expire_all()
    return {(m.response_id, m.kind, m.code): (round(m.value, 6), m.weight)
            for m in db.session.scalars(select(ResponseMeasure))}


def test_measures_of_a_stored_response_follow_the_mapping_and_equal_a_rebuild(shipped):
    """Area score = mean of (rating - 1) * 25 over the area's answered ratings, "don't know" left out;
    indicator check = share of its answers rated 4-5. A rebuild from the answers gives the same rows."""
    resident, city = get_questionnaire("resident"), almaty()
    first = store_response(resident, city, {"hlt_records": "5", "hlt_queue": "3", "scy_cameras": "dk",
                                            "scy_alerts": "2", "its_use": "never", "its_traffic": "4"},
                           source="import", respondent_id="m-1", weight=2.5)
    second = store_response(resident, city, {"hlt_records": "1", "hcs_meters": "dk"}, source="web", language="en")
    db.session.commit()
    derived = _measures()
    assert derived == {
        (first, "area", "hlt"): (75.0, 2.5), (first, "area", "scy"): (25.0, 2.5), (first, "area", "its"): (75.0, 2.5),
        (first, "indicator", "hlt_e_health_passport"): (1.0, 2.5),
        (first, "indicator", "hlt_clinic_wait_minutes"): (0.0, 2.5),
        (first, "indicator", "scy_emergency_alerts"): (0.0, 2.5),
        (first, "indicator", "its_adaptive_traffic_lights"): (1.0, 2.5),
        (second, "area", "hlt"): (0.0, None), (second, "indicator", "hlt_e_health_passport"): (0.0, None)}
    rebuild_all_measures(db.session.connection())
    db.session.commit()
    assert _measures() == derived
