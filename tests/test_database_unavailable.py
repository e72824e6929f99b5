"""A database that is restarting, unreachable or locked: a 503 page asking to press the button again,
never a stack trace, and nothing half-stored; pressing the button again then works."""
from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.exc import InterfaceError, OperationalError

from smartcity_survey.models import Response
from tests.survey_helpers import BASE, answer_all, count, grouped, submit  # noqa: F401

RETRY = "please press the button again"


def _lost(*_args, **_kwargs):
    raise OperationalError("INSERT INTO responses ...", {}, sqlite3.OperationalError("database is locked"))


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_submit_during_an_outage_shows_the_retry_page_then_a_retry_stores_once(grouped, client, monkeypatch, error):
    """The final submit hits a lost database: 503 with a Retry-After header and the retry text; the retry stores one."""
    answer_all(client)

    def fail(*_args, **_kwargs):
        raise error("INSERT INTO responses ...", {}, sqlite3.OperationalError("server closed the connection"))

    monkeypatch.setattr("smartcity_survey.survey.views_pages.submit_draft", fail)
    response = submit(client)
    html = response.get_data(as_text=True)
    assert response.status_code == 503 and "Retry-After" in response.headers
    assert RETRY in html and "Traceback" not in html and "INSERT" not in html
    assert count(Response) == 0
    monkeypatch.undo()
    assert submit(client).headers["Location"].endswith("/thanks") and count(Response) == 1


def test_page_that_cannot_even_render_falls_back_to_plain_retry_html(grouped, client, monkeypatch):
    """When rendering the error page needs the database too, a plain HTML retry page still answers 503."""
    monkeypatch.setattr("smartcity_survey.survey.views_start.load_target_and_draft", _lost)
    monkeypatch.setattr("smartcity_survey.render_template", _lost)
    response = client.get(BASE)
    assert response.status_code == 503 and RETRY in response.get_data(as_text=True)


def test_api_outage_answers_json_503(client, monkeypatch):
    """The JSON API says 503 in JSON, not an HTML page."""
    monkeypatch.setattr("flask.Flask.dispatch_request", _lost)
    response = client.get("/api/v1/years")
    assert response.status_code == 503 and response.get_json()["error"]["status"] == 503
