"""An administrator runs the questionnaires in headless Chromium (in Russian): import an XLSForm, open it
in two cities with a closing time, close one city, read the response counts (the chart draws the
table's numbers), download the raw responses, then moderate a suggestion; an analyst moderates too.
Elements are found by URL, name and id, not by UI text, which the catalogues translate."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from smartcity_survey import create_app
from smartcity_survey.extensions import db
from smartcity_survey.models import City, Questionnaire, SuggestionReview
from smartcity_survey.services.accounts import create_user
from smartcity_survey.services.demo_survey import fill_demo_survey
from smartcity_survey.services.responses import store_response
from tests.helpers import app_config
from tests.xlsform_helpers import SMALL_FORM

pytestmark = pytest.mark.browser

PASSWORD = "questionnaires admin 2019"
CHART_DRAWN = "Chart.getChart(document.getElementById('responses-chart')) !== undefined"


@pytest.fixture(scope="module")
def admin_site(live_server, database_url, tmp_path_factory):
    """The demo survey of 2019 (responses and suggestions), three earlier days of answers, an admin and
    an analyst."""
    app = create_app(app_config(database_url))
    form = tmp_path_factory.mktemp("forms") / "small.xlsx"
    form.write_bytes(SMALL_FORM)
    with app.app_context():
        fill_demo_survey(2019)
        resident = db.session.scalar(db.select(Questionnaire).where(Questionnaire.slug == "resident"))
        almaty = db.session.scalar(db.select(City).where(City.slug == "almaty"))
        rating = next(q for q in resident.questions if q.type == "rating")
        for days_ago, count in ((3, 4), (2, 7), (1, 2)):
            moment = datetime.now(timezone.utc) - timedelta(days=days_ago)
            for _ in range(count):
                store_response(resident, almaty, {rating.name: "4"}, source="web", language="ru", now=moment)
        create_user("admin@gov.kz", "admin", PASSWORD)
        create_user("analyst@gov.kz", "analyst", PASSWORD)
        db.session.commit()
        db.session.remove()
    yield {"app": app, "url": live_server, "form": form}
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def sign_in(page, site, email: str) -> None:
    page.goto(f"{site['url']}/login?lang=ru")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form input[type=submit]")
    page.wait_for_url(re.compile(r".*/$|.*/rating.*"))


def flashed(page) -> str:
    # the click's navigation may still be loading: counted at once, the flash was now and then not there yet
    page.wait_for_load_state()
    page.locator(".flash-success").first.wait_for()
    assert page.locator(".flash-success").count() == 1, page.locator("main").inner_text()[:800]
    return page.locator(".flash-success").inner_text()


def test_admin_imports_opens_closes_and_reads_responses(admin_site, page, screenshot):
    """Import, open in two cities until a date, close one; counts by city and day, chart and table agree."""
    sign_in(page, admin_site, "admin@gov.kz")
    page.click("header a[href='/admin/questionnaires']")
    assert page.locator("a[href='/admin/questionnaires/resident/1']").count() == 1
    screenshot("admin-ru-questionnaires")
    page.click("a[href='/admin/questionnaires/import']")
    page.set_input_files("input[name=file]", str(admin_site["form"]))
    page.fill("input[name=year]", "2019")
    page.select_option("select[name=audience]", "resident")
    page.click("form input[type=submit]")
    page.wait_for_url("**/admin/questionnaires/small/1")
    flashed(page)
    page.check("input[name=scope][value=selected]")
    page.check("input[name=cities][value=almaty]")
    page.check("input[name=cities][value=astana]")
    page.fill("input[name=closes_at]", (datetime.now(timezone.utc) + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"))
    page.click("form[action$='/open'] input[type=submit]")
    flashed(page)
    assert page.locator("form[action$='/cities/almaty/close']").count() == 1
    page.click("form[action$='/cities/astana/close'] button")
    flashed(page)
    assert page.locator("form[action$='/close'][action*='/cities/']").count() == 1
    screenshot("admin-ru-questionnaire-small")
    page.goto(f"{admin_site['url']}/admin/questionnaires/resident/1/responses?city=almaty")
    page.wait_for_function(CHART_DRAWN)
    chart = page.evaluate("Chart.getChart(document.getElementById('responses-chart')).data")
    table = page.locator("#responses-by-day tbody tr")
    assert chart["labels"] == table.locator("th").all_inner_texts() and len(chart["labels"]) == 4
    assert chart["datasets"][0]["data"] == [int(n.replace("\u00a0", "")) for n in table.locator("td").all_inner_texts()]
    assert chart["datasets"][0]["data"][:3] == [4, 7, 2]
    with page.expect_download() as download:
        page.click("a[href$='/responses.csv']")
    assert download.value.suggested_filename == "responses-resident-v1.csv"
    assert page.script_errors == []
    screenshot("admin-ru-responses")


def test_admin_and_analyst_moderate_suggestions(admin_site, page, screenshot):
    """The queue shows waiting suggestions; approving one under an area takes it off the queue."""
    app = admin_site["app"]
    with app.app_context():
        before = db.session.scalar(db.select(db.func.count(SuggestionReview.id)))
        db.session.remove()
    for email in ("admin@gov.kz", "analyst@gov.kz"):
        sign_in(page, admin_site, email)
        page.click("header a[href='/moderation/']")
        first = page.locator("article.suggestion").first
        action = first.locator("form").get_attribute("action")
        first.locator("select").select_option("its")
        first.locator("input[name$='-approve']").click()
        page.wait_for_load_state()
        flashed(page)
        assert page.locator(f"form[action='{action}']").count() == 0
        screenshot(f"moderation-ru-{email.split('@')[0]}")
        page.click("form[action='/logout'] button")
        page.wait_for_load_state()
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(SuggestionReview.id))) == before + 2
        db.session.remove()
    assert page.script_errors == []


def test_admin_header_fits_a_laptop_screen(admin_site, page):
    """An administrator's dozen header links, longer in Russian and Kazakh, wrap into rows: no admin page is
    wider than a 1024 or 1280 pixel laptop screen (they pushed it to about 1300 before)."""
    sign_in(page, admin_site, "admin@gov.kz")
    for width in (1024, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        for path in ("/admin/users?lang=ru", "/admin/questionnaires?lang=kk", "/admin/audit?lang=en"):
            page.goto(admin_site["url"] + path)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{path} at {width} px"
    assert page.script_errors == []
