"""Official vs perceived through the CLI and the API, against hand-computed figures."""
import json

import pytest

from smartcity_survey.extensions import db
from smartcity_survey.io.report_tables import national_rows
from smartcity_survey.models import City, Questionnaire
from smartcity_survey.services.responses import store_response
from tests.helpers import (import_values, indicator, invoke, load_catalogue, worked_catalogue, worked_values,
                           write_csv)
from tests.xlsform_helpers import CHOICES_HEADER, RATING_CHOICES, xlsform

YEAR = 2021
FORM = xlsform(
    [["type", "name", "label::English (en)", "label::Russian (ru)", "area", "indicator"],
     ["select_one rate", "ctm_a", "Akimat services online", "Услуги акимата онлайн", "ctm", ""],
     ["select_one rate", "ctm_b", "109 hotline", "Служба 109", "ctm", ""],
     ["select_one rate", "hlt_a", "Clinic booking", "Запись к врачу", "hlt", ""],
     ["select_one rate", "ict_a", "Public wifi", "Общественный wifi", "ict", "ict_0"],
     ["select_one gender", "gender", "Gender", "Пол", "", ""]],
    [CHOICES_HEADER, *RATING_CHOICES, ["gender", "female", "Woman", "Женщина"], ["gender", "male", "Man", "Мужчина"]],
    [["form_id", "form_title"], ["perception", "Perception"]])


BUSINESS_FORM = xlsform(
    [["type", "name", "label::English (en)", "label::Russian (ru)", "area", "indicator"],
     ["select_one rate", "ctm_a", "Permits online", "Разрешения онлайн", "ctm", ""]],
    [CHOICES_HEADER, *RATING_CHOICES],
    [["form_id", "form_title"], ["firms", "Firms"]])


def _respond(city: str, answers: dict, weight: float | None = None):
    questionnaire = db.session.scalar(db.select(Questionnaire).where(Questionnaire.slug == "perception"))
    city_obj = db.session.scalar(db.select(City).where(City.slug == city))
    store_response(questionnaire, city_obj, answers, source="import", weight=weight)


