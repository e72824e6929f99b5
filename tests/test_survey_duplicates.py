"""One response per person: double clicks, replayed forms, the back button, concurrent submits, reused
invitation codes, the honeypot, the per-address rate limit, and open mode's answered marker."""
from __future__ import annotations

import threading
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import inspect, text, update

from smartcity_survey.extensions import db
from smartcity_survey.models import Response, ResponseDraft
from smartcity_survey.services.drafts import AlreadySubmitted, submit_draft
from smartcity_survey.services.invitations import generate_invitations
from smartcity_survey.survey.cookies import DRAFTS
from smartcity_survey.survey.pages import QuestionnairePages
from tests.survey_helpers import (BASE, GOOD_PAGES, almaty, answer_all, count, drafts, grouped,  # noqa: F401
                                  invitations, invited, post_page, start, submit)


def _html(response) -> str:
    return response.get_data(as_text=True)


def _copy_cookies(source, target) -> None:
    for name in (DRAFTS, "survey_answered"):
        cookie = source.get_cookie(name, path="/q")
        if cookie is not None:
            target.set_cookie(name, cookie.value, path="/q")


def test_double_click_on_submit_stores_one_response(grouped, client):
    """Two submits of one draft in a row: one response; the second lands on the same thank-you page."""
    answer_all(client)
    first, second = submit(client), submit(client)
    assert first.headers["Location"] == second.headers["Location"] and second.headers["Location"].endswith("/thanks")
    assert count(Response) == 1


def test_replayed_submit_from_another_copy_of_the_browser_stores_nothing(grouped, client, app):
    """The same form posted again later (same cookie, e.g. a restored tab) is recognised as submitted."""
    answer_all(client)
    submit(client)
    replay = app.test_client()
    _copy_cookies(client, replay)
    again = submit(replay)
    assert again.status_code == 303 and again.headers["Location"].endswith("/thanks")
    assert count(Response) == 1


def test_back_button_after_submit_changes_nothing(grouped, client):
    """After submitting, the pages and the review send to the thank-you page, and posting a page
    (the back button's cached form) stores nothing."""
    answer_all(client)
    submit(client)
    for url in (f"{BASE}/s/1", f"{BASE}/review"):
        assert client.get(url).headers["Location"].endswith("/thanks")
    assert post_page(client, 4, GOOD_PAGES[4]).headers["Location"].endswith("/thanks")
    assert drafts()[0].answers == {} and count(Response) == 1


def test_a_draft_claimed_by_a_concurrent_submit_stores_nothing(grouped, client):
    """The guard itself: when a twin request has claimed the draft between our reading and claiming it,
    the conditional UPDATE changes no row, AlreadySubmitted is raised, and no response is stored."""
    answer_all(client)
    draft = drafts()[0]
    pages = QuestionnairePages(draft.questionnaire.to_definition())
    with db.engine.begin() as twin:  # another connection, committing first
        twin.execute(update(ResponseDraft).where(ResponseDraft.id == draft.id)
                     .values(submitted_at=datetime.now(timezone.utc)))
    with pytest.raises(AlreadySubmitted):
        submit_draft(draft, pages.known(draft.answers), language="en")
    db.session.rollback()
    assert count(Response) == 0


