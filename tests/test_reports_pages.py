"""The report pages: the national comparison, a city's public page and the dashboard show the report's
numbers (the JSON API is the oracle), never a suppressed figure, a draft or an unmoderated suggestion."""
from __future__ import annotations

import json
import re

import pytest

from smartcity_survey.extensions import db
from smartcity_survey.models import AssessmentYear, City
from smartcity_survey.serializers import score_dict
from smartcity_survey.services.rating import city_score
from tests.helpers_reports import report_app  # noqa: F401  (the module-scoped fixture)
from tests.helpers_reports import (BEFORE, HIDDEN, LOW_AREA, PENDING, XSS, YEAR, page_table,
                                   signed_in_client)

AUDIENCE = {"resident": "Residents", "business": "Businesses", "combined": "Residents and businesses"}
FLAG = {"perception_lags": "perception lags", "perception_exceeds": "perception exceeds", "consistent": "consistent"}
MISSING = {"no responses", "not asked", "too few responses"}


@pytest.fixture(scope="module")
def client(report_app):
    return report_app.test_client()


@pytest.fixture(scope="module")
def area_names(client) -> dict[str, str]:
    """Area code -> English name, from the standard's JSON API."""
    return {a["code"]: a["name"]["en"] for a in client.get("/api/v1/standards/2019").get_json()["areas"]}


def _html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def _api_city(client, slug: str, year: int = YEAR) -> dict:
    return client.get(f"/api/v1/years/{year}/cities/{slug}/report").get_json()["cities"][0]


def _f(value, places: int = 1) -> str:
    return "—" if value is None else f"{value:.{places}f}"


def _expected_area_row(city: dict, code: str, audience: str, name: str) -> list[str]:
    """What the area table must show for one area and audience, from the API's report."""
    official = city["official"]["areas"][code]
    figure = city["perceived"][audience]["areas"][code]
    gap = city["gaps"][audience][code]
    if figure["suppressed"]:
        perceived = [figure.get("reason") or "too few responses", "—", "—", "—"]
    else:
        perceived = [_f(figure["percent"]), _f(figure["ci_low"]), _f(figure["ci_high"]), str(figure["n"])]
    return [name, AUDIENCE[audience], "not applicable" if official is None else _f(official["percent"]),
            *perceived, _f(gap["gap"]), FLAG.get(gap["flag"], "—")]


@pytest.mark.parametrize("slug", ["almaty", "astana", "aktau"])
def test_city_page_shows_the_reports_figures_area_by_area(client, area_names, slug):
    """Every row of the area table equals the API's official, perceived, interval, n, gap and flag."""
    city = _api_city(client, slug)
    rows = page_table(_html(client, f"/reports/{YEAR}/cities/{slug}?lang=en"), "areas")
    expected = [_expected_area_row(city, code, audience, area_names[code])
                for code in city["perceived"]["resident"]["areas"] for audience in AUDIENCE]
    assert rows[1:] == expected


def _expected_group_rows(city: dict, names: list[tuple[str, str]]) -> list[list[str]]:
    """The groups table from the API: each group, C_t and the level, official then every audience."""
    sides = [("official", "Official", city["official"])] + [
        (audience, label, city["perceived"][audience]) for audience, label in AUDIENCE.items()]

    def why(block, groups):
        if not any(area["n"] for area in block["areas"].values()):
            return "no responses"
        reasons = {r for g in groups for r in block["left_out"][g].values()}
        return "not asked" if reasons and reasons <= {"not asked", "not applicable"} else "too few responses"

    def cells(side, block, figure, groups, weighted=True):
        if figure is None:
            return ["—" if side == "official" else why(block, groups)] + ["—"] * 5
        points = "—" if figure.get("points") is None else str(figure["points"])
        return [_f(figure["percent"]), points, str(figure["weighted_points"]) if weighted else "—",
                _f(figure.get("ci_low")), _f(figure.get("ci_high")), str(figure["n"]) if "n" in figure else "—"]

    rows = []
    for code, name in names:
        for side, label, block in sides:
            group = block["groups"][code]
            counted = "—"
            if side != "official" and group is not None:
                applicable = len(group["areas_counted"]) + sum(
                    r != "not applicable" for r in block["left_out"][code].values())
                counted = f"{len(group['areas_counted'])} of {applicable}"
            rows.append([name, label, *cells(side, block, group, [code]), counted])
    codes = [code for code, _name in names]
    for side, label, block in sides:
        rows.append(["Total score C_t", label, *cells(side, block, block["total"], codes, weighted=False), "—"])
    for side, label, block in sides:
        level = None if block["level_percent"] is None else {"percent": block["level_percent"]} | (
            {} if side == "official" else {"n": block["level_n"], "ci_low": block["level_ci_low"],
                                           "ci_high": block["level_ci_high"]})
        rows.append(["Implementation level", label,
                     *cells(side, block, level, codes, weighted=False)[:1], "—", "—",
                     *cells(side, block, level, codes, weighted=False)[3:], "—"])
    return rows


