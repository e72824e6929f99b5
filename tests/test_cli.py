"""The flask sub-commands against the scoring spec: real CSV/XLSX files in, scores out."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from smartcity_survey.extensions import db
from smartcity_survey.models import AssessmentYear, City, Indicator, IndicatorValue, StandardVersion
from tests.helpers import (
    ADDITIONAL, CATALOGUE_COLUMNS, NUMERIC_2019, PERCENT_2019, VALUE_COLUMNS, YES_NO_2019, catalogue_rows,
    city, import_values, indicator, invoke, load_catalogue, scores_json, value_rows, worked_catalogue,
    worked_values, write_csv, write_xlsx,
)

YEAR = 2020  # the test year the worked-example catalogue is loaded for


@pytest.fixture
def worked(seeded, runner, tmp_path):
    """A 2020 catalogue shaped like the worked example, with Astana's values imported."""
    load_catalogue(runner, tmp_path, YEAR, worked_catalogue())
    import_values(runner, tmp_path, YEAR, worked_values("astana"))
    return runner


def _ict_only(runner, tmp_path, values: list[str], extra_ict=None, slug: str = "astana") -> dict:
    """Worked catalogue; the listed values go to ict_0.., the other ICT indicators are n/a."""
    load_catalogue(runner, tmp_path, YEAR, worked_catalogue(extra_ict))
    ict = {f"ict_{i}": (values[i] if i < len(values) else "n/a") for i in range(5)}
    import_values(runner, tmp_path, YEAR, worked_values(slug, **ict))
    return city(scores_json(runner, YEAR), slug)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# init and demo ------------------------------------------------------------------------------------

def test_init_is_idempotent(runner):
    """`init` twice: same schema, one 2019 standard, 17 cities, no duplicates."""
    first = invoke(runner, "init")
    second = invoke(runner, "init")
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert "standard 2019" in second.output and "17 cities" in second.output
    assert _count(StandardVersion) == 1 and _count(City) == 17
    indicators = _count(Indicator)
    assert indicators > 0 and f"{indicators} indicators" in first.output


def test_demo_fills_an_empty_database_once(seeded, runner):
    """`demo` fills 2019 for all 17 cities, labelled DEMO; a second run refuses, --if-empty succeeds."""
    result = invoke(runner, "demo")
    assert result.exit_code == 0, result.output
    assert len(scores_json(runner, 2019)["cities"]) == 17
    assert "DEMO" in invoke(runner, "scores", "--year", 2019).output
    before = value_rows()
    again = invoke(runner, "demo")
    assert again.exit_code != 0 and "already has indicator values" in again.output
    assert invoke(runner, "demo", "--if-empty").exit_code == 0
    assert value_rows() == before


# standard load ------------------------------------------------------------------------------------

def _codes(year: int) -> list[str]:
    version = db.session.scalar(select(StandardVersion).where(StandardVersion.year == year))
    return [i.code for i in version.indicators]


def test_standard_load_creates_a_new_year(seeded, runner, tmp_path):
    """A catalogue for 2021 creates that version on the 2019 areas and leaves 2019 alone."""
    before_2019 = _codes(2019)
    result = load_catalogue(runner, tmp_path, 2021, [indicator("ctm_x", "ctm"), indicator("ict_x", "ict", "yes_no")])
    assert "standard 2021: 12 areas in 3 groups, 2 indicators" in result.output
    assert _codes(2021) == ["ctm_x", "ict_x"] and _codes(2019) == before_2019
    version = db.session.scalar(select(StandardVersion).where(StandardVersion.year == 2021))
    assert version.is_official_catalogue and "catalogue_2021.csv" in version.catalogue_source


def test_standard_load_replaces_that_years_catalogue(seeded, runner, tmp_path):
    """Loading 2021 again replaces its indicators (dropped ones go, renamed ones change)."""
    load_catalogue(runner, tmp_path, 2021, [indicator("ctm_x", "ctm"), indicator("edu_x", "edu")])
    renamed = indicator("edu_x", "edu") | {"name_en": "Renamed"}
    load_catalogue(runner, tmp_path, 2021, [renamed, indicator("soc_x", "soc", "numeric", "10", "lower")])
    assert _codes(2021) == ["edu_x", "soc_x"]
    edu = db.session.scalar(select(Indicator).where(Indicator.code == "edu_x"))
    assert edu.name_en == "Renamed"


