"""Answering the shipped questionnaires in headless Chromium on a phone-sized screen, with and without
JavaScript, on a live server with CSRF protection on: Kazakh then Russian, skip logic, errors at the
field, leaving and resuming, the final submit storing exactly one response; a business with a BIN."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from smartcity_survey import create_app
from smartcity_survey.extensions import db
from smartcity_survey.models import Questionnaire, Response
from smartcity_survey.services.responses import response_values
from smartcity_survey.xpath import is_valid_bin
from tests.browser.conftest import SCREENSHOTS, _empty_tables, icon_from_disk, serving
from tests.helpers import app_config

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
RESIDENT = "/q/resident/almaty"
BUSINESS = "/q/business/almaty"


def _config(database_url: str) -> dict:
    return app_config(database_url) | {"WTF_CSRF_ENABLED": True}  # every form must carry its token


@pytest.fixture(scope="module")
def survey_server(database_url):
    """A live server with the standard, the cities and the shipped questionnaires open in Almaty."""
    from smartcity_survey.services.cities import load_cities
    from smartcity_survey.services.questionnaires import load_default_questionnaires, open_questionnaire
    from smartcity_survey.services.standards import load_bundled_standard

    app = create_app(_config(database_url))
    with app.app_context():
        _empty_tables()
        load_bundled_standard()
        load_cities()
        load_default_questionnaires(2019)
        open_questionnaire("resident", ["almaty"])
        open_questionnaire("business", ["almaty"])
        db.session.commit()
        db.session.remove()
    try:
        with serving(app, "survey-server") as url:
            yield url, app
    finally:
        with app.app_context():
            _empty_tables()
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def phone(browser):
    """phone(js=True): a new phone-sized browser context (own cookies) and a page recording errors."""
    contexts = []

    def make(js: bool = True):
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, java_script_enabled=js)
        icon_from_disk(context)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return _watched(context.new_page())

    yield make
    for context in contexts:
        context.close()


def _watched(page):
    errors: list[str] = []
    page.script_errors = errors
    page.on("pageerror", lambda error: errors.append(f"script: {error}"))
    page.on("console", lambda msg: msg.type == "error" and not msg.text.startswith("Failed to load resource")
            and errors.append(f"console: {msg.text}"))  # failed loads are caught below, favicon aside
    page.on("response", lambda response: response.status >= 400 and not response.url.endswith("/favicon.ico")
            and errors.append(f"HTTP {response.status}: {response.url}"))
    return page


def _shot(page, name: str) -> None:
    """A full-page PNG, after checking that the page fits the phone's width (no sideways scrolling)."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], f"{name} is wider than a phone"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000, f"{path} is suspiciously small"


def _stored(app, slug: str) -> list[tuple[str, dict]]:
    """(language, answers) of every response to the questionnaire, read in a fresh context."""
    with app.app_context():
        try:
            rows = db.session.scalars(select(Response).join(Response.questionnaire).where(Questionnaire.slug == slug)
                                      .order_by(Response.id)).all()
            return [(row.language, response_values(row)) for row in rows]
        finally:
            db.session.remove()


def _press(page, selector: str) -> None:
    """Click a submit button and wait for the page it leads to."""
    with page.expect_navigation():
        page.locator(selector).click()


def _next(page) -> None:
    _press(page, ".survey-actions button[value=next]")


def _choose(page, name: str, value: str) -> None:
    page.locator(f"input[name='{name}'][value='{value}']").check()


def _fill_visible(page) -> None:
    """Answer every shown, unanswered question: the last option (no, don't know, never), distinct
    places for rankings; optional texts stay empty."""
    ids = page.eval_on_selector_all(".question", "elements => elements.map(e => e.id)")
    for wrapper_id in ids:
        wrapper = page.locator(f"#{wrapper_id}")
        if not wrapper.is_visible():
            continue
        radios = wrapper.locator("input[type=radio]")
        if radios.count() and not wrapper.locator("input[type=radio]:checked").count():
            radios.last.check()
        selects = wrapper.locator("select")
        for index in range(selects.count()):
            if not selects.nth(index).input_value():
                selects.nth(index).select_option(index=index + 1)


def _finish(page, base: str) -> None:
    """Fill and go on until the review page."""
    for _ in range(40):
        if page.url.split("?")[0].endswith(f"{base}/review"):
            return
        _fill_visible(page)
        _next(page)
    pytest.fail(f"never reached the review page; stuck at {page.url}")


