"""Public HTML pages: real content in three languages, 404s, base.html and static files."""
from __future__ import annotations

import csv
import re

import pytest

from smartcity_survey.config import PROJECT_ROOT
from smartcity_survey.extensions import db
from smartcity_survey.services.demo import fill_demo_year
from tests.helpers import import_values, indicator, invoke, load_catalogue, worked_catalogue, worked_values

with (PROJECT_ROOT / "smartcity_survey" / "data" / "cities.csv").open(encoding="utf-8") as _file:
    CITIES = {row["slug"]: row for row in csv.DictReader(_file)}


@pytest.fixture
def demo(seeded):
    """The 2019 demo year filled for all 17 cities, committed."""
    fill_demo_year(2019)
    db.session.commit()
    return seeded


@pytest.fixture
def worked(seeded, runner, tmp_path):
    """The worked example for Astana in 2020, loaded through the CLI."""
    load_catalogue(runner, tmp_path, 2020, worked_catalogue())
    import_values(runner, tmp_path, 2020, worked_values("astana"))
    return seeded


def _page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    assert response.content_type == "text/html; charset=utf-8"
    return response.get_data(as_text=True)


def _table_rows(html: str) -> list[str]:
    body = html.split('<table class="striped rating-table">', 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr>.*?</tr>", body.split("<tbody>", 1)[1], flags=re.S)


def test_home_without_data_says_nothing_is_published(app, client):
    """An empty database: the home page still renders and says no year is published."""
    assert "No assessment year has been published yet." in _page(client, "/?lang=en")


def test_home_shows_the_latest_rating_top_cities(worked, client):
    """The home page lists the latest year's leaders with their C_t."""
    html = _page(client, "/?lang=en")
    assert "Rating 2020" in html and "/rating/2020/astana" in html
    assert re.search(r"Astana</a>\s*— 72 %", html)


def test_year_rating_lists_every_city_with_its_scores(demo, client):
    """/rating/2019 with the demo: 17 rows, every city's name and link, a demo banner and the chart."""
    html = _page(client, "/rating/2019?lang=en")
    rows = _table_rows(html)
    assert len(rows) == 17
    for slug, city in CITIES.items():
        assert f'href="/rating/2019/{slug}">{city["name_en"]}</a>' in html
    assert 'class="demo-banner"' in html and 'id="rating-chart"' in html
    assert all(re.search(r"<td[^>]*>\d+ / 25</td>", row) for row in rows)


def test_year_rating_shows_the_worked_example_figures(worked, client):
    """Astana's row: rank 1, 18 / 25 points, C_t 72, level 58.24, groups 67.2 / 37.5 / 70.0."""
    rows = _table_rows(_page(client, "/rating/2020?lang=en"))
    assert len(rows) == 1
    cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", rows[0], flags=re.S)
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in cells]
    assert cells == ["1", "Astana", "18 / 25", "72", "58.24", "67.2", "37.5", "70.0"]


def test_city_page_shows_the_breakdown(worked, client):
    """/rating/2020/astana: total, rank, group steps, and every area with its indicators and n/a."""
    html = _page(client, "/rating/2020/astana?lang=en")
    assert "<h1>Astana: 72 %</h1>" in html and "Rank 1 of 1" in html and "58.24 %" in html
    assert "18 / 25 = <strong>72.0 %</strong>" in html
    for figure in ("67.200", "37.525", "70.000"):
        assert figure in html
    assert "(SOC + ECO + BTD + BLD) / 4" in html
    assert html.count("<details") == 12
    assert "Indicator ctm_1" in html and "95.40 %" in html
    assert "no applicable indicator" in html and "not applicable" in html


def test_city_page_shows_not_reported_and_numeric_targets(seeded, runner, tmp_path, client):
    """A blank value is shown as not reported; a numeric indicator shows its target and direction."""
    load_catalogue(runner, tmp_path, 2020, worked_catalogue([indicator("ict_n", "ict", "numeric", "10", "lower",
                                                                       "days")]))
    import_values(runner, tmp_path, 2020, worked_values("oral", edu_1="", ict_n="20"))
    html = _page(client, "/rating/2020/oral?lang=en")
    assert "<em>not reported</em>" in html
    assert "number, target 10 days" in html and "lower is better" in html and "50.0" in html