def test_concurrent_submits_of_one_draft_store_one_response(grouped, client, app):
    """Four browsers holding the same draft submit at the same moment: exactly one response."""
    answer_all(client)
    clients = [app.test_client() for _ in range(4)]
    for other in clients:
        _copy_cookies(client, other)
    barrier = threading.Barrier(len(clients))
    results: list[int] = []

    def go(other):
        barrier.wait()
        results.append(submit(other).status_code)

    threads = [threading.Thread(target=go, args=(other,)) for other in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert results == [303] * 4 and count(Response) == 1


def test_start_twice_keeps_one_draft(grouped, client):
    """A double click on Start goes on with the first draft instead of making another."""
    start(client)
    post_page(client, 1, {"uses_app": "no"}, action="save")
    again = start(client)
    assert again.headers["Location"].endswith(f"{BASE}/s/1") and len(drafts()) == 1


def test_reused_invitation_code_is_refused(invited, client, app):
    """Two people holding one code both start; the first submit uses it, the second stores nothing,
    and the code cannot start a new draft any more."""
    [code] = generate_invitations(invited, almaty(), 1)
    db.session.commit()
    other = app.test_client()
    for browser in (client, other):
        start(browser, code=code)
        for number, data in GOOD_PAGES.items():
            post_page(browser, number, data)
    assert submit(client).headers["Location"].endswith("/thanks")
    refused = submit(other)
    assert refused.status_code == 409 and "This code has already been used." in _html(refused)
    assert count(Response) == 1 and invitations()[0].used_on is not None
    third = app.test_client().post(f"{BASE}/start", data={"code": code})
    assert third.status_code == 200 and "This code has already been used." in _html(third)


def test_invitation_mode_lets_a_second_code_answer_on_the_same_browser(invited, client):
    """A shared family computer: after one code's submit, another code starts a new draft there."""
    first, second = generate_invitations(invited, almaty(), 2)
    db.session.commit()
    for code in (first, second):
        start(client, code=code)
        for number, data in GOOD_PAGES.items():
            post_page(client, number, data)
        assert submit(client).headers["Location"].endswith("/thanks")
    assert count(Response) == 2 and all(i.used_on is not None for i in invitations())


def test_a_draft_without_code_cannot_submit_once_invitations_are_required(grouped, client):
    """Switching to invitation mode mid-way: a draft started without a code stores nothing."""
    from smartcity_survey.services.answerable import set_access_mode

    answer_all(client)
    set_access_mode("grouped", "invitation")
    db.session.commit()
    refused = submit(client)
    assert refused.status_code == 409 and "by invitation only" in _html(refused)
    assert count(Response) == 0 and not drafts()[0].is_submitted


def test_honeypot_filled_pretends_success_and_stores_nothing(grouped, client):
    """A filled honeypot field gets the thank-you page, but nothing is stored and the draft stays open."""
    answer_all(client)
    caught = submit(client, website="http://spam.example")
    assert caught.status_code == 303 and caught.headers["Location"].endswith("/thanks")
    assert count(Response) == 0 and not drafts()[0].is_submitted
    assert submit(client, website="").headers["Location"].endswith("/thanks") and count(Response) == 1


def test_honeypot_is_hidden_from_people(grouped, client):
    """The honeypot is off-screen by CSS class, out of the tab order, not autofilled, not announced."""
    answer_all(client)
    html = _html(client.get(f"{BASE}/review"))
    assert '<div class="hp-field" aria-hidden="true">' in html
    assert '<input type="text" id="website" name="website" value="" autocomplete="off" tabindex="-1">' in html
    assert "style=" not in html


def test_submits_are_rate_limited_per_address(grouped, client, app):
    """More submits from one address than SURVEY_SUBMIT_LIMIT answer 429; another address is not affected."""
    app.config["SURVEY_SUBMIT_LIMIT"] = "2 per hour"
    answer_all(client)
    statuses = [submit(client).status_code for _ in range(3)]
    assert statuses == [303, 303, 429]
    elsewhere = client.post(f"{BASE}/submit", environ_base={"REMOTE_ADDR": "198.51.100.9"})
    assert elsewhere.status_code == 303


def test_open_mode_marker_refuses_a_second_response_from_the_browser(grouped, client, app):
    """After a submit the browser carries a signed marker: the landing page says it has answered, and a
    different draft's submit from that browser is refused without storing anything."""
    answer_all(client)
    submit(client)
    assert "You have already answered" in _html(client.get(f"{BASE}?lang=en"))
    fresh = app.test_client()  # a new draft in another browser, then the marker copied over
    answer_all(fresh)
    fresh.set_cookie("survey_answered", client.get_cookie("survey_answered", path="/q").value, path="/q")
    refused = submit(fresh)
    assert refused.status_code == 409 and count(Response) == 1
    assert fresh.post(f"{BASE}/start").status_code == 200  # the already-answered page, no new draft


def test_marker_is_per_questionnaire_and_city(grouped, client):
    """Having answered in Almaty does not stop answering the same questionnaire for Astana."""
    answer_all(client)
    submit(client)
    astana = "/q/grouped/astana"
    assert "You have already answered" not in _html(client.get(f"{astana}?lang=en"))
    answer_all(client, base=astana)
    assert submit(client, astana).headers["Location"].endswith("/thanks") and count(Response) == 2


def test_no_address_is_stored_anywhere(grouped, client):
    """A whole answer from a known address leaves that address in no table."""
    address = "203.0.113.77"
    client.environ_base["REMOTE_ADDR"] = address
    answer_all(client)
    submit(client)
    assert count(Response) == 1
    for table in inspect(db.engine).get_table_names():
        rows = db.session.execute(text(f'SELECT * FROM "{table}"')).all()
        assert address not in repr(rows), table


def test_nothing_links_a_response_to_its_draft_or_code(invited, client):
    """After submit the draft keeps neither answers nor code, no table has a response_id pointing back,
    and the invitation records only the day it was used."""
    [code] = generate_invitations(invited, almaty(), 1)
    db.session.commit()
    start(client, code=code)
    for number, data in GOOD_PAGES.items():
        post_page(client, number, data)
    submit(client)
    draft = drafts()[0]
    assert draft.is_submitted and draft.invitation_id is None and draft.answers == {}
    for table in ("invitations", "response_drafts"):
        assert "response_id" not in {c["name"] for c in inspect(db.engine).get_columns(table)}
    assert type(invitations()[0].used_on) is date and count(Response) == 1
