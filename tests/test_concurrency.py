"""Two officers saving the same indicator: the later save against a stale version is refused, clearly,
and nothing is silently overwritten. Different indicators of one page never collide."""
from sqlalchemy import text

from smartcity_survey.extensions import db
from smartcity_survey.services import assessments
from tests.helpers_assessments import area_url, indicator, page_form, post_area, signed_in, stored


def two_officers_on_one_page(app, people):
    first, second = signed_in(app, people["officer_a"]), signed_in(app, people["officer_a2"])
    post_area(first, "ctm", {"ctm_hotline_109": {"value": "1"}})
    return first, second, second.get(area_url("ctm")).get_data(as_text=True)


def test_the_later_save_of_the_same_indicator_is_refused(app, people):
    """The second officer's stale save answers 409 naming the indicator; the first value stays."""
    first, second, stale = two_officers_on_one_page(app, people)
    assert post_area(first, "ctm", {"ctm_hotline_109": {"value": "0"}}).status_code == 302
    response = post_area(second, "ctm", {"ctm_hotline_109": {"value": "1", "evidence_note": "Mine"}}, page=stale)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Not saved" in page and "109 hotline / citizen service centre" in page and "Nothing was overwritten" in page
    assert f"Saved meanwhile by {people['officer_a']}: no" in page
    value = stored("ctm_hotline_109")
    assert value.value == 0.0 and value.evidence_note == "" and value.updated_by == people["officer_a"]
    kept = page_form(page)  # the second officer's input is still on the page
    assert kept[f"i{indicator('ctm_hotline_109').id}-evidence_note"] == "Mine"


def test_saving_again_after_the_refusal_is_a_deliberate_overwrite(app, people):
    """The refused page now carries the current version: saving it again replaces the value, recorded."""
    first, second, stale = two_officers_on_one_page(app, people)
    post_area(first, "ctm", {"ctm_hotline_109": {"value": "0"}})
    refused = post_area(second, "ctm", {"ctm_hotline_109": {"evidence_note": "Order 7"}}, page=stale)
    assert refused.status_code == 409
    assert post_area(second, "ctm", {}, page=refused.get_data(as_text=True)).status_code == 302
    value = stored("ctm_hotline_109")
    assert (value.value, value.evidence_note, value.updated_by) == (1.0, "Order 7", people["officer_a2"])


def test_different_indicators_of_one_page_do_not_collide(app, people):
    """Untouched entries of a stale page are skipped, so each officer's own change is kept."""
    first, second, stale = two_officers_on_one_page(app, people)
    post_area(first, "ctm", {"ctm_hotline_109": {"value": "0"}})
    assert post_area(second, "ctm", {"ctm_official_portal": {"value": "1"}}, page=stale).status_code == 302
    assert stored("ctm_hotline_109").value == 0.0 and stored("ctm_official_portal").value == 1.0


def test_a_save_racing_past_the_check_is_caught_by_the_version_column(app, people, monkeypatch):
    """If another save lands between the check and the write, StaleDataError refuses it the same way."""
    _, second, page = two_officers_on_one_page(app, people)
    original = assessments._write_entry

    def write_after_someone_else(record, *args):
        with db.engine.begin() as other:  # another request commits first
            other.execute(text("UPDATE indicator_values SET value = 0, version = version + 1 WHERE id = :id"),
                          {"id": record.id})
        return original(record, *args)

    monkeypatch.setattr(assessments, "_write_entry", write_after_someone_else)
    response = post_area(second, "ctm", {"ctm_hotline_109": {"value": "1", "evidence_note": "late"}}, page=page)
    assert response.status_code == 409 and "109 hotline" in response.get_data(as_text=True)
    value = stored("ctm_hotline_109")
    assert value.value == 0.0 and value.evidence_note == ""


def test_two_first_saves_of_a_new_value_do_not_both_insert(app, people, monkeypatch):
    """When both create the value at once, the unique key refuses the second insert, shown as a conflict."""
    first, second = signed_in(app, people["officer_a"]), signed_in(app, people["officer_a2"])
    page = second.get(area_url("ctm")).get_data(as_text=True)
    post_area(first, "ctm", {"ctm_hotline_109": {"value": "0"}})
    original, calls = assessments.values_for, []

    def not_yet_seen(*args, **kwargs):  # the second save read before the first one committed
        calls.append(1)
        return {} if len(calls) == 1 else original(*args, **kwargs)

    monkeypatch.setattr(assessments, "values_for", not_yet_seen)
    response = post_area(second, "ctm", {"ctm_hotline_109": {"value": "1"}}, page=page)
    assert response.status_code == 409 and "109 hotline" in response.get_data(as_text=True)
    assert stored("ctm_hotline_109").value == 0.0 and stored("ctm_hotline_109").version == 1
