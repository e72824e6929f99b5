"""Answering a questionnaire on the web: picker, landing, pages with progress, skip logic, per-field errors,
language switching, save and resume, review, and the submit that stores exactly one response."""
from __future__ import annotations

import re
from decimal import Decimal

from smartcity_survey.extensions import db
from smartcity_survey.models import Response, ResponseDraft
from smartcity_survey.services.responses import response_values
from tests.survey_helpers import (BASE, answer_all, count, drafts, errors_in, grouped,  # noqa: F401 (fixtures)
                                  hidden_questions, post_page, responses, shipped, start, submit, visible_questions)
from tests.xlsform_helpers import xlsform


def _html(response) -> str:
    return response.get_data(as_text=True)


def test_picker_lists_open_questionnaires_by_city_in_the_current_language(grouped, client):
    """/q/ groups what is open by city, with city names and titles in the page's language."""
    html = _html(client.get("/q/?lang=ru"))
    assert 'id="city-almaty"' in html and 'id="city-astana"' in html and "Алматы" in html
    assert html.count('href="/q/grouped/almaty"') == 1 and "Опрос о приложении" in html


def test_picker_leaves_out_cities_where_nothing_is_open(grouped, client):
    """A city the questionnaire was not opened in has no entry; with nothing open the page says so."""
    from smartcity_survey.services.questionnaires import close_questionnaire

    assert 'id="city-shymkent"' not in _html(client.get("/q/?lang=en"))
    close_questionnaire("grouped")
    db.session.commit()
    assert "No questionnaire is open at the moment." in _html(client.get("/q/?lang=en"))


def test_nav_links_to_the_questionnaires(app, client):
    """Every page's navigation offers the questionnaires."""
    assert 'href="/q/"' in _html(client.get("/?lang=en"))


def test_start_creates_a_draft_that_is_not_a_response(grouped, client):
    """Starting stores a draft and a signed, /q-scoped cookie; no response exists until submit."""
    response = start(client)
    assert response.headers["Location"].endswith(f"{BASE}/s/1")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("survey_drafts=") and "Path=/q" in cookie and "HttpOnly" in cookie
    assert count(ResponseDraft) == 1 and count(Response) == 0
    assert grouped.response_count == 0


def test_section_page_has_progress_fieldsets_and_labels(grouped, client):
    """A page says which section of how many, is a POST form, and labels every input."""
    start(client)
    html = _html(client.get(f"{BASE}/s/1?lang=en"))
    assert "Section 1 of 4" in html and '<progress value="1" max="4"' in html
    assert '<form method="post" action="/q/grouped/almaty/s/1"' in html
    assert re.search(r"<legend>Do you use the city app\?</legend>", html)
    assert '<label for="q-household">People at home <span class="optional">(optional)</span></label>' in html
    assert 'id="q-household" name="household"' in html
    for button in ('name="action" value="next"', 'name="action" value="save"', 'name="switch_lang" value="kk"'):
        assert button in html


def test_same_page_skip_logic_is_hidden_then_shown_after_next(grouped, client):
    """Without JavaScript: the rated question is hidden until "yes" is saved; "Next" then shows the same
    page with it (a notice, no error for it) instead of going on."""
    start(client)
    html = _html(client.get(f"{BASE}/s/1?lang=en"))
    assert "app_rating" in hidden_questions(html)
    assert '''data-show-when='{"op": "=", "q": "uses_app", "value": "yes"}\'''' in html
    again = post_page(client, 1, {"uses_app": "yes"})
    html = _html(again)
    assert again.status_code == 200 and "app_rating" in visible_questions(html)
    assert "Your answers added questions to this page." in html and errors_in(html) == {}
    assert post_page(client, 1, {"uses_app": "yes", "app_rating": "5"}).headers["Location"].endswith("/s/2")