def _valid_bin() -> str:
    prefix = "99040001234"
    return next(prefix + digit for digit in "0123456789" if is_valid_bin(prefix + digit))


def test_resident_answers_in_kazakh_switches_to_russian_resumes_and_submits(survey_server, phone):
    """JavaScript on: skip logic live, an error at its field, Kazakh to Russian keeping answers, leave and
    resume in a new tab, review in Russian, one response stored."""
    base_url, app = survey_server
    before = len(_stored(app, "resident"))
    page = phone()
    page.goto(f"{base_url}{RESIDENT}?lang=kk")
    assert page.get_attribute("html", "lang") == "kk"
    assert page.locator("h1").inner_text() == "Қаланың цифрлық қызметтері сізге қалай қызмет етеді"
    _shot(page, "survey-resident-landing-kk")
    _press(page, "main form button[type=submit]")
    assert page.get_by_text("Бұл сауалнама қалаңыздың цифрлық қызметтері").is_visible()
    _next(page)

    # Section 2: skip logic live, then an unanswered question's error at its field
    assert page.locator("#w-ctm_egov").is_hidden()
    _choose(page, "ctm_egov_used", "yes")
    assert page.locator("#w-ctm_egov").is_visible()
    _choose(page, "ctm_egov_used", "no")
    assert page.locator("#w-ctm_egov").is_hidden()
    _choose(page, "ctm_egov_used", "yes")
    _choose(page, "ctm_egov", "4")
    _choose(page, "ctm_109_used", "no")
    _choose(page, "ctm_app_used", "no")
    _shot(page, "survey-resident-skip-logic-kk")
    _next(page)
    error = page.locator("#e-ctm_info")
    assert error.is_visible() and page.locator("#error-summary").is_visible()
    assert "e-ctm_info" in page.locator("#q-ctm_info").get_attribute("aria-describedby")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    _shot(page, "survey-resident-error-kk")
    _choose(page, "ctm_info", "3")
    _next(page)

    # Section 3 half answered in Kazakh, then switched to Russian: the answers stay
    assert "/s/3" in page.url
    assert page.locator("h1").inner_text() == "Денсаулық сақтау"
    _choose(page, "hlt_booking_used", "yes")
    _choose(page, "hlt_booking", "5")
    _press(page, "button[name=switch_lang][value=ru]")
    assert page.get_attribute("html", "lang") == "ru" and "/s/3" in page.url
    assert page.locator("input[name=hlt_booking_used][value=yes]").is_checked()
    assert page.locator("input[name=hlt_booking][value='5']").is_checked()
    assert page.locator("h1").inner_text() == "Здравоохранение"
    assert page.locator("#f-hlt_booking_used legend").inner_text().startswith("За последние 12 месяцев вы записывались")
    _shot(page, "survey-resident-switched-ru")

    # Leave, and come back in a new tab of the same browser
    _press(page, ".survey-actions button[value=save]")
    assert page.url.endswith(f"{RESIDENT}/saved")
    resumed = _watched(page.context.new_page())
    resumed.goto(f"{base_url}{RESIDENT}")
    _press(resumed, "main a[role=button]")
    assert "/s/3" in resumed.url and resumed.locator("input[name=hlt_booking][value='5']").is_checked()
    page.close()

    _finish(resumed, RESIDENT)
    review = resumed.locator("main").inner_text()
    assert resumed.get_attribute("html", "lang") == "ru" and "4 – Хорошо" in review and "Да" in review
    _shot(resumed, "survey-resident-review-ru")
    resumed.locator("form.survey-submit button[type=submit]").click()
    resumed.wait_for_url("**/thanks")
    _shot(resumed, "survey-resident-thanks-ru")
    stored = _stored(app, "resident")
    assert len(stored) == before + 1
    language, answers = stored[-1]
    assert language == "ru" and answers["ctm_egov"] == "4" and answers["hlt_booking"] == "5"
    assert "ctm_109" not in answers
    assert page.script_errors == [] and resumed.script_errors == []


