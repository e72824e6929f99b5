"""Report pages read the cached report: rebuilt after a new response, a changed verified value or loaded
margins, and not otherwise (counted by wrapping build_report)."""
from __future__ import annotations

import pytest
from sqlalchemy import event

from smartcity_survey.extensions import db
from smartcity_survey.models import City
from smartcity_survey.services import report_cache
from smartcity_survey.services.demo import fill_demo_year
from smartcity_survey.services.moderation import list_suggestions, review_suggestion
from smartcity_survey.services.questionnaires import load_default_questionnaires, open_questionnaire
from smartcity_survey.services.standards import ensure_assessment_year
from tests.helpers import import_values, invoke, write_csv
from tests.helpers_reports import YEAR, page_table, respond

CITY_PAGE, NATIONAL = f"/reports/{YEAR}/cities/almaty?lang=en", f"/reports/{YEAR}/national?lang=en"


@pytest.fixture
def survey(seeded):
    """Demo official values for 2020, the resident questionnaire open, three Almaty residents, and a
    minimum n of 2 so their figures show."""
    seeded.config["REPORT_MIN_N"] = 2
    fill_demo_year(YEAR)
    load_default_questionnaires(YEAR)
    open_questionnaire("resident")
    almaty = _city("almaty")
    for number in range(3):
        respond("resident", almaty, number, {}, suggestion="more buses" if number == 0 else None)
    db.session.commit()
    return seeded


@pytest.fixture
def builds(monkeypatch) -> list[int]:
    """The years build_report ran for, in order."""
    calls: list[int] = []
    real = report_cache.build_report

    def counting(year, settings):
        calls.append(year)
        return real(year, settings)

    monkeypatch.setattr(report_cache, "build_report", counting)
    return calls


def _city(slug: str) -> City:
    return db.session.scalar(db.select(City).where(City.slug == slug))


def _residents(client, area: str = "Health") -> list[str]:
    rows = page_table(client.get(CITY_PAGE).get_data(as_text=True), "areas")
    return next(row for row in rows if row[:2] == [area, "Residents"])


def test_pages_and_files_share_one_build_while_nothing_changes(survey, client, builds):
    """Pages in three languages, the dashboard's data and the downloads reuse the first build."""
    for url in (NATIONAL, CITY_PAGE, f"/reports/{YEAR}/cities/almaty?lang=kk", f"/reports/{YEAR}/national.csv",
                f"/reports/{YEAR}/cities/almaty.xlsx", CITY_PAGE):
        assert client.get(url).status_code == 200, url
    assert builds == [YEAR]


def test_a_cached_page_asks_the_database_only_a_few_small_questions(survey, client, builds):
    """Once cached, a city page costs a bounded number of queries (the fingerprint, names, suggestions)."""
    client.get(CITY_PAGE)
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert client.get(CITY_PAGE).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert builds == [YEAR] and len(statements) <= 20, statements
    assert not any("response_measures" in sql for sql in statements)


def test_a_new_response_rebuilds_the_report(survey, client, builds):
    """A fourth resident: the next page is built afresh and its n is 4."""
    assert _residents(client)[6] == "3"
    respond("resident", _city("almaty"), 3, {})
    db.session.commit()
    assert _residents(client)[6] == "4"
    assert builds == [YEAR, YEAR]


def test_a_changed_verified_value_rebuilds_the_report(survey, client, builds, runner, tmp_path):
    """A verified import changing one of Almaty's health values changes the official percent shown."""
    before = _residents(client)[2]
    import_values(runner, tmp_path, YEAR, [["almaty", "hlt_e_health_passport", "0"],
                                           ["almaty", "hlt_online_appointment", "0"]])
    after = _residents(client)[2]
    assert after != before and builds == [YEAR, YEAR]


def test_loaded_margins_rebuild_the_report(survey, client, builds, runner, tmp_path):
    """Margins for Almaty: the report is rebuilt and its residents' answers are now raked."""
    assert "residents unweighted" in client.get(CITY_PAGE).get_data(as_text=True)
    path = write_csv(tmp_path / "margins.csv", ["city", "variable", "category", "share"],
                     [["almaty", "gender", "female", "0.53"], ["almaty", "gender", "male", "0.47"]])
    assert invoke(runner, "margins", "load", path).exit_code == 0
    assert "residents raked" in client.get(CITY_PAGE).get_data(as_text=True)
    assert builds == [YEAR, YEAR]


