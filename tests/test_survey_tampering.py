"""Posts no honest page would send: tampered choices, unknown or foreign question names, oversized
text, another city's URL, forged cookies. The server judges everything; nothing bad is stored."""
from __future__ import annotations

from smartcity_survey.models import Response
from smartcity_survey.services.responses import response_values
from smartcity_survey.survey.cookies import DRAFTS
from smartcity_survey.survey.pages import MAX_RAW_ITEMS, MAX_RAW_LENGTH
from tests.survey_helpers import (BASE, GOOD_PAGES, answer_all, count, drafts, errors_in, grouped,  # noqa: F401
                                  post_page, responses, start, submit)


def _html(response) -> str:
    return response.get_data(as_text=True)


def test_tampered_choice_values_are_errors_at_their_fields(grouped, client):
    """A rating of 7, a yes/no of "maybe" and an unknown multiple choice item are refused per field."""
    start(client)
    html = _html(post_page(client, 1, {"uses_app": "maybe", "household": "2"}))
    assert errors_in(html) == {"uses_app": "“maybe” is not one of the options."}
    post_page(client, 1, {"uses_app": "yes", "app_rating": "5"})
    html = _html(post_page(client, 1, {"uses_app": "yes", "app_rating": "7"}))
    assert errors_in(html) == {"app_rating": "“7” is not one of the options."}
    html = _html(post_page(client, 2, {"used": ["hlt", "<script>"]}))
    assert errors_in(html) == {"used": "“&lt;script&gt;” is not one of the options."}


def test_a_tampered_value_saved_for_later_is_refused_at_submit(grouped, client):
    """Skipping the page check ("save for later") does not get a tampered value stored."""
    answer_all(client)
    post_page(client, 2, {"used": ["hlt"], "wifi": "6"}, action="save")
    refused = submit(client)
    assert refused.headers["Location"].endswith("/s/2?check=1") and count(Response) == 0


def test_ranking_tampering_is_refused(grouped, client):
    """A ranking with one item twice, or more items than allowed, is an error at the field."""
    answer_all(client, {1: GOOD_PAGES[1], 2: GOOD_PAGES[2], 3: GOOD_PAGES[3]})
    assert errors_in(_html(post_page(client, 4, {"top": ["its", "its"]}))) == {"top": "Choose each option only once."}
    assert errors_in(_html(post_page(client, 4, {"top": ["its", "hlt", "edu"]}))) == {
        "top": "Choose at most 2 options."}


def test_unknown_question_names_are_ignored(grouped, client):
    """Names that are no question of the page never reach the draft or the response."""
    start(client)
    post_page(client, 1, {**GOOD_PAGES[1], "is_admin": "1", "__proto__": "x"})
    assert set(drafts()[0].answers) == {"uses_app", "app_rating", "household"}
    for number in (2, 3, 4):
        post_page(client, number, GOOD_PAGES[number])
    submit(client, extra_question="42")
    assert "extra_question" not in response_values(responses()[0])


def test_a_page_cannot_change_another_pages_answers(grouped, client):
    """Posting page 4 with a page-1 question in it leaves page 1's answer as it was."""
    answer_all(client)
    post_page(client, 4, {**GOOD_PAGES[4], "uses_app": "no"})
    assert drafts()[0].answers["uses_app"] == "yes"


def test_oversized_text_is_an_error_and_bounded_in_the_draft(grouped, client):
    """A megabyte of text is refused at the field and stored in the draft only up to a bound."""
    start(client)
    post_page(client, 1, GOOD_PAGES[1])
    post_page(client, 2, GOOD_PAGES[2])
    html = _html(post_page(client, 3, {"app_wish": "x" * 1_000_000}))
    assert errors_in(html) == {"app_wish": "The answer is longer than 500 characters."}
    assert len(drafts()[0].answers["app_wish"]) == MAX_RAW_LENGTH


def test_oversized_lists_are_bounded_in_the_draft(grouped, client):
    """Thousands of posted items for one question are cut to a bound before they are saved."""
    start(client)
    post_page(client, 2, {"used": ["hlt"] * 5000}, action="save")
    assert len(drafts()[0].answers["used"]) == MAX_RAW_ITEMS


def test_another_citys_url_does_not_reach_the_draft(grouped, client):
    """A draft started for Almaty is not found under Astana's link: posting there changes nothing."""
    answer_all(client)
    wrong = post_page(client, 1, {"uses_app": "no"}, base="/q/grouped/astana")
    assert wrong.headers["Location"].endswith("/q/grouped/astana")
    assert submit(client, "/q/grouped/astana").headers["Location"].endswith("/q/grouped/astana")
    assert drafts()[0].answers["uses_app"] == "yes" and count(Response) == 0


def test_a_cookie_pointing_another_citys_key_at_the_draft_finds_nothing(grouped, client, app):
    """Even a validly signed cookie that files Almaty's token under Astana's key finds no draft there."""
    from smartcity_survey.services.questionnaires import find_cities
    from smartcity_survey.survey.cookies import _serializer

    answer_all(client)
    draft, astana = drafts()[0], find_cities(["astana"])[0]
    with app.test_request_context():
        forged = _serializer(DRAFTS).dumps({f"{draft.questionnaire_id}.{astana.id}": draft.token})
    client.set_cookie(DRAFTS, forged, path="/q")
    assert post_page(client, 1, {}, base="/q/grouped/astana").headers["Location"].endswith("/q/grouped/astana")


def test_a_draft_filed_under_another_key_is_not_this_links_draft(grouped, client, app):
    """The draft is read with the questionnaire, among all the browser's tokens; still, only the token
    kept under this link's key counts: Almaty's token filed under Astana's key is no draft in Almaty."""
    from smartcity_survey.services.questionnaires import find_cities
    from smartcity_survey.survey.cookies import _serializer

    answer_all(client)
    draft, astana = drafts()[0], find_cities(["astana"])[0]
    with app.test_request_context():
        forged = _serializer(DRAFTS).dumps({f"{draft.questionnaire_id}.{astana.id}": draft.token})
    client.set_cookie(DRAFTS, forged, path="/q")
    assert client.get(f"{BASE}/review").headers["Location"].endswith(BASE)
    assert submit(client).headers["Location"].endswith(BASE) and count(Response) == 0


def test_a_forged_cookie_is_ignored(grouped, client):
    """A draft cookie without a valid signature counts as no cookie."""
    answer_all(client)
    token = drafts()[0].token
    client.set_cookie(DRAFTS, f'{{"1.1": "{token}"}}', path="/q")
    assert client.get(f"{BASE}/review").headers["Location"].endswith(BASE)
    assert submit(client).headers["Location"].endswith(BASE) and count(Response) == 0
