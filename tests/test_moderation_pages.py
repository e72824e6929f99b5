"""The suggestion queue pages: pending oldest first without identity, approve with an area, hide,
escaped text, pages of 20, who may moderate; every decision in the administrators' log."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from smartcity_survey.extensions import db
from smartcity_survey.models import AdminAction, Answer, Question, SuggestionReview
from smartcity_survey.services.moderation import approved_by_area
from smartcity_survey.services.responses import store_response
from tests.helpers_assessments import signed_in
from tests.helpers_questionnaires import IDEAS_FORM, add_questionnaire, city, suggest

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def ideas(people):
    """The ideas questionnaire open in Almaty and Astana, committed."""
    questionnaire = add_questionnaire(IDEAS_FORM, ["almaty", "astana"])
    db.session.commit()
    return questionnaire


def decide(client, answer_id: int, button: str, area: str = "", **query):
    return client.post(f"/moderation/suggestions/{answer_id}", query_string=query,
                       data={f"s{answer_id}-area": area, f"s{answer_id}-{button}": "y"})


def texts_on(page: str) -> list[str]:
    return re.findall(r'<blockquote class="suggestion-text">(.*?)</blockquote>', page, re.S)


def test_queue_lists_pending_oldest_first_with_questionnaire_city_and_day_only(app, people, ideas):
    """Waiting suggestions, oldest first, show questionnaire, city and day; no time, no respondent id."""
    first = suggest(ideas, "astana", "Older idea")
    suggest(ideas, "almaty", "Newer idea")
    store_response(ideas, city("almaty"), {"transport": "2", "suggestion": "From paper"}, source="import",
                   respondent_id="RESP-SECRET-42")
    db.session.commit()
    page = signed_in(app, people["analyst"]).get("/moderation/").get_data(as_text=True)
    assert texts_on(page) == ["Older idea", "Newer idea", "From paper"]
    card = page[page.index("ideas v1"):page.index("Older idea")]
    assert "Astana" in card and re.search(r"\d{4}-\d\d-\d\d", card) and not re.search(r"\d\d:\d\d", card)
    assert "RESP-SECRET-42" not in page and f"/moderation/suggestions/{first}?" in page
    assert "3 suggestions in this list." in page


def test_approve_files_the_suggestion_under_an_area_and_publishes_it(app, people, ideas):
    """Approve with an area of the year's standard: it leaves the queue, becomes public under that area,
    and the analyst's decision is in the administrators' log."""
    answer_id = suggest(ideas, "almaty", "More buses at night")
    db.session.commit()
    analyst = signed_in(app, people["analyst"])
    page = analyst.get("/moderation/").get_data(as_text=True)
    assert f'<option value="its">' in page and '<option selected value="">' in page
    response = decide(analyst, answer_id, "approve", "its")
    assert response.status_code == 302
    assert "Suggestion approved." in analyst.get(response.location).get_data(as_text=True)
    public = approved_by_area(2019, city("almaty").id)
    assert list(public) == ["its"] and public["its"][0].text == "More buses at night"
    assert texts_on(analyst.get("/moderation/").get_data(as_text=True)) == []
    assert texts_on(analyst.get("/moderation/?status=approved").get_data(as_text=True)) == ["More buses at night"]
    entry = db.session.scalar(db.select(AdminAction))
    assert (entry.action, entry.actor, entry.detail) == ("suggestion_approve", people["analyst"],
                                                         f"answer {answer_id}, area its")


def test_hide_keeps_the_suggestion_out_of_public_view_and_can_be_revisited(app, people, ideas):
    """Hide: not public, listed under Hidden; approving it later from there replaces the decision."""
    answer_id = suggest(ideas, "almaty", "Rude words")
    db.session.commit()
    admin = signed_in(app, people["admin"])
    decide(admin, answer_id, "hide", "its")
    review = db.session.scalar(db.select(SuggestionReview))
    assert (review.status, review.area_code, review.reviewed_by) == ("hidden", None, people["admin"])
    assert approved_by_area(2019, city("almaty").id) == {}
    assert texts_on(admin.get("/moderation/?status=hidden").get_data(as_text=True)) == ["Rude words"]
    response = decide(admin, answer_id, "approve", "", status="hidden", page="1")
    assert response.location.endswith("/moderation/?status=hidden&page=1")
    assert list(approved_by_area(2019, city("almaty").id)) == [None]  # general: no area
    assert [a.action for a in db.session.scalars(db.select(AdminAction).order_by(AdminAction.id))] == \
        ["suggestion_hide", "suggestion_approve"]


def test_suggestion_text_is_always_escaped(app, people, ideas):
    """Markup in a suggestion is shown as text: no script or handler reaches the page."""
    suggest(ideas, "almaty", XSS)
    db.session.commit()
    page = signed_in(app, people["admin"]).get("/moderation/").get_data(as_text=True)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<script>alert" not in page and "<img src=x" not in page


def test_queue_pages_hold_twenty_in_order(app, people, ideas):
    """25 suggestions: 20 on page 1 and 5 on page 2, oldest first; a page past the end shows the last."""
    start = datetime.now(timezone.utc)
    for number in range(25):
        suggest(ideas, "almaty", f"Idea {number:02d}", now=start + timedelta(seconds=number))
    db.session.commit()
    admin = signed_in(app, people["admin"])
    first = admin.get("/moderation/").get_data(as_text=True)
    second = admin.get("/moderation/?page=2").get_data(as_text=True)
    assert texts_on(first) == [f"Idea {n:02d}" for n in range(20)] and "Page 1 of 2" in first
    assert texts_on(second) == [f"Idea {n:02d}" for n in range(20, 25)] and 'rel="prev"' in second
    assert texts_on(admin.get("/moderation/?page=99").get_data(as_text=True)) == texts_on(second)
    assert texts_on(admin.get("/moderation/?page=x&status=nonsense").get_data(as_text=True)) == texts_on(first)


def test_tampered_decisions_are_refused_and_store_nothing(app, people, ideas):
    """An area outside the year's standard, no button, or an answer that is not a suggestion: refused."""
    answer_id = suggest(ideas, "almaty", "Idea")
    db.session.commit()
    admin = signed_in(app, people["admin"])
    assert decide(admin, answer_id, "approve", "not-an-area").status_code == 400
    assert admin.post(f"/moderation/suggestions/{answer_id}", data={f"s{answer_id}-area": ""}).status_code == 400
    rating_answer = db.session.scalar(db.select(Answer.id).join(Question).where(Question.name == "transport"))
    assert decide(admin, rating_answer, "approve").status_code == 404
    assert db.session.scalar(db.select(db.func.count(SuggestionReview.id))) == 0
    assert db.session.scalar(db.select(db.func.count(AdminAction.id))) == 0


@pytest.mark.parametrize("who, status", [("officer_a", 403), ("officer_b", 403), ("analyst", 200), ("admin", 200)])
def test_who_may_moderate(app, people, ideas, who, status):
    """Admins and ministry analysts moderate; akimat officers, even of the suggestion's city, may not."""
    answer_id = suggest(ideas, "almaty", "Idea")
    db.session.commit()
    client = signed_in(app, people[who])
    assert client.get("/moderation/").status_code == status
    assert ('href="/moderation/"' in client.get("/rating/2020").get_data(as_text=True)) == (status == 200)
    assert decide(client, answer_id, "hide").status_code == (302 if status == 200 else 403)
    assert db.session.scalar(db.select(db.func.count(SuggestionReview.id))) == (status == 200)


def test_signed_out_visitors_are_sent_to_sign_in(app, ideas):
    """Without an account the queue redirects to the sign-in page."""
    response = app.test_client().get("/moderation/")
    assert response.status_code == 302 and "/login" in response.location