def test_standard_load_over_the_bundled_2019_marks_it_official(seeded, runner, tmp_path):
    """The official list loaded over the reconstructed 2019 one replaces it and `init` keeps it."""
    load_catalogue(runner, tmp_path, 2019, [indicator("ctm_official", "ctm")])
    assert invoke(runner, "init").exit_code == 0
    version = db.session.scalar(select(StandardVersion).where(StandardVersion.year == 2019))
    assert version.is_official_catalogue and _codes(2019) == ["ctm_official"]


@pytest.mark.parametrize("bad, column, reason", [
    ({"area": "space"}, "area", "unknown area 'space'"),
    ({"method": "guess"}, "method", "'guess' is not one of yes_no, percent, numeric"),
    ({"method": "numeric", "target": "", "direction": "higher"}, "target", "needs a target"),
    ({"method": "numeric", "target": "0", "direction": "higher"}, "target", "must be above 0"),
    ({"method": "numeric", "target": "5", "direction": "sideways"}, "direction", "is not higher or lower"),
    ({"target": "5"}, "target", "must be blank for a percent indicator"),
    ({"code": "Bad Code!"}, "code", "is not a code"),
    ({"code": "ctm_x"}, "code", "'ctm_x' already appears on row 2"),
    ({"name_en": ""}, "name_en", "an English name is required"),
], ids=["area", "method", "no-target", "zero-target", "direction", "target-on-percent", "code", "duplicate",
        "name"])
def test_standard_load_rejects_bad_rows_and_changes_nothing(seeded, runner, tmp_path, bad, column, reason):
    """A bad catalogue row names its row and column; the previous 2021 catalogue stays as it was."""
    load_catalogue(runner, tmp_path, 2021, [indicator("old_x", "ctm")])
    before = catalogue_rows()
    rows = [indicator("ctm_x", "ctm"), indicator("edu_y", "edu") | bad, indicator("hlt_z", "hlt")]
    path = write_csv(tmp_path / "bad.csv", CATALOGUE_COLUMNS, rows)
    result = invoke(runner, "standard", "load", path, "--year", 2021)
    assert result.exit_code != 0
    assert f"error: row 3, column {column}: " in result.output and reason in result.output
    assert "nothing was written" in result.output
    assert catalogue_rows() == before


def test_standard_load_lists_every_bad_row(seeded, runner, tmp_path):
    """Two bad rows: two messages, one per row, and no new version."""
    before = catalogue_rows()
    rows = [indicator("a_1", "nowhere"), indicator("b_1", "edu"), indicator("c_1", "edu", "scale")]
    result = invoke(runner, "standard", "load", write_csv(tmp_path / "bad.csv", CATALOGUE_COLUMNS, rows),
                    "--year", 2022)
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert result.exit_code != 0 and len(errors) == 2
    assert errors[0].startswith("error: row 2, column area") and errors[1].startswith("error: row 4, column method")
    assert catalogue_rows() == before


def test_standard_load_rejects_a_missing_column(seeded, runner, tmp_path):
    """A catalogue without the method column is refused, naming the column."""
    columns = [c for c in CATALOGUE_COLUMNS if c != "method"]
    path = write_csv(tmp_path / "bad.csv", columns, [indicator("ctm_x", "ctm")])
    result = invoke(runner, "standard", "load", path, "--year", 2021)
    assert result.exit_code != 0 and "row 1, column method: required column is missing" in result.output


def test_standard_load_for_a_year_before_any_standard_needs_areas(seeded, runner, tmp_path):
    """No version covers 2010 and no --areas file: refused with a message."""
    path = write_csv(tmp_path / "cat.csv", CATALOGUE_COLUMNS, [indicator("ctm_x", "ctm")])
    result = invoke(runner, "standard", "load", path, "--year", 2010)
    assert result.exit_code != 0 and "--areas" in result.output