@pytest.mark.parametrize("slug", ["almaty", "astana", "aktau"])
def test_city_page_gives_groups_total_and_level_for_each_audience_and_together(client, slug):
    """Steps 3-5 on the page: each group's percent, points and weighted points, C_t and the level, official
    and perceived by residents, businesses and both together, with interval and n; a missing one says why."""
    city = _api_city(client, slug)
    groups = [(g["code"], g["name"]["en"]) for g in client.get("/api/v1/standards/2019").get_json()["groups"]]
    rows = page_table(_html(client, f"/reports/{YEAR}/cities/{slug}?lang=en"), "groups")
    assert rows[1:] == _expected_group_rows(city, groups)
    assert "Residents and businesses" in {row[1] for row in rows}


@pytest.mark.parametrize("slug", ["almaty", "astana"])
def test_city_page_gives_each_perceived_level_its_interval_n_and_areas(client, slug):
    """Residents' and businesses' levels show the API's interval and n, and how many areas they average."""
    city = _api_city(client, slug)
    page = _html(client, f"/reports/{YEAR}/cities/{slug}?lang=en")
    shown = [audience for audience in ("resident", "business") if city["perceived"][audience]["level_percent"] is not None]
    assert "resident" in shown
    for audience in shown:
        block = city["perceived"][audience]
        counted = sum(len(group["areas_counted"]) for group in block["groups"].values() if group)
        applicable = 12 - sum(reason == "not applicable" for reasons in block["left_out"].values()
                              for reason in reasons.values())
        detail = (f"95 % interval {_f(block['level_ci_low'], 2)}–{_f(block['level_ci_high'], 2)}; "
                  f"n = {block['level_n']}; {counted} of {applicable} areas")
        assert detail in page, detail


def test_the_low_rated_area_is_flagged_in_words_and_colour(client):
    """Almaty's residents rate housing low: the row says "perception lags" and carries the flag class."""
    city = _api_city(client, "almaty")
    assert city["gaps"]["resident"][LOW_AREA]["flag"] == "perception_lags"  # the world is what we think
    html = _html(client, f"/reports/{YEAR}/cities/almaty?lang=en")
    row = re.search(r'<tr class="flag-row-perception_lags"><th scope="row">Housing and communal services</th>'
                    r"<td>Residents</td>.*?</tr>", html)
    assert row and '<span class="flag flag-perception_lags">perception lags</span>' in row.group(0)
    assert "at least 10 points" in html and "fewer than 30 respondents" in html  # the rule, with its thresholds


def test_suppressed_cells_never_show_a_number(client):
    """Aktau's 5 residents: every resident cell says "too few responses", with no interval, n or bar."""
    html = _html(client, f"/reports/{YEAR}/cities/aktau?lang=en")
    resident_rows = [row for row in page_table(html, "areas")[1:] if row[1] == "Residents"]
    assert len(resident_rows) == 12
    for row in resident_rows:
        assert row[3] == "too few responses" and row[4:] == ["—"] * 5, row
    chart = json.loads(re.search(r"data-chart='([^']*)'", html).group(1))
    resident = next(d for d in chart["datasets"] if d["key"] == "resident")
    assert resident["values"] == resident["low"] == resident["high"] == [None] * 12
    for row in page_table(html, "indicators")[1:]:
        if row[1] == "Residents":
            assert row[5] == "too few responses" and row[6:] == ["—"] * 3, row


