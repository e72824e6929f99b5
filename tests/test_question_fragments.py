"""Answering pages serve each question's HTML from a per-worker store (survey/fragments.py). Whatever
that store holds, every respondent must get exactly the page a fresh render would give them, and what
people type must never be kept."""
from __future__ import annotations

import re

from tests.survey_helpers import BASE, GOOD_PAGES, grouped, post_page, start  # noqa: F401 (fixture)

STORE = "smartcity_cache:question_fragments"


def _page(client, number: int, query: str = "") -> str:
    html = client.get(f"{BASE}/s/{number}{query}").get_data(as_text=True)
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token"', html)  # signed anew now and then


def _kept(app) -> dict:
    store = app.extensions.get(STORE)
    return {} if store is None else dict(store._entries)


def _respondent(app, page_one: dict, page_two: dict | None = None):
    client = app.test_client()
    start(client)
    post_page(client, 1, page_one, action="save")
    if page_two is not None:
        post_page(client, 2, page_two, action="save")
    return client


def test_a_kept_page_is_the_page_a_fresh_render_gives(app, grouped):
    """Respondents in different states, languages and with errors shown: each page, served from a warm
    store, equals the same page rendered with the store emptied."""
    respondents = [
        _respondent(app, {"uses_app": "yes", "app_rating": "4"}, {"used": ["hlt", "its"], "transport": "2"}),
        _respondent(app, {"uses_app": "no"}, {"used": ["edu"], "wifi": "dk"}),
        _respondent(app, {"uses_app": "yes"}, {"used": ["its"]}),  # app_rating and transport missing: errors
        _respondent(app, {}),
    ]
    views = [(number, query) for number in (1, 2) for query in ("?lang=en", "?lang=en&check=1", "?lang=ru&check=1", "?lang=kk")]
    pages = [(n, view) for n in range(len(respondents)) for view in views]
    fresh = {}
    for n, view in pages:
        app.extensions.pop(STORE, None)  # nothing kept: rendered afresh
        fresh[n, view] = _page(respondents[n], *view)
    for n, view in [*reversed(pages), *pages]:  # a warm store, filled in another order
        assert _page(respondents[n], *view) == fresh[n, view], (n, view)
    assert _kept(app), "the pages should have kept their questions"


def test_each_respondent_sees_their_own_answers(app, grouped):
    """Two respondents on the same page: each sees their own choice checked, whichever was served first."""
    yes = _respondent(app, {"uses_app": "yes", "app_rating": "5"})
    no = _respondent(app, {"uses_app": "no"})
    for _ in range(2):
        mine, theirs = _page(yes, 1, "?lang=en"), _page(no, 1, "?lang=en")
        assert re.search(r'value="yes" checked', mine) and not re.search(r'value="no" checked', mine)
        assert re.search(r'value="5" checked', mine)
        assert re.search(r'value="no" checked', theirs) and not re.search(r'value="yes" checked', theirs)
        assert re.search(r'id="w-app_rating"[^>]*hidden', theirs)


def test_a_question_that_just_appeared_is_marked_only_then(app, grouped):
    """"Next" with an answer that brings up another question on the page marks it as new; the same
    page loaded afterwards, with the same answers, does not."""
    for _ in range(2):
        client = _respondent(app, {})
        shown = post_page(client, 1, {"uses_app": "yes", "household": "2"}).get_data(as_text=True)
        assert re.search(r'class="question appeared" id="w-app_rating"', shown)
        again = _page(client, 1)
        assert re.search(r'class="question" id="w-app_rating"', again) and "appeared" not in again


def test_typed_and_forged_answers_are_not_kept(app, grouped):
    """Text and number answers are whatever people type, and a forged choice is no choice of the list:
    none of them ends up in the store, though their pages show them."""
    client = app.test_client()
    start(client)
    post_page(client, 1, {"uses_app": "forged-value", "household": "17"}, action="save")
    for number, answers in GOOD_PAGES.items():
        if number > 1:
            post_page(client, number, {**answers, "comment": "my private words"}, action="save")
    pages = _page(client, 1, "?lang=en&check=1") + _page(client, 4, "?lang=en")
    assert "“forged-value” is not one of the options" in pages
    assert 'value="17"' in pages and "my private words" in pages
    kept = _kept(app)
    names = {key[1] for key in kept}
    assert names and not names & {"household", "spend", "comment", "app_wish"}
    assert not any("forged-value" in str(key) for key in kept)
    assert not any(text in html for _stamp, html in kept.values()
                   for text in ("my private words", 'value="17"', "forged-value"))