def test_resident_without_javascript_skip_logic_and_language_switch(survey_server, phone):
    """JavaScript off: "Next" reveals the question a "yes" calls for, a "no" hides it again, the language
    buttons keep answers, and the questionnaire is submitted once."""
    base_url, app = survey_server
    before = len(_stored(app, "resident"))
    page = phone(js=False)
    page.goto(f"{base_url}{RESIDENT}?lang=kk")
    _press(page, "main form button[type=submit]")
    _next(page)
    assert page.locator("#w-ctm_egov").is_hidden()
    _choose(page, "ctm_egov_used", "yes")
    _next(page)
    assert "/s/2" in page.url and page.locator("#w-ctm_egov").is_visible()
    assert page.locator("p.notice").is_visible()
    _shot(page, "survey-resident-nojs-revealed-kk")
    _choose(page, "ctm_egov_used", "no")
    _press(page, "button[name=switch_lang][value=ru]")
    assert page.get_attribute("html", "lang") == "ru"
    assert page.locator("input[name=ctm_egov_used][value=no]").is_checked()
    assert page.locator("#w-ctm_egov").is_hidden()
    _finish(page, RESIDENT)
    page.locator("form.survey-submit button[type=submit]").click()
    page.wait_for_url("**/thanks")
    stored = _stored(app, "resident")
    assert len(stored) == before + 1 and "ctm_egov" not in stored[-1][1]
    assert page.script_errors == []


def test_business_invalid_then_valid_bin(survey_server, phone):
    """A business gives a BIN with a wrong check digit (error at the field, in Russian), corrects it,
    and submits; the valid BIN is stored."""
    base_url, app = survey_server
    bin_number = _valid_bin()
    page = phone()
    page.goto(f"{base_url}{BUSINESS}?lang=ru")
    _press(page, "main form button[type=submit]")
    _next(page)
    _choose(page, "business_city", "almaty")
    _choose(page, "sector", "trade")
    _choose(page, "size_band", "small")
    wrong = bin_number[:-1] + str((int(bin_number[-1]) + 1) % 10)
    page.locator("#q-bin").fill(wrong)
    with page.expect_navigation():
        page.locator("#q-bin").press("Enter")  # Enter in a text field means Next, not the first language button
    assert page.get_attribute("html", "lang") == "ru" and "/s/2" in page.url
    error = page.locator("#e-bin")
    assert error.is_visible() and "Это не действительный БИН" in error.inner_text()
    assert page.locator("#q-bin").input_value() == wrong
    assert page.locator("#q-bin").get_attribute("aria-invalid") == "true"
    _shot(page, "survey-business-bin-error-ru")
    page.locator("#q-bin").fill(bin_number)
    _next(page)
    assert "/s/3" in page.url
    _finish(page, BUSINESS)
    page.locator("form.survey-submit button[type=submit]").click()
    page.wait_for_url("**/thanks")
    stored = _stored(app, "business")
    assert len(stored) == 1 and stored[0][1]["bin"] == bin_number and stored[0][0] == "ru"
    assert page.script_errors == []


def _tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching the selector has the focus (keyboard only)."""
    for _ in range(limit):
        if page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"{selector} never got the focus by Tab")


def test_keyboard_only(survey_server, phone):
    """Start, answer a question, reach the question it reveals, and go on, with the keyboard alone."""
    base_url, _app = survey_server
    page = phone()
    page.goto(f"{base_url}{RESIDENT}?lang=en")
    _tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/s/1")
    _tab_to(page, ".survey-actions button[value=next]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/s/2")
    _tab_to(page, "#q-ctm_egov_used")
    page.keyboard.press("Space")
    assert page.locator("#q-ctm_egov_used").is_checked() and page.locator("#w-ctm_egov").is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "ctm_egov"
    page.keyboard.press("Space")
    assert page.locator("#q-ctm_egov").is_checked()
    _tab_to(page, ".survey-actions button[value=next]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#e-ctm_109_used").is_visible()  # the unanswered ones, flagged at their fields
    assert page.script_errors == []


def test_picker_on_a_phone(survey_server, phone):
    """The picker lists Almaty's two questionnaires and leads to the landing page."""
    base_url, _app = survey_server
    page = phone()
    page.goto(f"{base_url}/q/?lang=kk")
    links = page.locator("#city-almaty + ul a")
    assert links.count() == 2
    _shot(page, "survey-picker-kk")
    with page.expect_navigation():
        links.first.click()
    assert page.url.split("?")[0].endswith("/almaty") and page.locator("main form").is_visible()
    assert page.script_errors == []