@pytest.mark.parametrize("url", ["/rating/1999", "/rating/1999/astana", "/rating/2020/gotham",
                                 "/rating/2020/almaty", "/standard/1990", "/no-such-page"])
def test_unknown_year_or_city_is_a_404_page(worked, client, url):
    """Unknown years, cities (or a city without values) and pages answer a 404 HTML page."""
    html = _page(client, url + "?lang=en", status=404)
    assert "<h1>404</h1>" in html and 'href="/"' in html


def test_latest_rating_redirects_to_the_newest_year(worked, client):
    """/rating goes to the newest assessment year."""
    response = client.get("/rating")
    assert response.status_code == 302 and response.headers["Location"].endswith("/rating/2020")


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_rating_page_speaks_russian_and_kazakh(demo, client, lang):
    """?lang=ru / ?lang=kk: <html lang>, city names and group names in that language, none in English."""
    html = _page(client, f"/rating/2019?lang={lang}")
    assert f'<html lang="{lang}">' in html
    for slug, city in CITIES.items():
        assert f'href="/rating/2019/{slug}">{city[f"name_{lang}"]}</a>' in html
    assert "Oral (Uralsk)" not in html and "Oskemen (Ust-Kamenogorsk)" not in html
    group = {"ru": "Приоритетные сферы", "kk": "Басым салалар"}[lang]
    assert f"{group}, %" in html


@pytest.mark.parametrize("lang, name, area", [
    ("ru", "Уральск", "Здравоохранение"), ("kk", "Орал", "Денсаулық сақтау"), ("en", "Oral (Uralsk)", "Health")])
def test_city_page_in_three_languages(demo, client, lang, name, area):
    """The city page names the city and its areas in the chosen language."""
    html = _page(client, f"/rating/2019/oral?lang={lang}")
    assert f'<html lang="{lang}">' in html and f"<h1>{name}: " in html and f"<strong>{area}</strong>" in html


def test_language_choice_is_remembered_and_browser_language_is_used(demo, client):
    """?lang=kk is kept in the session for the next page; a new visitor gets Accept-Language."""
    _page(client, "/rating/2019?lang=kk")
    assert '<html lang="kk">' in _page(client, "/rating/2019/oral")
    fresh = client.application.test_client()
    html = fresh.get("/rating/2019", headers={"Accept-Language": "ru-RU,ru;q=0.9"}).get_data(as_text=True)
    assert '<html lang="ru">' in html and "Уральск" in html


def test_standard_page_says_the_official_list_can_be_loaded_over_it(seeded, client):
    """The bundled catalogue is labelled a reconstruction that `flask standard load` can replace; the
    command is set as code in every language, not between literal backticks."""
    html = _page(client, "/standard/2019?lang=en")
    assert "reconstructed" in html and "<code>flask --app wsgi standard load</code>" in html and "`" not in html
    russian = _page(client, "/standard/2019?lang=ru")
    assert "<code>flask --app wsgi standard load</code>" in russian and "`" not in russian
    assert "Indicator list" not in html
    assert "Urban management" in html and "0–20 % → 1" in html and "81–100 % → 5" in html


def test_standard_page_names_the_source_of_an_official_list(seeded, runner, tmp_path, client):
    """After `flask standard load` the 2019 page shows the loaded file instead of the reconstruction notice."""
    load_catalogue(runner, tmp_path, 2019, [indicator("ctm_official", "ctm")])
    html = _page(client, "/standard/2019?lang=en")
    assert "reconstructed" not in html and "loaded from catalogue_2019.csv" in html
    assert "Indicator ctm_official" in html