def test_no_perceived_cell_anywhere_shows_a_number_for_a_suppressed_figure(client):
    """Across cities and tables: a suppressed figure (per the API) never has digits on the page."""
    for slug in ("almaty", "astana", "aktau"):
        city = _api_city(client, slug)
        rows = page_table(_html(client, f"/reports/{YEAR}/cities/{slug}?lang=en"), "areas")[1:]
        figures = [city["perceived"][a]["areas"][code] for code in city["perceived"]["resident"]["areas"]
                   for a in AUDIENCE]
        for row, figure in zip(rows, figures, strict=True):
            if figure["suppressed"]:
                assert row[3] in MISSING and not any(re.search(r"\d", cell) for cell in row[4:]), row


def test_national_page_lists_every_city_with_both_levels_and_ranks(client):
    """One row per city of the report, its official rank and level and residents' level; rho shown."""
    report = client.get(f"/api/v1/years/{YEAR}/report").get_json()
    html = _html(client, f"/reports/{YEAR}/national?lang=en")
    rows = page_table(html, "national")[1:]
    assert len(rows) == len(report["cities"]) == 17
    for row, city in zip(rows, report["cities"]):
        assert row[0] == str(city["official"]["rank"]) and row[1] == city["name"]
        assert row[2] == _f(city["official"]["level_percent"], 2)
        assert row[5] == _f(city["perceived"]["resident"]["level_percent"], 2)
        assert row[8:] == [_f(city["perceived"][audience]["level_percent"], 2) for audience in ("business", "combined")]
    aktau = next(row for row in rows if row[1] == "Aktau")
    assert aktau[4:7] == ["—", "—", "—"]  # suppressed: no perceived level, rank or difference
    rho = report["rank_correlation"]
    assert f"ρ = {rho['spearman']:.2f} over {rho['cities']} cities" in html
    scatter = json.loads(re.search(r"data-chart='([^']*)'", html).group(1))
    assert {p["label"] for p in scatter["points"]} == {r[1] for r in rows if r[5] != "—"}


def test_national_page_in_kazakh_names_the_cities_in_kazakh(client):
    """?lang=kk: the page is Kazakh and the table's cities carry their Kazakh names."""
    html = _html(client, f"/reports/{YEAR}/national?lang=kk")
    assert '<html lang="kk">' in html
    names = [row[1] for row in page_table(html, "national")[1:]]
    assert "Алматы" in names and "Ақтау" in names and "Almaty" not in names


def test_city_page_in_russian_names_the_areas_in_russian(client):
    """?lang=ru: area names come from the standard's Russian names."""
    rows = page_table(_html(client, f"/reports/{YEAR}/cities/almaty?lang=ru"), "areas")
    assert "Жилищно-коммунальное хозяйство" in [row[0] for row in rows]


def test_only_approved_suggestions_are_shown_and_escaped(client, report_app):
    """The approved XSS payload shows as text under its area; pending and hidden ones never appear."""
    officer = signed_in_client(report_app, "officer")
    for page_client, url in ((client, f"/reports/{YEAR}/cities/almaty"), (officer, f"/dashboard/{YEAR}/almaty")):
        html = _html(page_client, url + "?lang=en")
        section = html.split('id="suggestions-heading"', 1)[1]
        assert "<h3>Transport</h3>" in section
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; more night buses" in section
        assert XSS not in html and "<script>alert" not in html
        assert PENDING not in html and HIDDEN not in html