#: a 2025-like standard: eight spheres in three weighted groups
SPHERES = {"gov": "core", "hlt": "core", "edu": "core", "sec": "services", "mob": "services",
           "hou": "services", "dig": "digital", "env": "digital"}
WEIGHTS = {"core": "3", "services": "2", "digital": "1"}


def _areas_file(tmp_path, weights=WEIGHTS):
    rows = [[code, group, f"Sphere {code}", f"Сфера {code}", f"Сала {code}", weights[group]]
            for code, group in SPHERES.items()]
    return write_csv(tmp_path / "areas_2026.csv", ["code", "group", "name_en", "name_ru", "name_kk", "weight"], rows)


def test_eight_sphere_standard_from_files_scores_with_its_groups(seeded, runner, tmp_path):
    """2026 with 8 spheres and weights 3/2/1: scores use those groups, weights and maximum (30)."""
    result = load_catalogue(runner, tmp_path, 2026, [indicator(f"{a}_1", a) for a in SPHERES],
                            areas=_areas_file(tmp_path))
    assert "8 areas in 3 groups, 8 indicators" in result.output
    percents = {"core": "90", "services": "50", "digital": "30"}
    import_values(runner, tmp_path, 2026, [["oral", f"{a}_1", percents[g]] for a, g in SPHERES.items()])
    entry = city(scores_json(runner, 2026), "oral")
    assert list(entry["areas"]) == list(SPHERES)
    assert entry["groups"] == {
        "core": {"percent": 90.0, "points": 5, "weighted_points": 15},
        "services": {"percent": 50.0, "points": 3, "weighted_points": 6},
        "digital": {"percent": 30.0, "points": 2, "weighted_points": 2}}
    assert entry["total"] == {"points": 23, "percent": round(23 / 30 * 100, 4)}
    assert entry["level_percent"] == round(170 / 3, 4)


def test_areas_file_with_conflicting_group_weights_is_rejected(seeded, runner, tmp_path):
    """Two weights for one group: refused naming the row and the weight column; nothing written."""
    areas = _areas_file(tmp_path)
    text = areas.read_text(encoding="utf-8").splitlines()
    text[2] = text[2].rsplit(",", 1)[0] + ",4"  # hlt (row 3) claims weight 4 for core
    areas.write_text("\n".join(text) + "\n", encoding="utf-8")
    before = catalogue_rows()
    catalogue = write_csv(tmp_path / "cat.csv", CATALOGUE_COLUMNS, [indicator(f"{a}_1", a) for a in SPHERES])
    result = invoke(runner, "standard", "load", catalogue, "--year", 2026, "--areas", areas)
    assert result.exit_code != 0 and "row 3, column weight" in result.output
    assert catalogue_rows() == before


# indicators import --------------------------------------------------------------------------------

def _stored() -> dict[tuple[str, str], tuple]:
    query = (select(City.slug, Indicator.code, IndicatorValue.value, IndicatorValue.not_applicable,
                    IndicatorValue.status)
             .join(IndicatorValue.city).join(IndicatorValue.indicator))
    return {(slug, code): (value, na, status) for slug, code, value, na, status in db.session.execute(query)}


HAPPY_ROWS = [
    ["astana", YES_NO_2019, "да"], ["Алматы", YES_NO_2019, "нет"], ["Қарағанды", YES_NO_2019, "иә"],
    ["oral", YES_NO_2019, "жоқ"], ["aktobe", YES_NO_2019, "Yes"], ["taraz", YES_NO_2019, "false"],
    ["astana", PERCENT_2019, "95,4"], ["almaty", PERCENT_2019, "80.2"], ["oral", PERCENT_2019, ""],
    ["aktau", PERCENT_2019, "n/a"], ["astana", NUMERIC_2019, "12,5"],
]
HAPPY_STORED = {
    ("astana", YES_NO_2019): (1.0, False, "verified"), ("almaty", YES_NO_2019): (0.0, False, "verified"),
    ("karaganda", YES_NO_2019): (1.0, False, "verified"), ("oral", YES_NO_2019): (0.0, False, "verified"),
    ("aktobe", YES_NO_2019): (1.0, False, "verified"), ("taraz", YES_NO_2019): (0.0, False, "verified"),
    ("astana", PERCENT_2019): (95.4, False, "verified"), ("almaty", PERCENT_2019): (80.2, False, "verified"),
    ("oral", PERCENT_2019): (None, False, "verified"), ("aktau", PERCENT_2019): (None, True, "verified"),
    ("astana", NUMERIC_2019): (12.5, False, "verified"),
}