@pytest.fixture
def world(seeded, runner, tmp_path, make_questionnaire):
    """Astana reports the worked example for 2021; 30 residents answered there by a known pattern."""
    load_catalogue(runner, tmp_path, YEAR, worked_catalogue())
    import_values(runner, tmp_path, YEAR, worked_values("astana"))
    make_questionnaire(FORM, year=YEAR, open_in=["astana", "almaty", "oral"])
    for i in range(30):
        # ten say 5 (100), ten answer both ctm items with 3 (50, counted once), ten say 1 (0)
        ctm = [{"ctm_a": "5", "ctm_b": "dk"}, {"ctm_a": "3", "ctm_b": "3"}, {"ctm_a": "1", "ctm_b": "dk"}][i // 10]
        _respond("astana", {**ctm, "hlt_a": "dk" if i == 0 else "4", "ict_a": "4"})
    db.session.commit()
    return runner


def _report(runner, *args) -> dict:
    result = invoke(runner, "report", "--year", YEAR, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _city(report: dict, slug: str) -> dict:
    return next(c for c in report["cities"] if c["city"] == slug)


def test_unweighted_area_figure_by_hand(world):
    """ctm: mean 50 of 100/50/0 thirds, s = sqrt(50000/29), CI 50 ± 1.96·s/√30 = [35.1413, 64.8587], n 30."""
    ctm = _city(_report(world), "astana")["perceived"]["resident"]["areas"]["ctm"]
    assert ctm == {"percent": 50.0, "n": 30, "n_eff": 30.0, "ci_low": pytest.approx(35.1413, abs=1e-3),
                   "ci_high": pytest.approx(64.8587, abs=1e-3), "suppressed": False}


def test_dont_know_is_left_out_and_29_respondents_are_suppressed(world):
    """hlt: one respondent said don't know, so n = 29 < 30: suppressed, no number; min_n 29 shows it."""
    hlt = _city(_report(world), "astana")["perceived"]["resident"]["areas"]["hlt"]
    assert hlt["n"] == 29 and hlt["suppressed"] is True and hlt["percent"] is None and hlt["ci_low"] is None
    shown = _city(_report(world, "--min-n", "29"), "astana")["perceived"]["resident"]["areas"]["hlt"]
    assert shown["suppressed"] is False and shown["percent"] == 75.0 and shown["ci_low"] == shown["ci_high"] == 75.0


def test_gap_flags_and_their_nulls(world):
    """ctm: official 95.4 above the interval and 45.4 points over → lags; hlt suppressed → null; ict consistent."""
    gaps = _city(_report(world), "astana")["gaps"]["resident"]
    assert gaps["ctm"] == {"official": 95.4, "perceived": 50.0, "gap": 45.4, "flag": "perception_lags"}
    assert gaps["hlt"]["flag"] is None and gaps["hlt"]["gap"] is None
    assert gaps["ict"] == {"official": 70.0, "perceived": 75.0, "gap": -5.0, "flag": "consistent"}
    assert gaps["agr"]["flag"] is None  # n/a officially


def test_residents_and_businesses_together_carry_their_gaps_too(world):
    """The combined audience is compared with the official percents like each audience alone."""
    entry = _city(_report(world), "astana")
    combined = entry["perceived"]["combined"]["areas"]["ctm"]
    assert entry["gaps"]["combined"]["ctm"]["perceived"] == combined["percent"]
    assert entry["gaps"]["combined"]["ctm"]["gap"] == round(95.4 - combined["percent"], 4)


def test_equal_perceived_levels_share_a_rank_and_the_next_skips():
    """The national table's perceived rank ties as the official rating does: 1, 2, 2, 4."""
    def city(slug, rank, level):
        return {"city": slug, "name": slug, "official": {"rank": rank, "level_percent": 50.0, "total": None},
                "perceived": {audience: {"level_percent": level, "weighting": "none"}
                              for audience in ("resident", "business", "combined")}}
    report = {"cities": [city("a", 1, 80.0), city("b", 2, 70.0), city("c", 3, 70.0), city("d", 4, 60.0),
                         city("e", 5, None)]}
    assert [row[5] for row in national_rows(report)] == [1, 2, 2, 4, None]
    assert [row[7] for row in national_rows(report)] == [0, 0, 1, 0, None]


def test_groups_average_the_areas_that_have_a_figure_and_say_what_was_left_out(world):
    """Steps 3-5 unchanged: the questionnaire asks only ctm, hlt, ict and hlt is suppressed, so the priority
    group is ctm alone (50 → 3 points × 2), ICT is 75 (4 × 2), additional has no area and leaves the total:
    C_t = 14 / 20 = 70 %, level = (50 + 75) / 2 = 62.5. Each carries n and a 95 % interval: the group's
    standard error is the mean of its areas' (ctm: 14.8587 / 1.96; ict: 0), C_t's interval is the C_t at
    the groups' interval ends (35.1413 → 2 points, 64.8587 → 4 points: 60 % and 80 %)."""
    block = _city(_report(world), "astana")["perceived"]["resident"]
    assert block["groups"]["priority"] == {
        "percent": 50.0, "points": 3, "weighted_points": 6, "areas_counted": ["ctm"], "n": 30,
        "ci_low": pytest.approx(35.1413, abs=1e-3), "ci_high": pytest.approx(64.8587, abs=1e-3)}
    assert block["groups"]["ict"] == {"percent": 75.0, "points": 4, "weighted_points": 8, "areas_counted": ["ict"],
                                      "n": 30, "ci_low": 75.0, "ci_high": 75.0}
    assert block["groups"]["additional"] is None
    assert block["total"] == {"points": 14, "percent": 70.0, "n": 30, "ci_low": 60.0, "ci_high": 80.0}
    assert block["level_percent"] == 62.5 and block["level_n"] == 30
    assert block["level_ci_low"] == pytest.approx(62.5 - 14.8587 / 2, abs=1e-3)
    assert block["level_ci_high"] == pytest.approx(62.5 + 14.8587 / 2, abs=1e-3)
    assert block["left_out"]["priority"] == {"hlt": "too few responses", "edu": "not asked", "scy": "not asked",
                                             "hcs": "not asked", "its": "not asked"}
    assert block["left_out"]["additional"]["agr"] == "not applicable"  # n/a on the official side
    assert block["left_out"]["ict"] == {}


def test_a_groups_n_counts_each_respondent_once_across_its_areas(world):
    """Almaty: 30 answer ctm, 30 others answer hlt, 10 of the first also hlt. The priority group's n is the
    60 people with a score in ctm or hlt; each area keeps its own n (30 and 40)."""
    for i in range(60):
        answers = {"ctm_a": "4"} if i < 30 else {"hlt_a": "2"}
        if i < 10:
            answers["hlt_a"] = "3"
        _respond("almaty", answers)
    db.session.commit()
    block = _city(_report(world), "almaty")["perceived"]["resident"]
    assert block["areas"]["ctm"]["n"] == 30 and block["areas"]["hlt"]["n"] == 40
    assert block["groups"]["priority"]["n"] == 60 and block["groups"]["priority"]["areas_counted"] == ["ctm", "hlt"]
    assert block["groups"]["priority"]["percent"] == pytest.approx((75 + (10 * 50 + 30 * 25) / 40) / 2)
    assert block["groups"]["ict"] is None and block["level_n"] == 60 and block["total"]["n"] == 60


def test_indicator_check_puts_the_claim_next_to_the_users(world):
    """ict_0 is claimed at 100 %; every respondent rated wifi 4, so 100 % rate it 4-5 (n 30)."""
    check = _city(_report(world), "astana")["indicator_checks"]["resident"]
    assert check == [{"indicator": "ict_0", "official_status": "reported", "official_value": 100.0,
                      "official_percent": 100.0, "percent": 100.0, "n": 30, "n_eff": 30.0, "ci_low": 100.0,
                      "ci_high": 100.0, "suppressed": False}]


def test_imported_weights_give_the_weighted_mean_and_kish_n(world):
    """15 × 100 with weight 2 and 15 × 0 with weight 1: mean 66.6667, n_eff 27, CI [48.5465, 84.7869]."""
    for i in range(30):
        _respond("almaty", {"ctm_a": "5" if i < 15 else "1"}, weight=2.0 if i < 15 else 1.0)
    db.session.commit()
    block = _city(_report(world), "almaty")["perceived"]["resident"]
    assert block["weighting"] == "imported"
    assert block["areas"]["ctm"] == {"percent": pytest.approx(66.6667, abs=1e-3), "n": 30, "n_eff": 27.0,
                                     "ci_low": pytest.approx(48.5465, abs=1e-3),
                                     "ci_high": pytest.approx(84.7869, abs=1e-3), "suppressed": False}


def test_together_is_unweighted_unless_every_response_carries_a_weight(world, make_questionnaire):
    """Residents with imported weights and businesses without: residents are weighted on their own, but
    together counts every respondent of both once, unweighted, rather than pushing the businesses out."""
    for i in range(30):
        _respond("almaty", {"ctm_a": "5" if i < 15 else "1"}, weight=2.0 if i < 15 else 1.0)
    business = make_questionnaire(BUSINESS_FORM, year=YEAR,
                                  audience="business", open_in=["almaty"])
    city = db.session.scalar(db.select(City).where(City.slug == "almaty"))
    for _ in range(30):
        store_response(business, city, {"ctm_a": "3"}, source="import")
    db.session.commit()
    perceived = _city(_report(world), "almaty")["perceived"]
    assert perceived["resident"]["weighting"] == "imported" and perceived["business"]["weighting"] == "none"
    together = perceived["combined"]
    assert together["weighting"] == "none" and together["areas"]["ctm"]["n"] == 60
    assert together["areas"]["ctm"]["percent"] == pytest.approx((15 * 100 + 15 * 0 + 30 * 50) / 60)
    assert together["groups"]["priority"]["n"] == 60


def test_raking_to_loaded_margins(world, tmp_path):
    """20 women say 5, 10 men say 1; margins 50/50 rake them to 0.75 and 1.5: the mean moves from 66.7 to 50."""
    for i in range(30):
        _respond("oral", {"ctm_a": "5" if i < 20 else "1", "gender": "female" if i < 20 else "male"})
    db.session.commit()
    assert _city(_report(world), "oral")["perceived"]["resident"]["areas"]["ctm"]["percent"] == \
        pytest.approx(66.6667, abs=1e-3)
    margins = write_csv(tmp_path / "margins.csv", ["city", "variable", "category", "share"],
                        [["oral", "gender", "female", "50"], ["oral", "gender", "male", "50"]])
    assert invoke(world, "margins", "load", margins).exit_code == 0
    block = _city(_report(world), "oral")["perceived"]["resident"]
    assert block["weighting"] == "raked" and block["raking"]["converged"] is True
    assert block["areas"]["ctm"]["percent"] == pytest.approx(50.0, abs=1e-6)
    assert block["areas"]["ctm"]["n_eff"] == 26.67  # (Σw)² / Σw² = 30² / (20·0.5625 + 10·2.25)


def test_margins_that_do_not_add_up_are_refused(world, tmp_path):
    """Shares of a variable must add up to 1 (or 100 %); the file is refused naming the row."""
    margins = write_csv(tmp_path / "bad.csv", ["city", "variable", "category", "share"],
                        [["oral", "gender", "female", "0.5"], ["oral", "gender", "male", "0.3"]])
    result = invoke(world, "margins", "load", margins)
    assert result.exit_code != 0 and "row 2, column share" in result.output and "add up to 0.8" in result.output


def test_api_report_has_the_documented_shape_and_the_same_numbers(world, client):
    """GET /api/v1/years/Y/report and /cities/<slug>/report answer the CLI's JSON; unknown → 404 JSON."""
    cli = _report(world)
    data = client.get(f"/api/v1/years/{YEAR}/report").get_json()
    assert list(data)[:4] == ["year", "demo", "min_n", "gap_threshold"] or {"year", "min_n", "gap_threshold",
                                                                             "cities", "rank_correlation"} <= set(data)
    assert data["cities"] == cli["cities"] and data["rank_correlation"] == {"spearman": None, "cities": 1}
    entry = data["cities"][0]
    assert {"city", "name", "official", "perceived", "gaps"} <= set(entry)
    assert set(entry["perceived"]["resident"]) >= {"weighting", "areas", "groups", "total", "level_percent"}
    one = client.get(f"/api/v1/years/{YEAR}/cities/astana/report").get_json()
    assert [c["city"] for c in one["cities"]] == ["astana"]
    assert client.get("/api/v1/years/1999/report").status_code == 404
    assert client.get(f"/api/v1/years/{YEAR}/cities/atlantis/report").get_json()["error"]["status"] == 404


def test_report_cache_follows_new_responses(world, client, monkeypatch):
    """A second request is served from the cache; a new response invalidates it."""
    import smartcity_survey.services.report_cache as cache

    calls = []
    original = cache.build_report
    monkeypatch.setattr(cache, "build_report", lambda *a, **k: calls.append(1) or original(*a, **k))
    client.get(f"/api/v1/years/{YEAR}/report")
    client.get(f"/api/v1/years/{YEAR}/report")
    assert len(calls) == 1
    _respond("astana", {"ctm_a": "5"})
    db.session.commit()
    data = client.get(f"/api/v1/years/{YEAR}/report").get_json()
    assert len(calls) == 2 and _city(data, "astana")["perceived"]["resident"]["areas"]["ctm"]["n"] == 31


def test_report_csv_and_table_formats(world):
    """CSV has one row per city, audience and area; the table names the flag."""
    csv_out = invoke(world, "report", "--year", YEAR, "--city", "astana", "--format", "csv").output
    lines = csv_out.strip().splitlines()
    assert lines[0].startswith("city,name,audience,area,official_percent,perceived_percent,n")
    assert "astana,Astana,resident,ctm,95.4,50.0,30," in csv_out and len(lines) == 1 + 3 * 12  # 3 audiences
    assert "perception_lags" in invoke(world, "report", "--year", YEAR).output
    assert invoke(world, "report", "--year", 1999).exit_code != 0


def test_margins_rake_only_the_audience_asked_about_them(world, tmp_path):
    """Gender margins weight residents (asked their gender) and leave businesses (never asked) unweighted."""
    business = xlsform([["type", "name", "label::English (en)", "area"], ["select_one rate", "ctm_b1", "Permits", "ctm"]],
                       [CHOICES_HEADER, *RATING_CHOICES], [["form_id", "form_title"], ["permits", "Permits"]])
    from smartcity_survey.io.xlsform import read_xlsform
    from smartcity_survey.services.questionnaires import create_questionnaire, open_questionnaire

    definition = read_xlsform(business, "business.xlsx").definition
    questionnaire = create_questionnaire(definition, year=YEAR, audience="business")
    open_questionnaire(definition.slug, ["oral"])
    oral_city = db.session.scalar(db.select(City).where(City.slug == "oral"))
    for i in range(30):
        store_response(questionnaire, oral_city, {"ctm_b1": "4"}, source="import")
    for i in range(30):
        _respond("oral", {"ctm_a": "5" if i < 20 else "1", "gender": "female" if i < 20 else "male"})
    db.session.commit()
    margins = write_csv(tmp_path / "margins.csv", ["city", "variable", "category", "share"],
                        [["oral", "gender", "female", "50"], ["oral", "gender", "male", "50"]])
    assert invoke(world, "margins", "load", margins).exit_code == 0
    oral = _city(_report(world), "oral")["perceived"]
    assert oral["resident"]["weighting"] == "raked" and oral["business"]["weighting"] == "none"
    assert oral["business"]["areas"]["ctm"]["n"] == 30


def _firms_in_astana(count: int, rating: str) -> None:
    """A business questionnaire on ctm, open in Astana, answered `count` times with `rating`."""
    from smartcity_survey.io.xlsform import read_xlsform
    from smartcity_survey.services.questionnaires import create_questionnaire, open_questionnaire

    business = xlsform([["type", "name", "label::English (en)", "area"], ["select_one rate", "ctm_b1", "Permits", "ctm"]],
                       [CHOICES_HEADER, *RATING_CHOICES], [["form_id", "form_title"], ["permits", "Permits"]])
    questionnaire = create_questionnaire(read_xlsform(business, "b.xlsx").definition, year=YEAR, audience="business")
    open_questionnaire("permits", ["astana"])
    astana = db.session.scalar(db.select(City).where(City.slug == "astana"))
    for _ in range(count):
        store_response(questionnaire, astana, {"ctm_b1": rating}, source="import")
    db.session.commit()


def test_residents_and_businesses_are_also_reported_together(world):
    """combined: every respondent of either audience once — 30 residents (mean 50) and 30 firms (75) → 62.5, n 60."""
    _firms_in_astana(30, "4")
    perceived = _city(_report(world), "astana")["perceived"]
    assert perceived["business"]["areas"]["ctm"]["percent"] == 75.0
    combined = perceived["combined"]["areas"]["ctm"]
    assert combined["n"] == 60 and combined["percent"] == 62.5 and perceived["combined"]["weighting"] == "none"


def test_combined_figure_does_not_give_away_a_suppressed_audience(world, client):
    """30 residents (ctm 50, shown) and 5 firms (suppressed): a combined 57.1 from 35 would tell anyone
    that the 5 firms said 100 (35 × 57.1 − 30 × 50 = 5 × 100), so the combined ctm is suppressed too."""
    _firms_in_astana(5, "5")
    for perceived in (_city(_report(world), "astana")["perceived"],
                      client.get(f"/api/v1/years/{YEAR}/cities/astana/report").get_json()["cities"][0]["perceived"]):
        assert perceived["resident"]["areas"]["ctm"]["percent"] == 50.0
        assert perceived["business"]["areas"]["ctm"]["suppressed"]
        combined = perceived["combined"]
        assert combined["areas"]["ctm"]["suppressed"] and combined["areas"]["ctm"]["percent"] is None
        assert combined["areas"]["ctm"]["ci_low"] is None and combined["areas"]["ctm"]["ci_high"] is None
        assert combined["groups"]["priority"] is None  # ctm is its only asked area: nothing to average
        assert combined["left_out"]["priority"]["ctm"] == "too few responses"
        assert combined["areas"]["ict"]["percent"] == 75.0  # only residents were asked: nothing to subtract


def test_responses_without_a_weight_in_a_weighted_city_are_left_out_and_said(world, client):
    """30 residents with imported weights and 4 without (web answers, say): the residents' figures use the
    weights and leave the 4 out, and the report says how many, rather than dropping them without a word."""
    for i in range(30):
        _respond("almaty", {"ctm_a": "5" if i < 15 else "1"}, weight=2.0 if i < 15 else 1.0)
    for _ in range(4):
        _respond("almaty", {"ctm_a": "3"})
    db.session.commit()
    perceived = _city(_report(world), "almaty")["perceived"]
    resident = perceived["resident"]
    assert resident["weighting"] == "imported" and resident["areas"]["ctm"]["n"] == 30
    assert resident["unweighted_left_out"] == 4
    assert perceived["business"]["unweighted_left_out"] == 0
    assert perceived["combined"]["unweighted_left_out"] == 0  # together is unweighted: everyone counts
    assert _city(_report(world), "astana")["perceived"]["resident"]["unweighted_left_out"] == 0
    page = client.get(f"/reports/{YEAR}/cities/almaty?lang=en").get_data(as_text=True)
    assert "4 residents' responses carry no weight and are not counted" in page
    assert "businesses' responses carry no weight" not in page


def test_gap_flag_compares_the_official_percent_itself_not_its_four_decimal_rounding(world, tmp_path):
    """The flag compares the official percent itself, not the 4 decimals it is shown to. Almaty: official ICT
    350 / 6 = 58.333… (a sixth indicator at 0) and 30 residents give it 48.333… (28 × 50, 2 × 25; interval
    up to 50.6): the gap is exactly 10, "perception lags". Official ctm is 44.99996 and they give it 35
    (18 × 25, 12 × 50): the gap is 9.99996, under 10, "consistent". Read from the rounded 58.3333 and 45.0,
    the gaps were 9.99997 and 10.0 and both flags the wrong way round."""
    load_catalogue(world, tmp_path, YEAR, worked_catalogue([indicator("ict_5", "ict")]))
    import_values(world, tmp_path, YEAR, worked_values("almaty", ctm_1="44.99996", ict_5="0"), name="almaty.csv")
    for i in range(30):
        _respond("almaty", {"ctm_a": "2" if i < 18 else "3", "ict_a": "3" if i < 28 else "2"})
    db.session.commit()
    gaps = _city(_report(world), "almaty")["gaps"]["resident"]
    assert gaps["ict"]["official"] == 58.3333 and gaps["ict"]["perceived"] == 48.3333
    assert gaps["ict"]["gap"] == 10.0 and gaps["ict"]["flag"] == "perception_lags"
    assert gaps["ctm"]["official"] == 45.0 and gaps["ctm"]["perceived"] == 35.0  # shown to 4 decimals
    assert gaps["ctm"]["flag"] == "consistent"