def test_next_judges_the_form_a_fixed_number_of_times_whatever_the_page_holds(make_questionnaire, client,
                                                                            monkeypatch):
    """"Next" judged which questions show once per question of the page, each time over the whole form:
    a page of 2000 questions took 23 s a post, anyone's to send. It now judges a fixed number of times."""
    from smartcity_survey.survey import pages as pages_module

    rows = [["type", "name", "label"]] + [["integer", f"q{n}", f"Q{n}"] for n in range(60)]
    make_questionnaire(xlsform(rows, settings=[["form_id"], ["wide"]]), open_in=["almaty"])
    base = "/q/wide/almaty"
    start(client, base)
    calls = []
    judge = pages_module.check_answers
    monkeypatch.setattr(pages_module, "check_answers",
                        lambda *args, **kwargs: calls.append(1) or judge(*args, **kwargs))
    response = post_page(client, 1, {f"q{n}": str(n) for n in range(60)}, base)
    assert response.status_code == 303 and response.headers["Location"].endswith("/review")
    assert len(calls) <= 6, len(calls)


def test_a_notes_hint_is_shown(make_questionnaire, client):
    """A note's hint (pyxform and ODK show it under the note) was left off the page; a note with a hint and
    no label showed nothing at all."""
    make_questionnaire(xlsform([["type", "name", "label::English (en)", "hint::English (en)", "hint::Russian (ru)"],
                                ["note", "intro", "Welcome", "It takes five minutes", "Это займёт пять минут"],
                                ["note", "bare", "", "Only a hint", ""],
                                ["text", "t", "T", "", ""]], settings=[["form_id"], ["notes"]]), open_in=["almaty"])
    start(client, "/q/notes/almaty")
    html = _html(client.get("/q/notes/almaty/s/1?lang=ru"))
    assert '<small id="h-intro" class="hint">Это займёт пять минут</small>' in html
    assert '<small id="h-bare" class="hint">Only a hint</small>' in html


def test_labels_of_groups_inside_a_page_are_headings(make_questionnaire, client):
    """A page is a top-level group, titled with its label; the labels of the groups inside it were shown
    nowhere. Each comes before its first question, one level down per nesting, hidden while none of its
    questions shows; a group without a label adds no heading."""
    header = ["type", "name", "label::English (en)", "label::Russian (ru)", "relevant"]
    make_questionnaire(xlsform([header,
                                ["begin_group", "home", "Your home", "Ваш дом", ""],
                                ["select_one yn", "car", "Car?", "Машина?", ""],
                                ["begin_group", "cars", "About your car", "О машине", "${car} = 'yes'"],
                                ["integer", "age", "Age of the car", "Возраст машины", ""],
                                ["begin_group", "fuel", "Fuel", "Топливо", ""],
                                ["text", "kind", "Kind", "Вид", ""],
                                ["end_group"], ["end_group"],
                                ["begin_group", "plain", "", "", ""],
                                ["text", "note_it", "Anything else?", "Что-то ещё?", ""],
                                ["end_group"], ["end_group"]],
                               [["list_name", "name", "label"], ["yn", "yes", "Yes"], ["yn", "no", "No"]],
                               [["form_id"], ["nested"]]), open_in=["almaty"])
    start(client, "/q/nested/almaty")
    html = _html(client.get("/q/nested/almaty/s/1?lang=ru"))
    assert "<h1>Ваш дом</h1>" in html
    assert re.findall(r"<h(\d) class=\"survey-group\"( hidden)?>([^<]*)</h\d>", html) == [
        ("2", " hidden", "О машине"), ("3", " hidden", "Топливо")]
    assert html.index("О машине") < html.index('id="w-age"')
    assert html.index('id="w-age"') < html.index("Топливо") < html.index('id="w-kind"')
    html = _html(post_page(client, 1, {"car": "yes"}, "/q/nested/almaty"))
    assert re.findall(r"<h(\d) class=\"survey-group\"( hidden)?>", html) == [("2", ""), ("3", "")]