def test_import_csv_in_three_languages_with_comma_decimals(seeded, runner, tmp_path):
    """CSV: да/нет/иә/жоқ/yes/false, Cyrillic city names, '95,4', blank and n/a are all stored right."""
    result = import_values(runner, tmp_path, 2019, HAPPY_ROWS)
    assert "11 rows: 11 new, 0 changed, 0 unchanged" in result.output
    assert _stored() == HAPPY_STORED
    astana = city(scores_json(runner, 2019), "astana")
    assert astana["areas"]["ict"]["not_reported"] > 0  # the other ICT indicators count as not reported


def test_import_xlsx_with_text_and_number_cells(seeded, runner, tmp_path):
    """XLSX: words, comma-decimal text, numeric cells and booleans are read like the CSV."""
    rows = [[c, i, v] for c, i, v in HAPPY_ROWS]
    rows[7][2] = 80.2  # a real number cell
    rows[0][2] = True  # a real boolean cell
    rows[8][2] = None  # an empty cell
    path = write_xlsx(tmp_path / "values.xlsx", VALUE_COLUMNS[:3], rows)
    result = invoke(runner, "indicators", "import", path, "--year", 2019)
    assert result.exit_code == 0, result.output
    assert _stored() == HAPPY_STORED


def test_reimport_updates_changed_values_only(seeded, runner, tmp_path):
    """A second import changes what differs, adds what is new and counts what is unchanged."""
    import_values(runner, tmp_path, 2019, [["astana", PERCENT_2019, "50"], ["almaty", PERCENT_2019, "40"]])
    result = import_values(runner, tmp_path, 2019, [["astana", PERCENT_2019, "60"], ["almaty", PERCENT_2019, "40"],
                                                   ["oral", PERCENT_2019, "n/a"]], name="second.csv")
    assert "3 rows: 1 new, 1 changed, 1 unchanged" in result.output
    stored = _stored()
    assert stored[("astana", PERCENT_2019)][0] == 60.0 and stored[("almaty", PERCENT_2019)][0] == 40.0
    assert stored[("oral", PERCENT_2019)][1] is True and _count(IndicatorValue) == 3


def test_reimport_blank_sets_a_value_back_to_not_reported(seeded, runner, tmp_path):
    """A blank value on re-import clears the earlier value: the indicator is not reported again."""
    import_values(runner, tmp_path, 2019, [["astana", PERCENT_2019, "50"]])
    import_values(runner, tmp_path, 2019, [["astana", PERCENT_2019, ""]], name="second.csv")
    assert _stored()[("astana", PERCENT_2019)] == (None, False, "verified")


BAD_ROWS = [
    (["Gotham", PERCENT_2019, "10"], "city", "unknown city 'Gotham'"),
    (["almaty", "no_such_indicator", "10"], "indicator", "unknown indicator 'no_such_indicator'"),
    (["almaty", PERCENT_2019, "yes"], "value", "'yes' is a yes/no answer"),
    (["almaty", PERCENT_2019, "да"], "value", "'да' is a yes/no answer"),
    (["almaty", PERCENT_2019, "100,5"], "value", "outside 0-100"),
    (["almaty", PERCENT_2019, "-0.1"], "value", "outside 0-100"),
    (["almaty", NUMERIC_2019, "-3"], "value", "negative"),
    (["almaty", PERCENT_2019, "lots"], "value", "'lots' is not a number"),
    (["almaty", YES_NO_2019, "maybe"], "value", "'maybe' is not yes/no"),
    (["Astana", PERCENT_2019, "70"], "indicator", "already appears on row 2"),
]


@pytest.mark.parametrize("bad, column, reason", BAD_ROWS, ids=[
    "unknown-city", "unknown-indicator", "yes-on-percent", "da-on-percent", "percent-above-100",
    "percent-below-0", "negative-count", "not-a-number", "not-yes-no", "same-city-indicator-twice"])