def test_draft_score_only_on_the_dashboard_and_labelled(client, report_app):
    """The dashboard shows the draft beside the verified score, labelled; public pages never do."""
    with report_app.app_context():
        assessment = db.session.scalar(db.select(AssessmentYear).where(AssessmentYear.year == YEAR))
        city = db.session.scalar(db.select(City).where(City.slug == "almaty"))
        draft = score_dict(city_score(assessment, city))
    verified = _api_city(client, "almaty")["official"]
    html = _html(signed_in_client(report_app, "officer"), f"/dashboard/{YEAR}/almaty?lang=en")
    assert "Your draft score, not published" in html and '<span class="draft-tag">Draft</span>' in html
    rows = {row[0]: row for row in page_table(html, "draft")[1:]}
    ctm = draft["areas"]["ctm"]["percent"]
    assert rows["Urban management"] == ["Urban management", _f(verified["areas"]["ctm"]["percent"]), _f(ctm),
                                        _f(round(round(ctm, 1) - round(verified["areas"]["ctm"]["percent"], 1), 1))]
    for url in (f"/reports/{YEAR}/cities/almaty?lang=en", f"/reports/{YEAR}/national?lang=en"):
        public = _html(client, url)
        assert "table-draft" not in public and "draft" not in public.lower(), url
    public_rows = page_table(_html(client, f"/reports/{YEAR}/cities/almaty?lang=en"), "areas")
    assert public_rows[1][2] == _f(verified["areas"]["ctm"]["percent"]) != _f(ctm)


def test_trend_shows_both_years(client):
    """The trend table has 2019 and 2020 side by side: official levels from each year's scores."""
    html = _html(client, f"/reports/{YEAR}/cities/almaty?lang=en")
    rows = page_table(html, "trend")
    assert rows[0][:4] == ["Measure", f"Official {BEFORE}, %", f"Official {YEAR}, %", "Change"]
    before = client.get(f"/api/v1/years/{BEFORE}/cities/almaty/scores").get_json()
    now = _api_city(client, "almaty")
    level = rows[1]
    assert level[:3] == ["Implementation level", _f(before["level_percent"]), _f(now["official"]["level_percent"])]
    assert level[3] == _f(round(round(now["official"]["level_percent"], 1) - round(before["level_percent"], 1), 1))
    assert level[4:6] == ["—", _f(now["perceived"]["resident"]["level_percent"])]  # no survey in 2019


def test_the_first_year_says_there_is_no_earlier_year(client):
    """2019 has no earlier assessment year: no trend table, a sentence instead."""
    html = _html(client, f"/reports/{BEFORE}/cities/almaty?lang=en")
    assert "No earlier year to compare with." in html and "table-trend" not in html


def test_dashboard_entry_sends_each_role_to_their_page(report_app):
    """/dashboard: an officer lands on their city's latest year, an analyst on the national page."""
    assert signed_in_client(report_app, "officer").get("/dashboard").location == f"/dashboard/{YEAR}/almaty"
    assert signed_in_client(report_app, "analyst").get("/dashboard").location == f"/reports/{YEAR}/national"


def test_another_citys_officer_gets_the_plain_404(report_app):
    """Astana's officer asking for Almaty's dashboard learns nothing about it."""
    response = signed_in_client(report_app, "other_officer").get(f"/dashboard/{YEAR}/almaty?lang=en")
    page = response.get_data(as_text=True)
    assert response.status_code == 404 and "Almaty" not in page and "draft" not in page.lower()


@pytest.mark.parametrize("url", ["/reports/1999/national", "/reports/2020/cities/nowhere", "/reports/1999/cities/almaty",
                                 "/reports/2020/cities/nowhere.xlsx", "/reports/2019/cities/almaty/trend.csv"])
def test_unknown_years_cities_and_tables_are_404(client, url):
    """No page or file for a year, city or table that does not exist."""
    assert client.get(url).status_code == 404


