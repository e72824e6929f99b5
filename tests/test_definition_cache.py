"""The answering pages and the submit read a questionnaire's definition from a per-app cache
(services/definitions.py); a replaced definition must be seen at once, in this worker and in others."""
from __future__ import annotations

from dataclasses import replace

from smartcity_survey import create_app
from smartcity_survey import questionnaire_spec as spec
from smartcity_survey.extensions import db
from smartcity_survey.io.xlsform import read_xlsform
from smartcity_survey.services.definitions import stored_definition
from smartcity_survey.services.questionnaires import get_questionnaire, replace_definition
from tests.helpers import app_config
from tests.survey_helpers import BASE, GROUPED_FORM, grouped, start  # noqa: F401 (fixture)



def _renamed() -> spec.FormDefinition:
    """The grouped form with its first question's English label changed."""
    definition = read_xlsform(GROUPED_FORM, "form.xlsx").definition
    questions = tuple(replace(q, labels={**q.labels, "en": "Do you use the NEW city app?"}) if q.name == "uses_app"
                      else q for q in definition.questions)
    return replace(definition, questions=questions)


def _replace_with_renamed() -> None:
    replace_definition(get_questionnaire("grouped"), _renamed())
    db.session.commit()


def test_the_definition_is_read_once_per_revision(grouped):
    """Two reads of the same revision share one entry; a replace makes a new one with the new questions."""
    first = stored_definition(grouped)
    assert stored_definition(get_questionnaire("grouped")) is first
    assert set(first.question_ids) == {q.name for q in grouped.questions}
    _replace_with_renamed()
    questionnaire = get_questionnaire("grouped")
    assert questionnaire.definition_revision == 2
    second = stored_definition(questionnaire)
    assert second is not first
    assert second.definition.question("uses_app").labels["en"] == "Do you use the NEW city app?"
    assert second.question_ids == {q.name: q.id for q in questionnaire.questions}


def test_an_answering_page_shows_a_replaced_definition_at_once(grouped, client):
    """A page served (and cached) before the replace shows the new label right after it."""
    start(client)
    assert "Do you use the city app?" in client.get(f"{BASE}/s/1?lang=en").get_data(as_text=True)
    _replace_with_renamed()
    html = client.get(f"{BASE}/s/1?lang=en").get_data(as_text=True)
    assert "Do you use the NEW city app?" in html and "Do you use the city app?" not in html


def test_another_worker_sees_a_replace_made_elsewhere(grouped, database_url):
    """Each worker has its own cache; a replace committed by one is seen by the other's next read."""
    other = create_app(app_config(database_url))
    with other.app_context():
        before = stored_definition(get_questionnaire("grouped")).definition
        db.session.remove()
    _replace_with_renamed()
    with other.app_context():
        after = stored_definition(get_questionnaire("grouped")).definition
        db.session.remove()
        db.engine.dispose()
    assert before.question("uses_app").labels["en"] == "Do you use the city app?"
    assert after.question("uses_app").labels["en"] == "Do you use the NEW city app?"


def test_a_submit_after_a_replace_stores_answers_against_the_new_questions(grouped, client):
    """Answer rows point at the question rows of the definition in force at submit time."""
    from smartcity_survey.models import Answer, Question
    from tests.survey_helpers import answer_all, submit

    stored_definition(grouped)  # cached before the replace
    _replace_with_renamed()
    answer_all(client)
    assert submit(client).status_code == 303
    live = {q.id for q in db.session.scalars(db.select(Question))}
    stored = set(db.session.scalars(db.select(Answer.question_id)))
    assert stored and stored <= live