def test_import_rejects_a_bad_row_and_writes_nothing(seeded, runner, tmp_path, bad, column, reason):
    """One bad row rejects the whole file: its row number, column and reason are named, nothing changes."""
    import_values(runner, tmp_path, 2019, [["astana", PERCENT_2019, "50"]], name="first.csv")
    before = value_rows()
    path = write_csv(tmp_path / "bad.csv", VALUE_COLUMNS[:3],
                     [["astana", PERCENT_2019, "80"], bad, ["oral", YES_NO_2019, "yes"]])
    result = invoke(runner, "indicators", "import", path, "--year", 2019)
    assert result.exit_code != 0
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith(f"error: row 3, column {column}: ")
    assert reason in errors[0]
    assert "nothing was written" in result.output
    assert value_rows() == before


def test_import_lists_one_message_per_bad_row(seeded, runner, tmp_path):
    """Bad rows 3 and 5 in an XLSX: exactly two messages, in row order, and nothing written."""
    before = value_rows()
    rows = [["astana", PERCENT_2019, 80], ["astana", PERCENT_2019, 90], ["oral", PERCENT_2019, 10],
            ["aktau", PERCENT_2019, 150]]
    path = write_xlsx(tmp_path / "bad.xlsx", VALUE_COLUMNS[:3], rows)
    result = invoke(runner, "indicators", "import", path, "--year", 2019)
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert result.exit_code != 0 and len(errors) == 2
    assert errors[0].startswith("error: row 3, column indicator") and errors[1].startswith("error: row 5, column value")
    assert value_rows() == before


@pytest.mark.parametrize("name, content", [
    ("values.csv", b"\x00\x01\x02binary\xff\xfe"),
    ("values.csv", b"city,indicator,value\nastana,x,\x98\n"),  # neither UTF-8 nor Windows-1251
    ("values.xlsx", b"PK\x03\x04 this is not a workbook"),
    ("values.csv", b""),
], ids=["binary", "no-known-encoding", "broken-xlsx", "empty"])
def test_import_rejects_an_unreadable_file(seeded, runner, tmp_path, name, content):
    """A file that is not readable CSV/XLSX is rejected with a reason, exit non-zero, nothing written."""
    import_values(runner, tmp_path, 2019, [["astana", PERCENT_2019, "50"]], name="first.csv")
    before = value_rows()
    path = tmp_path / name
    path.write_bytes(content)
    result = invoke(runner, "indicators", "import", path, "--year", 2019)
    assert result.exit_code != 0 and "error: unreadable file" in result.output
    assert value_rows() == before


def test_import_rejects_a_missing_value_column(seeded, runner, tmp_path):
    """A header without `value` is refused, naming row 1 and the column."""
    path = write_csv(tmp_path / "v.csv", ["city", "indicator"], [["astana", PERCENT_2019]])
    result = invoke(runner, "indicators", "import", path, "--year", 2019)
    assert result.exit_code != 0 and "error: row 1, column value: required column is missing" in result.output
    assert value_rows() == []


def test_import_for_a_year_no_standard_covers_fails(seeded, runner, tmp_path):
    """Values for 2015 (before the first standard) are refused and no assessment year is created."""
    path = write_csv(tmp_path / "v.csv", VALUE_COLUMNS[:3], [["astana", PERCENT_2019, "5"]])
    result = invoke(runner, "indicators", "import", path, "--year", 2015)
    assert result.exit_code != 0 and "no standard version covers 2015" in result.output
    assert _count(AssessmentYear) == 0 and value_rows() == []


def test_import_of_a_missing_file_fails(seeded, runner, tmp_path):
    """A path that does not exist: non-zero exit naming it."""
    result = invoke(runner, "indicators", "import", tmp_path / "nope.csv", "--year", 2019)
    assert result.exit_code != 0 and "no such file" in result.output


# scores: the worked example -----------------------------------------------------------------------

