"""Closed questionnaires and cities: a friendly 410 page, never a crash, and no draft can be submitted."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from smartcity_survey.extensions import db
from smartcity_survey.models import Response
from smartcity_survey.services.questionnaires import close_questionnaire
from tests.survey_helpers import BASE, answer_all, count, drafts, grouped, post_page, start, submit  # noqa: F401


def _html(response) -> str:
    return response.get_data(as_text=True)


def _close(cities: list[str] | None = None) -> None:
    close_questionnaire("grouped", cities)
    db.session.commit()


def test_closed_questionnaire_link_shows_a_friendly_gone_page(grouped, client):
    """The public link of a closed questionnaire answers 410 with an explanation, not an error page."""
    _close()
    response = client.get(f"{BASE}?lang=en")
    assert response.status_code == 410 and "This questionnaire is closed" in _html(response)
    assert "City app survey · Almaty" in _html(response)


def test_a_closed_city_refuses_while_other_cities_go_on(grouped, client):
    """Closing Almaty only: Almaty's link is gone, Astana's still starts."""
    _close(["almaty"])
    assert client.get(BASE).status_code == 410
    assert client.get("/q/grouped/astana").status_code == 200


def test_a_draft_cannot_be_submitted_after_closing(grouped, client):
    """A respondent mid-way when the questionnaire closes: pages, review and submit answer 410, nothing stored."""
    answer_all(client)
    _close()
    assert client.get(f"{BASE}/s/2").status_code == 410
    assert client.get(f"{BASE}/review").status_code == 410
    assert post_page(client, 2, {"wifi": "3"}).status_code == 410
    refused = submit(client)
    assert refused.status_code == 410 and "This questionnaire is closed" in _html(refused)
    assert count(Response) == 0 and not drafts()[0].is_submitted


def test_a_closed_city_refuses_the_submit_of_its_drafts(grouped, client):
    """Closing only the draft's city is enough to refuse its submit."""
    answer_all(client)
    _close(["almaty"])
    assert submit(client).status_code == 410 and count(Response) == 0


def test_past_closing_time_refuses_answers(grouped, client):
    """After closes_at the link is gone even while the status still says open."""
    start(client)
    grouped.closes_at = datetime.now(timezone.utc) - timedelta(minutes=1)
    db.session.commit()
    assert client.get(BASE).status_code == 410
    assert client.post(f"{BASE}/start").status_code == 410
    assert submit(client).status_code == 410


def test_not_yet_open_refuses_answers(grouped, client):
    """Before opens_at the link says closed too."""
    grouped.opens_at = datetime.now(timezone.utc) + timedelta(days=1)
    db.session.commit()
    assert client.get(BASE).status_code == 410


def test_a_submitted_draft_replayed_after_closing_still_says_thank_you(grouped, client):
    """Idempotency outlives the questionnaire: a replay after closing shows the thank-you page."""
    answer_all(client)
    submit(client)
    _close()
    replay = submit(client)
    assert replay.status_code == 303 and replay.headers["Location"].endswith("/thanks")
    assert count(Response) == 1


def test_closed_questionnaires_leave_the_picker(grouped, client):
    """The picker lists only what takes answers now."""
    _close(["almaty"])
    html = _html(client.get("/q/?lang=en"))
    assert 'href="/q/grouped/astana"' in html and 'href="/q/grouped/almaty"' not in html


def test_a_closed_version_keeps_its_link_while_the_next_is_drafted(grouped, client):
    """Version 1 closed and version 2 still a draft: the link says closed (not 404); once version 2 opens
    the same link starts it, and version 1's drafts are not picked up."""
    from smartcity_survey.services.questionnaires import new_version, open_questionnaire

    start(client)
    _close()
    new_version(grouped)
    db.session.commit()
    assert client.get(BASE).status_code == 410
    open_questionnaire("grouped", ["almaty"])
    db.session.commit()
    html = _html(client.get(f"{BASE}?lang=en"))
    assert "Continue where you left off" not in html and f'action="{BASE}/start"' in html
