"""The rating page and the city page in headless Chromium, in English, Russian and Kazakh."""
from __future__ import annotations

import csv

import pytest

from smartcity_survey.config import PROJECT_ROOT

pytestmark = pytest.mark.browser

with (PROJECT_ROOT / "smartcity_survey" / "data" / "cities.csv").open(encoding="utf-8") as _file:
    CITIES = {row["slug"]: row for row in csv.DictReader(_file)}
LANGUAGES = ["en", "ru", "kk"]
#: area "Health" in each language, from the bundled areas.csv
HEALTH = {"en": "Health", "ru": "Здравоохранение", "kk": "Денсаулық сақтау"}
CHART_DRAWN = "Chart.getChart(document.getElementById('rating-chart')) !== undefined"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_rating_page_shows_17_cities_and_draws_the_chart(live_server, page, screenshot, lang):
    """/rating/2019: 17 table rows named in the language, Chart.js draws the bar chart with the same names."""
    page.goto(f"{live_server}/rating/2019?lang={lang}")
    assert page.get_attribute("html", "lang") == lang
    rows = page.locator("table.rating-table tbody tr")
    assert rows.count() == 17
    names = rows.locator("th a").all_inner_texts()
    assert sorted(names) == sorted(city[f"name_{lang}"] for city in CITIES.values())
    page.wait_for_function(CHART_DRAWN)
    assert page.evaluate("typeof Chart") == "function"
    labels = page.evaluate("Chart.getChart(document.getElementById('rating-chart')).data.labels")
    assert labels == names  # chart and table list the cities in the same (rank) order
    box = page.locator("#rating-chart").bounding_box()
    assert box["width"] > 300 and box["height"] >= 320
    assert page.locator(".demo-banner").is_visible()
    assert page.script_errors == []
    screenshot(f"rating-2019-{lang}")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_city_page_shows_the_breakdown(live_server, page, screenshot, lang):
    """/rating/2019/oral: the city's name, its three group rows, twelve areas, indicators of the open one."""
    page.goto(f"{live_server}/rating/2019/oral?lang={lang}")
    assert page.get_attribute("html", "lang") == lang
    heading = page.locator("h1").inner_text()
    assert heading.startswith(f"{CITIES['oral'][f'name_{lang}']}: ") and heading.endswith("%")
    assert page.locator("section[aria-labelledby=step-total] tbody tr").count() == 3
    assert page.locator("section[aria-labelledby=step-areas] details").count() == 12
    assert page.get_by_text(HEALTH[lang], exact=True).is_visible()
    first_area = page.locator("section[aria-labelledby=step-areas] details").first
    assert first_area.get_attribute("open") is not None
    assert first_area.locator("tbody tr").count() > 0 and first_area.locator("tbody tr").first.is_visible()
    assert page.script_errors == []
    screenshot(f"city-2019-oral-{lang}")


def test_city_link_and_language_switch(live_server, page):
    """From the English rating, the first city's link opens its page; the Қазақша link switches language."""
    page.goto(f"{live_server}/rating/2019?lang=en")
    first = page.locator("table.rating-table tbody tr").first.locator("th a")
    name = first.inner_text()
    first.click()
    page.wait_for_url("**/rating/2019/*")
    assert page.locator("h1").inner_text().startswith(f"{name}: ")
    page.get_by_role("link", name="Қазақша").click()
    page.wait_for_url("**lang=kk")
    assert page.get_attribute("html", "lang") == "kk"
    slug = page.url.split("/rating/2019/", 1)[1].split("?", 1)[0]
    assert page.locator("h1").inner_text().startswith(f"{CITIES[slug]['name_kk']}: ")
    assert page.script_errors == []