def test_scores_json_reproduces_the_worked_example(worked):
    """JSON: C_t 18 points = 72 %, level 58.24 %, S_pa 67.2 -> 4 (8), S_add 37.525 -> 2, S_ict 70 -> 4 (8)."""
    data = scores_json(worked, YEAR)
    assert set(data) == {"year", "demo", "cities"} and data["year"] == YEAR and data["demo"] is False
    astana = city(data, "astana")
    assert set(astana) == {"city", "name", "rank", "areas", "groups", "total", "level_percent"}
    assert (astana["name"], astana["rank"]) == ("Astana", 1)
    assert astana["total"] == {"points": 18, "percent": 72.0}
    assert round(astana["level_percent"], 2) == 58.24
    assert astana["groups"] == {
        "priority": {"percent": 67.2, "points": 4, "weighted_points": 8},
        "additional": {"percent": 37.525, "points": 2, "weighted_points": 2},
        "ict": {"percent": 70.0, "points": 4, "weighted_points": 8}}
    assert astana["areas"]["ctm"] == {"percent": 95.4, "indicators": 1, "not_reported": 0, "not_applicable": 0}
    assert astana["areas"]["ict"] == {"percent": 70.0, "indicators": 5, "not_reported": 0, "not_applicable": 0}
    assert astana["areas"]["agr"] is None


def test_scores_csv_reproduces_the_worked_example(worked):
    """CSV: one row per city with points, C_t, level and every group and area percent."""
    result = invoke(worked, "scores", "--year", YEAR, "--format", "csv")
    assert result.exit_code == 0, result.output
    header = result.stdout.splitlines()[0].split(",")
    assert len(header) == len(set(header))  # 2019's ICT is a group and an area: two columns, two names
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 1
    row = rows[0]
    assert (row["rank"], row["city"], row["points"], row["total_percent"]) == ("1", "astana", "18", "72.0")
    assert round(float(row["level_percent"]), 2) == 58.24
    assert (row["group_priority_percent"], row["group_additional_percent"], row["group_ict_percent"]) == (
        "67.2", "37.525", "70.0")
    assert row["area_agr_percent"] == "" and row["area_hcs_percent"] == "2.2" and row["area_ict_percent"] == "70.0"


def test_scores_table_reproduces_the_worked_example(worked):
    """Table: a header and Astana's line with rank, 18 points, 72 % and the group percents."""
    result = invoke(worked, "scores", "--year", YEAR)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"Rating {YEAR}" and lines[1].split()[:3] == ["rank", "city", "points"]
    assert lines[2].split() == ["1", "Astana", "18", "72.0", "58.2417", "67.2", "37.525", "70.0"]


def test_scores_for_an_unknown_year_fail(seeded, runner):
    """No assessment year 1999: non-zero exit and a message naming the year."""
    result = invoke(runner, "scores", "--year", 1999, "--format", "json")
    assert result.exit_code != 0 and "no assessment year 1999" in result.output


def test_cities_without_values_are_left_out(worked):
    """Only Astana has values for the year: the other 16 cities do not appear in any format."""
    assert [c["city"] for c in scores_json(worked, YEAR)["cities"]] == ["astana"]
    assert "Almaty" not in invoke(worked, "scores", "--year", YEAR).stdout
    assert "almaty" not in invoke(worked, "scores", "--year", YEAR, "--format", "csv").stdout


# scores: rounding, n/a, not reported, numeric, ties ------------------------------------------------

@pytest.mark.parametrize("values, percent, points", [
    (["20", "21"], 20.5, 2), (["20", "20,98"], 20.49, 1),
    (["40", "41"], 40.5, 3), (["40", "40.98"], 40.49, 2),
    (["60", "61"], 60.5, 4), (["60", "60.98"], 60.49, 3),
    (["80", "81"], 80.5, 5), (["80", "80.98"], 80.49, 4),
    (["19.2", "19.4", "22.9"], 20.5, 2),  # in binary floats this mean is 20.499999999999996
], ids=["20.5", "20.49", "40.5", "40.49", "60.5", "60.49", "80.5", "80.49", "20.5-float-noise"])
def test_rounding_boundaries_through_the_cli(seeded, runner, tmp_path, values, percent, points):
    """ICT indicators averaging x.5 round half up to the next band; x.49 stays in its band."""
    ict = _ict_only(runner, tmp_path, values)["groups"]["ict"]
    assert ict == {"percent": percent, "points": points, "weighted_points": points * 2}