def test_a_shown_question_left_unanswered_is_an_error_on_the_next_try(grouped, client):
    """Once the question has been shown, "Next" without its answer is an error at that field."""
    start(client)
    post_page(client, 1, {"uses_app": "yes"})
    html = _html(post_page(client, 1, {"uses_app": "yes"}))
    assert errors_in(html) == {"app_rating": "This question needs an answer."}


def test_required_question_error_is_shown_at_the_field_and_in_the_summary(grouped, client):
    """The error sits under the question, is tied to it with aria-describedby, and the summary at the
    top names the question and links to its first input."""
    start(client)
    html = _html(post_page(client, 1, {"household": "50"}))
    assert errors_in(html) == {"uses_app": "This question needs an answer.",
                               "household": "The answer must be at most 20."}
    assert 'aria-describedby="e-uses_app" aria-invalid="true"' in html
    assert 'aria-describedby="e-household" aria-invalid="true"' in html
    assert '<a href="#q-uses_app">Do you use the city app?</a> — This question needs an answer.' in html
    assert 'value="50"' in html  # what was typed comes back, to be corrected
    assert drafts()[0].answers["household"] == "50" and drafts()[0].page == 1


def test_skip_logic_across_pages_skips_a_whole_section(grouped, client):
    """With uses_app = no the app section is skipped both ways; with yes it is visited."""
    start(client)
    post_page(client, 1, {"uses_app": "no"})
    assert post_page(client, 2, {}).headers["Location"].endswith("/s/4")
    assert client.get(f"{BASE}/s/3").headers["Location"].endswith("/s/4")
    assert post_page(client, 4, {}, action="back").headers["Location"].endswith("/s/2")
    post_page(client, 1, {"uses_app": "yes", "app_rating": "3"})
    assert post_page(client, 2, {}).headers["Location"].endswith("/s/3")


def test_question_shown_by_an_earlier_page_appears_on_its_page(grouped, client):
    """transport is relevant when 'its' was chosen: hidden without it, required with it."""
    start(client)
    post_page(client, 1, {"uses_app": "no"})
    assert "transport" in hidden_questions(_html(client.get(f"{BASE}/s/2")))
    again = _html(post_page(client, 2, {"used": ["its"]}))
    assert "transport" in visible_questions(again) and errors_in(again) == {}
    assert errors_in(_html(post_page(client, 2, {"used": ["its"]}))) == {"transport": "This question needs an answer."}


def test_back_and_save_keep_answers_without_checking_them(grouped, client):
    """Back and "Save and continue later" store the page as typed, errors and all."""
    start(client)
    post_page(client, 1, {"uses_app": "no"})
    back = post_page(client, 2, {"wifi": "2"}, action="back")
    assert back.status_code == 303 and back.headers["Location"].endswith("/s/1")
    saved = post_page(client, 1, {"uses_app": "no", "household": "abc"}, action="save")
    assert saved.headers["Location"].endswith(f"{BASE}/saved")
    assert drafts()[0].answers == {"uses_app": "no", "household": "abc", "used": [], "transport": "", "wifi": "2",
                                   "app_rating": ""}
    assert "Your answers are saved" in _html(client.get(f"{BASE}/saved?lang=en"))


def test_resume_on_the_same_device(grouped, client, app):
    """The landing page offers to continue at the saved page; another browser starts afresh."""
    start(client)
    post_page(client, 1, {"uses_app": "no"})
    post_page(client, 2, {"wifi": "4"}, action="save")
    html = _html(client.get(f"{BASE}?lang=en"))
    assert "Continue where you left off" in html and f'href="{BASE}/s/2"' in html
    assert 'value="4" checked' in _html(client.get(f"{BASE}/s/2"))
    stranger = app.test_client()
    assert "Continue where you left off" not in _html(stranger.get(f"{BASE}?lang=en"))


def test_resume_after_the_last_page_opens_the_review(grouped, client):
    """A draft whose pages are all done resumes at the review."""
    answer_all(client)
    assert f'href="{BASE}/review"' in _html(client.get(f"{BASE}?lang=en"))


