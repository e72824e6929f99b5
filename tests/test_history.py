"""The history of a value: every edit and workflow step, who, when, old -> new, and never editable."""
import io

import pytest

from smartcity_survey.extensions import db
from smartcity_survey.models import AdminAction, ImmutableRecord, IndicatorValueChange, User
from smartcity_survey.services.accounts import set_active
from smartcity_survey.services.history import Actor
from tests.helpers_assessments import area_url, fill_area, post_area, signed_in, stored


def trail(code: str) -> list[IndicatorValueChange]:
    """Oldest first."""
    return list(db.session.scalars(db.select(IndicatorValueChange).where(
        IndicatorValueChange.value_id == stored(code).id).order_by(IndicatorValueChange.id)))


def history_url(code: str) -> str:
    return f"/assessments/2020/almaty/indicators/{code}/history"


def test_every_step_is_recorded_with_actor_values_statuses_and_comment(app, people):
    """Create, edit, submit, return (with comment), verify: each leaves one row with old -> new."""
    officer = signed_in(app, people["officer_a"])
    fill_area(officer, "ctm", ctm_hotline_109={"value": "0", "evidence_note": "Order 12"})
    post_area(officer, "ctm", {"ctm_hotline_109": {"value": "1"}})
    officer.post(area_url("ctm") + "/submit")
    analyst = signed_in(app, people["analyst"])
    analyst.post(area_url("ctm") + "/return", data={"return-comment": "Attach the order"})
    officer.post(area_url("ctm") + "/submit")
    analyst.post(area_url("ctm") + "/verify")
    rows = [(c.kind, c.actor, c.old_value, c.new_value, c.old_status, c.new_status, c.comment)
            for c in trail("ctm_hotline_109")]
    officer_mail, analyst_mail = people["officer_a"], people["analyst"]
    assert rows == [
        ("edit", officer_mail, None, 0.0, None, "draft", ""),
        ("edit", officer_mail, 0.0, 1.0, "draft", "draft", ""),
        ("submit", officer_mail, 1.0, 1.0, "draft", "submitted", ""),
        ("return", analyst_mail, 1.0, 1.0, "submitted", "returned", "Attach the order"),
        ("submit", officer_mail, 1.0, 1.0, "returned", "submitted", ""),
        ("verify", analyst_mail, 1.0, 1.0, "submitted", "verified", ""),
    ]
    assert trail("ctm_hotline_109")[0].fields == ["evidence_note"]


def test_history_page_shows_the_trail_newest_first(app, people):
    """The page lists who did what, old -> new, with the comment, in the viewer's language for labels."""
    officer = signed_in(app, people["officer_a"])
    post_area(officer, "ctm", {"ctm_public_services_electronic": {"value": "40"}})
    post_area(officer, "ctm", {"ctm_public_services_electronic": {"value": "55.5"}})
    page = signed_in(app, people["analyst"]).get(history_url("ctm_public_services_electronic")).get_data(as_text=True)
    rows = page.split("<tbody>", 1)[1].split("</tr>")[:2]
    assert "40 % → 55.5 %" in rows[0] and "→" not in rows[1] and "40 %" in rows[1]  # newest first
    assert people["officer_a"] in page and "cannot be edited" in page
    assert "<form" not in page.split("<main", 1)[1]  # nothing on the page writes


def test_na_and_evidence_file_changes_are_named(app, people):
    """Marking n/a and adding a file are visible in the trail."""
    officer = signed_in(app, people["officer_a"])
    post_area(officer, "agr", {"agr_field_maps_gis": {"not_applicable": "y", "na_reason": "No farmland",
                                                      "evidence_file": (io.BytesIO(b"%PDF-1.4"), "map.pdf")}})
    [change] = trail("agr_field_maps_gis")
    assert change.new_not_applicable is True and change.fields == ["na_reason", "evidence_file"]
    assert change.detail == "map.pdf"
    page = officer.get(history_url("agr_field_maps_gis")).get_data(as_text=True)
    assert "not applicable" in page and "evidence file added" in page and "map.pdf" in page


def test_the_trail_cannot_be_changed_even_in_code(app, people):
    """Updating or deleting a history or admin-log row raises; the rows stay."""
    officer = signed_in(app, people["officer_a"])
    post_area(officer, "ctm", {"ctm_hotline_109": {"value": "1"}})
    [change] = trail("ctm_hotline_109")
    change.comment = "rewritten"
    with pytest.raises(ImmutableRecord):
        db.session.flush()
    db.session.rollback()
    db.session.delete(trail("ctm_hotline_109")[0])
    with pytest.raises(ImmutableRecord):
        db.session.flush()
    db.session.rollback()
    target = db.session.scalar(db.select(User).where(User.email == people["officer_b"]))
    set_active(Actor("admin@gov.kz"), target, False)
    db.session.commit()
    entry = db.session.scalar(db.select(AdminAction))
    entry.detail = "nothing happened"
    with pytest.raises(ImmutableRecord):
        db.session.flush()
    db.session.rollback()
    assert trail("ctm_hotline_109")[0].comment == ""


def test_the_ministry_import_is_recorded_as_import(seeded, runner, tmp_path):
    """`flask indicators import` writes verified values and an "import:<file>" row per changed value."""
    path = tmp_path / "values.csv"
    path.write_text("city,indicator,value,evidence\nalmaty,ctm_hotline_109,yes,Decree 5\n"
                    "almaty,agr_field_maps_gis,n/a,No farmland\n", encoding="utf-8")
    result = runner.invoke(args=["indicators", "import", str(path), "--year", "2020"])
    assert result.exit_code == 0, result.output
    [change] = trail("ctm_hotline_109")
    assert (change.kind, change.actor, change.new_value, change.new_status) == ("import", "import:values.csv",
                                                                                1.0, "verified")
    assert runner.invoke(args=["indicators", "import", str(path), "--year", "2020"]).exit_code == 0
    assert len(trail("ctm_hotline_109")) == 1  # an unchanged re-import records nothing
    assert trail("agr_field_maps_gis")[0].new_not_applicable is True