#: six values of a numeric target 7 whose percents average exactly 20.5 (861 / 42), while 28-digit
#: Decimal arithmetic lands on 20.49999999999999999999999998
NOISY = ["1.03", "1,4", "1.6", "3", "1.29", "0.29"]


def test_mean_equal_to_20_5_only_up_to_noise_earns_2_points(seeded, runner, tmp_path):
    """Six numeric ICT values (target 7) average 20.5 up to the last digit: still 21 % and 2 points."""
    assert sum(Decimal(100) * Decimal(v.replace(",", ".")) / 7 for v in NOISY) / 6 < Decimal("20.5")
    numeric = [indicator(f"ict_n{i}", "ict", "numeric", "7", "higher") for i in range(len(NOISY))]
    load_catalogue(runner, tmp_path, YEAR, worked_catalogue(numeric))
    ict_values = {f"ict_{i}": "n/a" for i in range(5)} | {f"ict_n{i}": v for i, v in enumerate(NOISY)}
    import_values(runner, tmp_path, YEAR, worked_values("astana", **ict_values))
    ict = city(scores_json(runner, YEAR), "astana")["groups"]["ict"]
    assert ict == {"percent": 20.5, "points": 2, "weighted_points": 4}


def test_not_applicable_area_leaves_its_group(seeded, runner, tmp_path):
    """Agriculture n/a divides the additional group by 4 (37.525); reported as 0 it divides by 5."""
    load_catalogue(runner, tmp_path, YEAR, worked_catalogue())
    import_values(runner, tmp_path, YEAR, worked_values("astana") + worked_values("almaty", agr_1="0"))
    data = scores_json(runner, YEAR)
    astana, almaty = city(data, "astana"), city(data, "almaty")
    assert astana["areas"]["agr"] is None and astana["groups"]["additional"]["percent"] == 37.525
    assert almaty["areas"]["agr"] == {"percent": 0.0, "indicators": 1, "not_reported": 0, "not_applicable": 0}
    assert almaty["groups"]["additional"]["percent"] == 30.02


def test_whole_additional_group_not_applicable_leaves_the_total(seeded, runner, tmp_path):
    """Every additional area n/a: no additional group, C_t = 16 / 20 = 80 %, level = (67.2 + 70) / 2."""
    load_catalogue(runner, tmp_path, YEAR, worked_catalogue())
    import_values(runner, tmp_path, YEAR, worked_values("astana", **{f"{a}_1": "n/a" for a in ADDITIONAL}))
    astana = city(scores_json(runner, YEAR), "astana")
    assert astana["groups"]["additional"] is None
    assert all(astana["areas"][a] is None for a in ADDITIONAL)
    assert astana["total"] == {"points": 16, "percent": 80.0}
    assert astana["level_percent"] == 68.6


def test_not_reported_counts_as_zero(seeded, runner, tmp_path):
    """A blank edu value and a health value never sent both count as 0 and are shown as not reported."""
    load_catalogue(runner, tmp_path, YEAR, worked_catalogue())
    rows = [row for row in worked_values("astana", edu_1="") if row[1] != "hlt_1"]
    import_values(runner, tmp_path, YEAR, rows)
    astana = city(scores_json(runner, YEAR), "astana")
    for area in ("edu", "hlt"):
        assert astana["areas"][area] == {"percent": 0.0, "indicators": 1, "not_reported": 1, "not_applicable": 0}
    assert astana["groups"]["priority"] == {"percent": round(225.5 / 6, 4), "points": 2, "weighted_points": 4}
    assert astana["total"] == {"points": 14, "percent": 56.0}