def test_resume_goes_on_in_the_drafts_language(grouped, client, app):
    """A browser session without a chosen language resumes in the language the draft was left in."""
    start(client)
    post_page(client, 1, {"uses_app": "no", "switch_lang": "ru"})
    with client.session_transaction() as session:
        session.clear()  # the browser was closed: its session cookie is gone, the draft cookie stays
    assert "Пользуетесь ли вы приложением города?" in _html(client.get(f"{BASE}/s/1"))


def test_language_switch_saves_the_page_and_keeps_answers(grouped, client):
    """The language buttons post the page: its answers are saved and it comes back in that language."""
    start(client)
    switched = post_page(client, 1, {"uses_app": "yes", "household": "4", "switch_lang": "kk"})
    assert switched.status_code == 303 and switched.headers["Location"].endswith("/s/1")
    html = _html(client.get(f"{BASE}/s/1"))
    assert '<html lang="kk">' in html and "Қала қосымшасын пайдаланасыз ба?" in html
    assert 'value="yes" checked' in html and 'value="4"' in html
    assert drafts()[0].language == "kk"
    html = _html(client.get(f"{BASE}/s/1?lang=ru"))
    assert "Пользуетесь ли вы приложением города?" in html and 'value="yes" checked' in html


def test_errors_are_in_the_respondents_language(shipped, client):
    """A form's own messages (here the BIN check of the business form) follow the page's language."""
    base = "/q/business/almaty"
    start(client, base)
    post_page(client, 1, {}, base)
    data = {"business_city": "almaty", "sector": "trade", "size_band": "micro", "bin": "123456789012"}
    client.get(f"{base}/s/2?lang=ru")
    assert errors_in(_html(post_page(client, 2, data, base))) == {
        "bin": "Это не действительный БИН: он состоит из 12 цифр, последняя из которых контрольная."}
    client.get(f"{base}/s/2?lang=kk")
    assert errors_in(_html(post_page(client, 2, data, base)))["bin"].startswith("Бұл жарамды БСН емес")


def test_review_lists_answers_as_read_with_edit_links(grouped, client):
    """The review shows every shown question with its answer in words, and an Edit link per section."""
    answer_all(client)
    html = _html(client.get(f"{BASE}/review?lang=en"))
    assert "<dt>Rate the app</dt>" in html and re.search(r"<dd>4 en\s*</dd>", html)
    assert re.search(r"<dd>Health; Transport\s*</dd>", html)
    assert re.search(r"<dd>1. Transport; 2. Health\s*</dd>", html) and re.search(r"<dd>12.5\s*</dd>", html)
    for number in (1, 2, 3, 4):
        assert f'href="{BASE}/s/{number}">Edit' in html
    assert f'action="{BASE}/submit"' in html


def test_review_leaves_out_hidden_questions_and_flags_problems(grouped, client):
    """A question no longer shown is not on the review; a missing required answer is flagged there."""
    answer_all(client)
    post_page(client, 1, {"uses_app": "no", "app_rating": "4"}, action="save")
    post_page(client, 2, {"used": ["its"]}, action="save")
    html = _html(client.get(f"{BASE}/review?lang=en"))
    assert "Rate the app" not in html and "What should the app do?" not in html
    assert re.search(r"<dt>Rate transport</dt>\s*<dd><span class=\"field-error\">This question needs an answer.", html)


def test_submit_stores_exactly_one_response_with_the_answers(grouped, client):
    """The final submit stores one web response with the cleaned answers and empties the draft."""
    answer_all(client)
    done = submit(client)
    assert done.status_code == 303 and done.headers["Location"].endswith(f"{BASE}/thanks")
    stored = responses()
    assert len(stored) == 1 and stored[0].source == "web" and stored[0].city.slug == "almaty"
    assert response_values(stored[0]) == {
        "uses_app": "yes", "app_rating": "4", "household": 3, "used": ["hlt", "its"], "transport": "2",
        "wifi": "dk", "app_wish": "Bus times", "top": ["its", "hlt"], "spend": Decimal("12.5"), "comment": "Fine"}
    draft = drafts()[0]
    assert draft.is_submitted and draft.answers == {}
    assert "Thank you" in _html(client.get(f"{BASE}/thanks?lang=en"))


