"""An akimat officer's whole journey in headless Chromium, in Russian and in Kazakh.

The officer fills two areas (one with an evidence file, one with an indicator not applicable) and
submits them; an analyst returns one area with a comment; the officer fixes it and resubmits; the
analyst verifies both; the public rating then shows the city with the score the engine computes.
Elements are found by URL, name and id (not by UI text, which the catalogues will translate); the
area, indicator and city names are checked in the page's language.
"""
from __future__ import annotations

import re

import pytest

from smartcity_survey import create_app
from smartcity_survey.extensions import db
from smartcity_survey.models import City, Indicator
from smartcity_survey.services.accounts import create_user
from smartcity_survey.services.indicator_values import apply_values, validate_values_file
from smartcity_survey.services.rating import official_rating
from smartcity_survey.services.standards import ensure_assessment_year
from tests.helpers import app_config

pytestmark = pytest.mark.browser

YEAR = 2020
PASSWORD = "journey password 2020"
ANALYST = "analyst@gov.kz"
#: one run per language, each with its own city so the runs do not meet
JOURNEYS = [("ru", "oral"), ("kk", "shymkent")]
#: what the people type, in the run's language: the n/a reason and the analyst's comment
TYPED = {"ru": ("В черте города нет сельхозугодий", "Укажите номер приказа о центре 109"),
         "kk": ("Қала шегінде ауыл шаруашылығы алқаптары жоқ", "109 орталығы туралы бұйрықтың нөмірін көрсетіңіз")}
#: the 2019 catalogue's "urban management" (ctm) and "agriculture" (agr) answers the officer types
CTM = {"ctm_public_services_electronic": "80", "ctm_akimat_services_automated": "65,5",
       "ctm_single_dispatch_service": "1", "ctm_hotline_109": "1", "ctm_city_mobile_app": "1",
       "ctm_official_portal": "1", "ctm_smart_city_architecture": "0", "ctm_appeal_response_days": "4"}
AGR = {"agr_e_subsidies": "60", "agr_livestock_identification": "40", "agr_precision_farming": "50"}
NOT_APPLICABLE = "agr_field_maps_gis"
EVIDENCE_ON = "ctm_public_services_electronic"
RETURNED = "ctm_hotline_109"


@pytest.fixture(scope="module")
def journey(live_server, database_url, tmp_path_factory):
    """Year 2020 open; an analyst and the officers; two other cities already verified for company."""
    app = create_app(app_config(database_url))
    folder = tmp_path_factory.mktemp("journey")
    with app.app_context():
        ensure_assessment_year(YEAR)
        create_user(ANALYST, "analyst", PASSWORD)
        for _, slug in JOURNEYS:
            create_user(f"officer@{slug}.kz", "akimat", PASSWORD, slug)
        values = folder / "company.csv"
        values.write_text("city,indicator,value\n" + "".join(
            f'{city},{code},"{answer}"\n' for city in ("astana", "almaty")  # quoted: "65,5" is one cell
            for code, answer in (CTM | AGR).items()), encoding="utf-8")
        apply_values(YEAR, validate_values_file(YEAR, values), actor="import:company.csv", status="verified")
        db.session.commit()
        ids = {i.code: i.id for i in db.session.scalars(db.select(Indicator))}
        names = {(c.slug, lang): c.name_in(lang) for c in db.session.scalars(db.select(City)) for lang in ("ru", "kk")}
        db.session.remove()
    pdf = folder / "отчёт-услуги.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% evidence of e-services\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
    yield {"app": app, "url": live_server, "ids": ids, "names": names, "pdf": pdf}
    with app.app_context():  # close this app's connections before the live server empties the tables
        db.session.remove()
        db.engine.dispose()


def sign_in(page, journey, email: str, lang: str) -> None:
    page.goto(f"{journey['url']}/login?lang={lang}")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form input[type=submit]")
    page.wait_for_url(re.compile(r".*/$|.*/rating.*"))


def sign_out(page) -> None:
    page.click("form[action='/logout'] button")
    page.wait_for_load_state()


