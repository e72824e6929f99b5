"""The suggestion queue: nothing public until approved."""
import pytest

from smartcity_survey.extensions import db
from smartcity_survey.models import City
from smartcity_survey.services import DomainError
from smartcity_survey.services.moderation import approved_by_area, list_suggestions, review_suggestion
from smartcity_survey.services.questionnaires import load_default_questionnaires, open_questionnaire
from smartcity_survey.services.responses import submit_response


def _suggest(text: str, city: str = "almaty"):
    from smartcity_survey.models import Questionnaire

    questionnaire = db.session.scalar(db.select(Questionnaire).where(Questionnaire.slug == "business"))
    city_obj = db.session.scalar(db.select(City).where(City.slug == city))
    raw = {"suggestion": text}
    definition = questionnaire.to_definition()
    for question in definition.questions:  # answer every required question with its first choice
        if question.required and question.name not in raw:
            choices = definition.choices_of(question.choice_list)
            raw[question.name] = choices[0].name if choices else "1"
    return submit_response(questionnaire, city_obj, raw, language="en")


@pytest.fixture
def business_open(seeded):
    load_default_questionnaires(2019)
    open_questionnaire("business")
    db.session.commit()


def test_suggestions_wait_in_the_queue_until_approved(business_open):
    """A new suggestion is pending, not public; approved under an area it is public there; hidden it is not."""
    _suggest("<script>alert(1)</script> more buses please")
    _suggest("fix the app")
    db.session.commit()
    queue = list_suggestions(pending=True)
    assert [s.text for s in queue] == ["<script>alert(1)</script> more buses please", "fix the app"]
    city = db.session.scalar(db.select(City).where(City.slug == "almaty"))
    assert approved_by_area(2019, city.id) == {}
    review_suggestion(queue[0].answer_id, "approved", area_code="its", actor="mod@gov.kz")
    review_suggestion(queue[1].answer_id, "hidden", area_code=None, actor="mod@gov.kz")
    db.session.commit()
    public = approved_by_area(2019, city.id)
    assert list(public) == ["its"] and public["its"][0].text.startswith("<script>")
    assert list_suggestions(pending=True) == []


def test_review_refuses_unknown_decisions_and_answers(business_open):
    """Only approved/hidden, and only on free-text answers."""
    _suggest("more wifi")
    db.session.commit()
    answer_id = list_suggestions(pending=True)[0].answer_id
    with pytest.raises(DomainError, match="unknown decision"):
        review_suggestion(answer_id, "maybe", area_code=None, actor="x")
    with pytest.raises(DomainError, match="no suggestion"):
        review_suggestion(10**9, "approved", area_code=None, actor="x")