def test_submit_drops_answers_to_questions_no_longer_shown(grouped, client):
    """Answers given before a "no" hid their question are not stored."""
    answer_all(client)
    post_page(client, 1, {"uses_app": "no", "app_rating": "4", "household": "3"})
    submit(client)
    values = response_values(responses()[0])
    assert "app_rating" not in values and "app_wish" not in values and values["uses_app"] == "no"


def test_submit_in_a_language_records_it(grouped, client):
    """The response records the language it was answered in."""
    answer_all(client)
    client.get(f"{BASE}/review?lang=kk")
    submit(client)
    assert responses()[0].language == "kk"


def test_refused_submit_sends_to_the_first_page_with_an_error(grouped, client):
    """A draft with a missing answer is not stored; the respondent lands on that page with the error."""
    start(client)
    post_page(client, 1, {"uses_app": "no"})
    post_page(client, 2, {"used": ["its"]}, action="save")
    refused = submit(client)
    assert refused.status_code == 303 and refused.headers["Location"].endswith(f"{BASE}/s/2?check=1")
    html = _html(client.get(refused.headers["Location"] + "&lang=en"))
    assert errors_in(html) == {"transport": "This question needs an answer."}
    assert "Some answers need attention before you can submit." in html
    assert count(Response) == 0 and not drafts()[0].is_submitted


def test_pages_need_a_draft_and_exist(grouped, client):
    """Without a draft a page sends to the landing page; a page number past the end is 404."""
    assert client.get(f"{BASE}/s/1").headers["Location"].endswith(BASE)
    assert client.get(f"{BASE}/review").headers["Location"].endswith(BASE)
    start(client)
    assert client.get(f"{BASE}/s/5").status_code == 404
    assert client.get(f"{BASE}/s/0").status_code == 404


def test_unknown_or_unpublished_links_are_404(grouped, make_questionnaire, client):
    """Unknown questionnaire or city, a city it never opened in, and a draft questionnaire: 404."""
    from tests.xlsform_helpers import SMALL_FORM

    make_questionnaire(SMALL_FORM)  # never opened
    for url in ("/q/nope/almaty", "/q/grouped/nowhere", "/q/grouped/shymkent", "/q/small/almaty"):
        assert client.get(url).status_code == 404, url


def test_the_shipped_resident_questionnaire_can_be_answered_page_by_page(shipped, client):
    """Walking every page of the shipped resident form with plausible answers stores one response."""
    from smartcity_survey.questionnaire_spec import LIST_TYPES
    from smartcity_survey.services.questionnaires import get_questionnaire
    from smartcity_survey.survey.pages import QuestionnairePages

    pages = QuestionnairePages(get_questionnaire("resident").to_definition())
    base = "/q/resident/almaty"
    start(client, base)
    location = f"{base}/s/1"
    while "/s/" in location:
        page = pages.page(int(location.rsplit("/", 1)[1]))
        data = {q.name: _plausible(pages.definition, q) for q in page.answerable}
        location = post_page(client, page.number, {k: v for k, v in data.items() if v}, base).headers["Location"]
    assert location.endswith(f"{base}/review")
    assert submit(client, base).headers["Location"].endswith(f"{base}/thanks")
    values = response_values(responses()[0])
    assert values["ctm_egov_used"] == "yes" and values["ctm_egov"] == "4" and values["home_city"]
    assert all(isinstance(values[name], list) for name in values
               if pages.definition.question(name).type in LIST_TYPES)


def _plausible(definition, question) -> object:
    choices = [c.name for c in definition.choices_of(question.choice_list)]
    if question.type == "rating":
        return "4"
    if question.type == "single":
        return "yes" if "yes" in choices else choices[0]
    if question.type in ("multiple", "ranking"):
        return choices[:2]
    return "" if question.type in ("text", "long_text") else "1"