def test_pages_link_to_each_other(client):
    """The nav links the comparison; the rating's city page links the city's report; so do the city pages."""
    assert 'href="/reports"' in _html(client, "/?lang=en")
    assert f'href="/reports/{YEAR}/cities/almaty"' in _html(client, f"/rating/{YEAR}/almaty?lang=en")
    national = _html(client, f"/reports/{YEAR}/national?lang=en")
    assert f'href="/reports/{YEAR}/national.xlsx?lang=en"' in national
    assert client.get("/reports").location == f"/reports/{YEAR}/national"


def test_see_results_partial_links_a_questionnaire_to_its_city_report(report_app):
    """The partial for questionnaire pages links "See what your city's residents said" to the report."""
    from flask import render_template_string

    with report_app.test_request_context("/?lang=en"):
        html = render_template_string(
            '{% with year=2020, city=city %}{% include "reports/_see_results_link.html" %}{% endwith %}',
            city=db.session.scalar(db.select(City).where(City.slug == "almaty")))
        by_slug = render_template_string(
            '{% with year=2020, city="aktau" %}{% include "reports/_see_results_link.html" %}{% endwith %}')
    assert f'<a href="/reports/{YEAR}/cities/almaty">See what your city\'s residents said</a>' in html
    assert f'href="/reports/{YEAR}/cities/aktau"' in by_slug


def test_see_results_partial_tells_a_business_about_businesses(report_app):
    """On the business questionnaire's pages the link says what businesses said, in the page's language:
    it told a business respondent about residents before."""
    from flask import render_template_string

    include = ('{% with year=2020, city="almaty", audience=audience %}'
               '{% include "reports/_see_results_link.html" %}{% endwith %}')
    with report_app.test_request_context("/?lang=en"):
        assert "See what your city's businesses said" in render_template_string(include, audience="business")
        assert "residents said" in render_template_string(include, audience="resident")
    with report_app.test_request_context("/?lang=ru"):
        business = render_template_string(include, audience="business")
    assert "businesses said" not in business and "жители" not in business


def test_fractional_points_are_printed_as_they_are_not_rounded(report_app):
    """A group weight of 1.5 makes weighted points and C_t points like 7.5: shown so, never rounded to 8."""
    from smartcity_survey.reports.cells import rows_html
    from smartcity_survey.reports.tables import Names, group_table

    official = {"groups": {"priority": {"percent": 81.0, "points": 5, "weighted_points": 7.5}},
                "total": {"points": 7.5, "percent": 100.0}, "level_percent": 81.0}
    silent = {"areas": {"ctm": {"n": 0}}, "groups": {"priority": None}, "total": None, "level_percent": None,
              "left_out": {"priority": {"ctm": "no responses"}}}
    entry = {"official": official, "perceived": {a: silent for a in ("resident", "business", "combined")}}
    with report_app.test_request_context("/?lang=en"):
        html = rows_html(group_table(entry, Names([("ctm", "Urban")], {}, [("priority", "Priority areas")])))
    assert '<td class="num">7.5</td>' in html and ">8<" not in html
    assert html.count("no responses") == 3 * 3  # each audience: the group, C_t and the level


def test_spearmans_rho_ranks_the_levels_unrounded(report_app, monkeypatch):
    """rho is computed from the official and residents' levels themselves, as the official rating ranks
    cities, not from the 4 decimals the report shows (two different levels could tie there)."""
    from smartcity_survey.services import perceived
    from smartcity_survey.stats import spearman

    given: list = []

    def recording(pairs):
        given.extend(pairs)
        return spearman(given)

    monkeypatch.setattr(perceived.stats, "spearman", recording)
    with report_app.app_context():
        from smartcity_survey.services.report_cache import settings_from_config

        report = perceived.build_report(YEAR, settings_from_config())
    shown = [(city["official"]["level_percent"], city["perceived"]["resident"]["level_percent"])
             for city in report["cities"] if city["official"] and city["perceived"]["resident"]["level_percent"]]
    assert len(given) == len(shown) >= 3 and report["rank_correlation"]["cities"] == len(given)
    assert [(round(o, 4), round(r, 4)) for o, r in given] == shown
    assert any(r != round(r, 4) for _o, r in given)  # unrounded: more places than the report shows