def test_moderation_shows_at_once_without_a_rebuild(survey, client, builds):
    """Suggestions are read on each request: an approval appears without rebuilding the report."""
    assert "more buses" not in client.get(CITY_PAGE).get_data(as_text=True)
    review_suggestion(list_suggestions(pending=True)[0].answer_id, "approved", area_code="its", actor="mod")
    db.session.commit()
    assert "more buses" in client.get(CITY_PAGE).get_data(as_text=True)
    assert builds == [YEAR]


def test_a_year_without_results_says_so_and_has_no_files(survey, client):
    """A new year with no values or answers: the city page says so; its downloads are 404."""
    ensure_assessment_year(YEAR + 1)
    db.session.commit()
    html = client.get(f"/reports/{YEAR + 1}/cities/almaty?lang=en").get_data(as_text=True)
    assert f"No verified official values and no survey responses for Almaty in {YEAR + 1} yet." in html
    assert client.get(f"/reports/{YEAR + 1}/cities/almaty.xlsx").status_code == 404
    national = client.get(f"/reports/{YEAR + 1}/national?lang=en").get_data(as_text=True)
    assert "No city has verified values or survey responses for this year yet." in national


def test_a_reloaded_catalogue_rebuilds_the_report(survey, client, builds, runner, tmp_path):
    """The same catalogue file loaded again with another target for broadband speed (only an indicator row
    changes, not the version's own): the official ICT percent the report shows follows the new target, as
    the rating does, instead of the report keeping the scores of the old target."""
    import csv

    from smartcity_survey.services.standards import DATA_DIR

    with (DATA_DIR / "standards" / "2019" / "indicators.csv").open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    path = write_csv(tmp_path / "catalogue.csv", list(rows[0]), rows)
    assert invoke(runner, "standard", "load", path, "--year", 2019).exit_code == 0
    area = "Information and communication technologies"
    before = _residents(client, area)[2]
    for row in rows:
        if row["code"] == "ict_broadband_speed":
            row["target"] = "100000"
    write_csv(path, list(rows[0]), rows)
    assert invoke(runner, "standard", "load", path, "--year", 2019).exit_code == 0
    rating = client.get(f"/api/v1/years/{YEAR}/cities/almaty/scores").get_json()
    after = _residents(client, area)[2]
    assert after != before and float(after) == round(rating["areas"]["ict"]["percent"], 1)
    assert builds == [YEAR, YEAR]


def test_a_new_questionnaire_rebuilds_the_report(survey, client, builds, make_questionnaire):
    """A business questionnaire asking about health, imported before anyone answers it: the businesses' health
    cell says "no responses" from then on, no longer "not asked"."""
    from tests.xlsform_helpers import CHOICES_HEADER, RATING_CHOICES, xlsform

    def businesses_health() -> str:
        rows = page_table(client.get(CITY_PAGE).get_data(as_text=True), "areas")
        return next(row for row in rows if row[:2] == ["Health", "Businesses"])[3]

    assert businesses_health() == "not asked"
    form = xlsform([["type", "name", "label::English (en)", "area"], ["select_one rate", "clinic", "Clinics", "hlt"]],
                   [CHOICES_HEADER[:3], *[row[:3] for row in RATING_CHOICES]],
                   [["form_id", "form_title"], ["firm_health", "Firms on health"]])
    make_questionnaire(form, year=YEAR, audience="business")
    assert businesses_health() == "no responses"
    assert builds == [YEAR, YEAR]


def test_a_renamed_city_rebuilds_the_report(survey, client, builds, runner, tmp_path):
    """`flask cities load` with a new name for Almaty: the pages and the files name it so at once, instead
    of the cached report keeping the old name until other data changed."""
    import csv

    from smartcity_survey.services.standards import DATA_DIR

    assert "Almaty" in client.get(NATIONAL).get_data(as_text=True)
    with (DATA_DIR / "cities.csv").open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    for row in rows:
        if row["slug"] == "almaty":
            row["name_en"] = "Almaty City"
    path = write_csv(tmp_path / "cities.csv", list(rows[0]), rows)
    assert invoke(runner, "cities", "load", path).exit_code == 0
    assert "Almaty City" in client.get(NATIONAL).get_data(as_text=True)
    assert ",Almaty City," in client.get(f"/reports/{YEAR}/national.csv").get_data(as_text=True)
    assert builds == [YEAR, YEAR]