def field(journey, code: str, name: str) -> str:
    return f"#i{journey['ids'][code]}-{name}"


def answer(page, journey, code: str, text: str) -> None:
    """Type a number, or tick a yes/no radio (stored as 1 / 0)."""
    radio = f"input[name='i{journey['ids'][code]}-value'][value='{text}']"
    if code in ("ctm_single_dispatch_service", "ctm_hotline_109", "ctm_city_mobile_app", "ctm_official_portal",
                "ctm_smart_city_architecture"):
        page.check(radio)
    else:
        page.fill(field(journey, code, "value"), text)


def save(page) -> None:
    page.click("#area-form .form-actions button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".flash-success").count() == 1, page.locator("main").inner_text()[:500]


def open_area(page, journey, slug: str, area: str, lang: str) -> None:
    page.goto(f"{journey['url']}/assessments/{YEAR}/{slug}/areas/{area}?lang={lang}")


@pytest.mark.parametrize("lang, slug", JOURNEYS)
def test_officer_fills_submits_fixes_and_the_rating_follows(journey, page, screenshot, lang, slug):
    """Fill two areas -> submit -> returned with a comment -> fix, resubmit -> verified -> public score."""
    officer = f"officer@{slug}.kz"
    city_name = journey["names"][(slug, lang)]

    # The officer fills "urban management" with an evidence file, and watches the live draft preview.
    sign_in(page, journey, officer, lang)
    page.click("a[href='/assessments/']")
    page.wait_for_url(f"**/assessments/{YEAR}/{slug}/")
    assert city_name in page.locator("h1").inner_text()
    page.click(f"a[href='/assessments/{YEAR}/{slug}/areas/ctm']")
    assert page.locator("h1").inner_text() == {"ru": "Управление городом", "kk": "Қаланы басқару"}[lang]
    for code, text in CTM.items():
        answer(page, journey, code, text)
    page.locator("[data-preview-live]").wait_for(state="visible")  # the script scored the unsaved input
    assert page.locator("[data-preview=answered]").inner_text() == "8"
    page.set_input_files(field(journey, EVIDENCE_ON, "evidence_file"), str(journey["pdf"]))
    page.fill(field(journey, EVIDENCE_ON, "evidence_note"), "Реестр госуслуг / Мемлекеттік қызметтер тізілімі")
    screenshot(f"journey-{lang}-1-ctm-filled")
    save(page)
    assert page.locator(".evidence-files a", has_text="отчёт-услуги.pdf").count() == 1
    screenshot(f"journey-{lang}-2-ctm-saved")

    # Agriculture: one indicator does not apply, with its reason.
    open_area(page, journey, slug, "agr", lang)
    for code, text in AGR.items():
        answer(page, journey, code, text)
    page.check(field(journey, NOT_APPLICABLE, "not_applicable"))
    page.fill(field(journey, NOT_APPLICABLE, "na_reason"), TYPED[lang][0])
    save(page)
    screenshot(f"journey-{lang}-3-agr-saved")

    # Both areas are submitted for review.
    for area in ("ctm", "agr"):
        open_area(page, journey, slug, area, lang)
        page.click("form.submit-form button")
        page.wait_for_load_state()
        assert page.locator(".flash-success").count() == 1
    page.goto(f"{journey['url']}/assessments/{YEAR}/{slug}/?lang={lang}")
    assert page.locator(".badge.status-submitted").count() == 2
    screenshot(f"journey-{lang}-4-submitted")
    sign_out(page)

    # The analyst finds them in the queue and returns one indicator of urban management with a comment.
    sign_in(page, journey, ANALYST, lang)
    page.click("a[href='/assessments/review']")
    page.click(f"a[href='/assessments/{YEAR}/{slug}/areas/ctm']")
    assert page.locator(".evidence-files a", has_text="отчёт-услуги.pdf").count() == 1
    with page.expect_download() as download:
        page.click(".evidence-files a")
    assert download.value.suggested_filename == "отчёт-услуги.pdf"
    page.check(f"input[name=return-indicators][value='{journey['ids'][RETURNED]}']")
    page.fill("#return-comment", TYPED[lang][1])
    screenshot(f"journey-{lang}-5-analyst-returns")
    page.click("form[action$='/return'] button")
    page.wait_for_load_state()
    assert page.locator(".badge.status-returned").count() >= 1
    sign_out(page)

    # The officer sees the comment, fixes the returned indicator and resubmits.
    sign_in(page, journey, officer, lang)
    open_area(page, journey, slug, "ctm", lang)
    assert TYPED[lang][1] in page.locator(f"#ind-{RETURNED}").inner_text()
    page.check(f"input[name='i{journey['ids'][RETURNED]}-value'][value='0']")
    page.fill(field(journey, RETURNED, "evidence_note"), "Приказ акима № 109-П")
    screenshot(f"journey-{lang}-6-officer-fixes")
    save(page)
    page.click("form.submit-form button")
    page.wait_for_load_state()
    assert page.locator(".badge.status-returned").count() == 0
    sign_out(page)

    # The analyst verifies both areas.
    sign_in(page, journey, ANALYST, lang)
    for area in ("ctm", "agr"):
        open_area(page, journey, slug, area, lang)
        page.click("form[action$='/verify'] button")
        page.wait_for_load_state()
        assert page.locator(".flash-success").count() == 1
    screenshot(f"journey-{lang}-7-verified")
    sign_out(page)

    # The public rating now lists the city with the score the engine computes from verified values.
    with journey["app"].app_context():
        expected = official_rating(YEAR).find(slug).score
        db.session.remove()
    agriculture = expected.areas["agr"]
    assert (agriculture.percent, agriculture.not_applicable) == (50, 1)  # the n/a indicator left out
    page.goto(f"{journey['url']}/rating/{YEAR}?lang={lang}")
    row = page.locator("table.rating-table tbody tr", has=page.locator(f"a[href='/rating/{YEAR}/{slug}']"))
    assert row.locator("th a").inner_text() == city_name
    cells = row.locator("td").all_inner_texts()  # rank, points, C_t, level, then the group percents
    assert cells[2:5] == [f"{float(expected.total_percent):.0f}", f"{float(expected.level_percent):.2f}",
                          f"{float(expected.groups['priority'].percent):.1f}"]
    assert cells[3] == "7.12"  # (545.5 / 8 / 6 + 150 / 3 / 5 + 0) / 3: the officer's fixed answers
    screenshot(f"journey-{lang}-8-public-rating")
    assert page.script_errors == []


def test_history_and_admin_pages(journey, page, screenshot):
    """After the journeys: an indicator's history reads in order; an admin creates an officer and sees the log."""
    slug = JOURNEYS[0][1]
    sign_in(page, journey, ANALYST, "ru")
    page.goto(f"{journey['url']}/assessments/{YEAR}/{slug}/indicators/{RETURNED}/history?lang=ru")
    kinds = page.locator("table.history-table tbody tr td:nth-child(3)").all_inner_texts()
    assert len(kinds) == 6  # edit, submit, return, edit, submit, verify; newest first
    assert TYPED["ru"][1] in page.locator("table.history-table").inner_text()
    screenshot("journey-ru-9-history")
    sign_out(page)
    with journey["app"].app_context():
        create_user("admin@gov.kz", "admin", PASSWORD)
        db.session.commit()
        db.session.remove()
    sign_in(page, journey, "admin@gov.kz", "kk")
    page.click("a[href='/admin/users']")
    page.click("a[href='/admin/users/new']")
    page.fill("input[name=email]", "new.officer@aktau.kz")
    page.select_option("select[name=role]", "akimat")
    page.select_option("select[name=city]", "aktau")
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=confirm]", PASSWORD)
    page.click("form input[type=submit]")
    page.wait_for_url("**/admin/users")
    assert page.locator("tr", has_text="new.officer@aktau.kz").locator("td").nth(1).inner_text() == "Ақтау"
    screenshot("admin-kk-users")
    page.click("a[href='/admin/audit']")
    assert page.locator("tbody tr").count() == 1
    assert page.script_errors == []