def test_standard_page_in_russian_names_areas_in_russian(seeded, client):
    """/standard/2019?lang=ru lists the areas by their Russian names."""
    html = _page(client, "/standard/2019?lang=ru")
    assert '<html lang="ru">' in html and "Управление городом" in html and "Жилищно-коммунальное хозяйство" in html


def test_standard_page_says_methods_in_words_and_units_in_the_page_language(seeded, client):
    """The indicator table reads "иә / жоқ" and "сан, нысаналы мән 5 күн" in Kazakh, not the catalogue's
    codes and English units (yes_no, "numeric: 5.0 days, lower")."""
    html = _page(client, "/standard/2019?lang=kk")
    assert "нысаналы мән 5 күн (аз болған сайын жақсы)" in html and "иә / жоқ" in html
    for code in (">yes_no", ">percent", ">numeric", "5 days", "5.0 days", ", lower<", ", higher<"):
        assert code not in html, code


def test_city_page_gives_units_in_the_page_language(demo, client):
    """A numeric indicator's target on the Russian city page: "5 сут", not "5 days"."""
    html = _page(client, "/rating/2019/almaty?lang=ru")
    assert "целевое значение 5 сут" in html and " days" not in html


def test_base_template_loads_styles_scripts_and_language_links(demo, client):
    """Every page comes from base.html: stylesheets, the language switcher; the rating page adds Chart.js."""
    html = _page(client, "/rating/2019?lang=en")
    for href in ("/static/vendor/pico/pico.min.css", "/static/css/app.css",
                 "/static/vendor/chartjs/chart.umd.min.js", "/static/js/rating-chart.js"):
        assert href in html
    for lang, label in (("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")):
        assert f'<a href="/rating/2019?lang={lang}"' in html and label in html


@pytest.mark.parametrize("path, marker", [
    ("vendor/chartjs/chart.umd.min.js", b"Chart"), ("js/rating-chart.js", b"rating-chart"),
    ("css/app.css", b"{"), ("vendor/pico/pico.min.css", b"{")])
def test_static_files_are_served(client, path, marker):
    """Vendored CSS and JS are served from /static (no CDN)."""
    response = client.get(f"/static/{path}")
    assert response.status_code == 200 and marker in response.data
    response.close()


def test_pages_name_their_icon_and_it_is_served(seeded, client):
    """A page names its icon, so browsers do not ask for a missing /favicon.ico on every visit."""
    html = _page(client, "/?lang=kk")
    match = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html)
    assert match, "no icon link"
    with client.get(match.group(1)) as icon:  # a static file is streamed: close it
        assert icon.status_code == 200 and icon.content_type.startswith("image/svg+xml")
        assert b"<svg" in icon.data


def test_latest_links_skip_a_year_just_opened_for_input(worked, client, runner):
    """Opening 2021 for the akimats' input does not send the public to its empty rating: /, /rating and
    /reports stay on 2020, the newest year with verified values, until 2021 has some."""
    assert invoke(runner, "years", "open", "2021").exit_code == 0
    assert client.get("/rating").headers["Location"].endswith("/rating/2020")
    assert "Rating 2020" in _page(client, "/?lang=en")
    assert client.get("/reports").headers["Location"].endswith("/reports/2020/national")


def test_latest_report_is_a_year_with_answers_even_before_its_values(client, runner, make_questionnaire):
    """Residents' answers for 2021 make it the newest year of the comparison (perceived side first);
    the official rating stays on 2019 (demo values, verified) until 2021 has a verified value."""
    import io

    from smartcity_survey.services.responses import import_responses
    from tests.test_responses_import import GOOD_ROWS, HEADER

    fill_demo_year(2019)
    assert invoke(runner, "years", "open", "2021").exit_code == 0
    make_questionnaire(year=2021, open_in=["almaty", "astana"])
    import_responses("small", io.BytesIO("\n".join([HEADER, *GOOD_ROWS]).encode()), "answers.csv")
    db.session.commit()
    assert client.get("/reports").headers["Location"].endswith("/reports/2021/national")
    assert client.get("/rating").headers["Location"].endswith("/rating/2019")