@pytest.mark.parametrize("up, down, percent", [
    ("5", "20", 50.0), ("20", "5", 100.0), ("0", "0", 50.0), ("2,5", "40", 25.0), ("10", "10", 100.0),
])
def test_numeric_higher_and_lower_is_better(seeded, runner, tmp_path, up, down, percent):
    """Higher-is-better: min(100, 100·v/target); lower-is-better: 100 at 0, else min(100, 100·target/v)."""
    numeric = [indicator("ict_up", "ict", "numeric", "10", "higher", "apps"),
               indicator("ict_down", "ict", "numeric", "10", "lower", "days")]
    load_catalogue(runner, tmp_path, YEAR, worked_catalogue(numeric))
    ict_na = {f"ict_{i}": "n/a" for i in range(5)}
    import_values(runner, tmp_path, YEAR, worked_values("astana", **ict_na, ict_up=up, ict_down=down))
    ict = city(scores_json(runner, YEAR), "astana")["areas"]["ict"]
    assert ict == {"percent": percent, "indicators": 2, "not_reported": 0, "not_applicable": 5}


def test_tied_cities_share_a_rank_and_the_next_rank_skips(seeded, runner, tmp_path):
    """Almaty and Astana identical: both rank 3 (listed by name); Shymkent wins the C_t tie on S_pa."""
    load_catalogue(runner, tmp_path, YEAR, worked_catalogue())
    rows = (worked_values("karaganda", **{f"{a}_1": "100" for a in ("ctm", "hlt", "edu", "scy", "hcs", "its")})
            + worked_values("astana") + worked_values("almaty") + worked_values("shymkent", ctm_1="95.5")
            + worked_values("oral", **{f"ict_{i}": "0" for i in range(5)}))
    import_values(runner, tmp_path, YEAR, rows)
    data = scores_json(runner, YEAR)
    assert [(c["rank"], c["city"]) for c in data["cities"]] == [
        (1, "karaganda"), (2, "shymkent"), (3, "almaty"), (3, "astana"), (5, "oral")]
    assert city(data, "shymkent")["total"] == city(data, "astana")["total"]
    table = invoke(runner, "scores", "--year", YEAR).stdout.splitlines()
    assert [line.split()[:2] for line in table[2:]] == [
        ["1", "Karaganda"], ["2", "Shymkent"], ["3", "Almaty"], ["3", "Astana"], ["5", "Oral"]]



def test_cities_load_refuses_a_level_in_other_digits(app, tmp_path):
    """'¹' passes str.isdigit() but is no number: the row is named and nothing is loaded."""
    from smartcity_survey.services.cities import DATA_DIR, load_cities
    from smartcity_survey.services.standards import ImportRejected

    with (DATA_DIR / "cities.csv").open(encoding="utf-8", newline="") as source:
        rows = list(csv.DictReader(source))[:1]
    rows[0]["published_2019_level_percent"] = "¹"
    path = tmp_path / "cities.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(ImportRejected) as refused:
        load_cities(path)
    assert "'¹' is not a number" in str(refused.value)


def test_indicators_import_says_how_far_it_got_inside_its_transaction(seeded, runner, tmp_path, monkeypatch):
    """A big import reports its progress on stderr, every FLUSH_EVERY rows, before it commits: a kill on
    such a line (what scripts/loadtest.py does) leaves nothing, and the rows it has reported are flushed."""
    from smartcity_survey.services import indicator_values

    monkeypatch.setattr(indicator_values, "FLUSH_EVERY", 4)
    load_catalogue(runner, tmp_path, YEAR, worked_catalogue())
    rows = worked_values("astana")
    seen = []

    def stop_half_way(done: int, total: int) -> None:
        seen.append((done, total, db.session.scalar(select(func.count(IndicatorValue.id)))))
        if done >= total / 2:
            raise KeyboardInterrupt  # as a SIGKILL would, but in-process

    with pytest.raises(KeyboardInterrupt):
        indicator_values.import_values_file(YEAR, write_csv(tmp_path / "v.csv", VALUE_COLUMNS[:3], rows), "t",
                                            progress=stop_half_way)
    db.session.rollback()
    assert seen[0] == (4, len(rows), 4) and seen[-1][0] >= len(rows) / 2
    assert value_rows() == []

    result = import_values(runner, tmp_path, YEAR, rows)
    expected = [f"{done} of {len(rows)} rows written; none is kept until all are"
                for done in [*range(4, len(rows), 4), len(rows)]]
    assert [line for line in result.output.splitlines() if "rows written" in line] == expected
    assert len(value_rows()) == len(rows)
