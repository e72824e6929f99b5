"""A later standard loaded from files (8 spheres in other groups, 2025) everywhere the standard shows up,
not only in the CLI score: pages, report tables and questionnaires must follow that year's version."""
from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from smartcity_survey.extensions import db
from smartcity_survey.models import StandardVersion
from smartcity_survey.services import DomainError
from smartcity_survey.services.questionnaires import open_questionnaire
from tests.helpers import import_values, indicator, invoke, load_catalogue, write_csv
from tests.xlsform_helpers import CHOICES_HEADER, RATING_CHOICES, xlsform

YEAR = 2025
#: sphere -> group; weights core 3, living 1, economy 2, so ties are broken by core, economy, living
SPHERES = {"gov": "core", "sec": "core", "trl": "core", "sos": "core", "env": "living", "hou": "living",
           "ecb": "economy", "inf": "economy"}
WEIGHTS = {"core": "3", "living": "1", "economy": "2"}


@pytest.fixture
def standard_2025(seeded, runner, tmp_path):
    """The 2025 standard loaded with its areas file, and Oral's values for 2024 (2019 standard) and 2025."""
    areas = write_csv(tmp_path / "areas_2025.csv", ["code", "group", "name_en", "name_ru", "name_kk", "weight"],
                      [[code, group, f"Sphere {code}", f"Сфера {code}", f"Сала {code}", WEIGHTS[group]]
                       for code, group in SPHERES.items()])
    load_catalogue(runner, tmp_path, YEAR, [indicator(f"{code}_1", code) for code in SPHERES], areas=areas)
    import_values(runner, tmp_path, 2024, [["oral", "ctm_hotline_109", "yes"]], name="values_2024.csv")
    import_values(runner, tmp_path, YEAR, [["oral", f"{code}_1", "50"] for code in SPHERES])
    return seeded


def test_rating_page_names_the_tie_break_order_of_the_year_standard(standard_2025, client):
    """2025's ties are broken by core, economy, living (heaviest first), not 2019's priority, ICT, additional."""
    html = client.get(f"/rating/{YEAR}?lang=en").get_data(as_text=True)
    assert "ordered by their group averages in this order: Core, Economy, Living;" in html
    assert "priority areas" not in html
    html_2019 = client.get("/rating/2024?lang=en").get_data(as_text=True)
    assert "in this order: Priority areas, ICT, Additional areas;" in html_2019


def test_footer_does_not_tie_every_page_to_the_2019_standard(standard_2025, client):
    """The footer is on 2025's pages too: it names the standard in force for the year, not 2019's."""
    for lang in ("en", "ru", "kk"):
        html = client.get(f"/rating/{YEAR}?lang={lang}").get_data(as_text=True)
        assert "2019" not in html.split("<footer", 1)[1], lang


def test_trend_leaves_areas_the_earlier_standard_lacked_blank(standard_2025, client):
    """2024 was scored by the 2019 standard, which has no sphere 'gov': its cell is empty, not 'not applicable'
    (which would say the city reported the area as n/a)."""
    response = client.get(f"/reports/{YEAR}/cities/oral/trend.csv?lang=en")
    assert response.status_code == 200
    rows = {row[0]: row for row in csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")))}
    assert rows["Sphere gov"][1:4] == ["", "50.0", ""]
    assert "not applicable" not in response.get_data(as_text=True)


def _form(area: str) -> bytes:
    return xlsform([["type", "name", "label::English (en)", "label::Russian (ru)", "area"],
                    ["select_one rate", "rate_it", "Rate it", "Оцените", area]],
                   [CHOICES_HEADER, *RATING_CHOICES], [["form_id", "form_title"], [f"form_{area}", "Form"]])


def test_opening_a_questionnaire_whose_areas_a_later_standard_dropped_is_refused(seeded, runner, tmp_path,
                                                                                make_questionnaire):
    """A 2026 form filed under 2019's 'hlt' (imported while 2019's standard covered 2026) is refused once
    2025's spheres cover 2026: its answers would count in no area of any report. A form using them opens."""
    stale = make_questionnaire(_form("hlt"), year=2026)
    areas = write_csv(tmp_path / "areas_2025.csv", ["code", "group", "name_en", "name_ru", "name_kk", "weight"],
                      [[code, group, f"Sphere {code}", "", "", WEIGHTS[group]] for code, group in SPHERES.items()])
    load_catalogue(runner, tmp_path, YEAR, [indicator(f"{code}_1", code) for code in SPHERES], areas=areas)
    with pytest.raises(DomainError, match=r"in force for 2026 has no area for these questions: rate_it \(hlt\)"):
        open_questionnaire(stale.slug)
    db.session.rollback()
    result = invoke(runner, "questionnaires", "open", stale.slug)
    assert result.exit_code != 0 and "rate_it (hlt)" in result.output
    assert make_questionnaire(_form("gov"), year=2026, open_in=["oral"]).status == "open"


GROUP_NAMES = {"core": ["Core spheres", "Основные сферы", "Негізгі салалар"],
               "living": ["Living environment", "Среда проживания", "Тіршілік ортасы"],
               "economy": ["Economy", "Экономика", "Экономика"]}
NAMED_AREA_COLUMNS = ["code", "group", "name_en", "name_ru", "name_kk", "weight",
                      "group_name_en", "group_name_ru", "group_name_kk"]


def test_areas_file_names_its_groups_in_three_languages(seeded, runner, tmp_path, client):
    """A later standard's groups are not 2019's: the areas file names them, so ru and kk pages and the API
    do not fall back to the English code. Given on one row of the group, the others may leave them blank."""
    rows = [[code, group, f"Sphere {code}", f"Сфера {code}", f"Сала {code}", WEIGHTS[group],
             *(GROUP_NAMES[group] if code in ("gov", "env", "ecb") else ["", "", ""])]
            for code, group in SPHERES.items()]
    areas = write_csv(tmp_path / "areas_2025.csv", NAMED_AREA_COLUMNS, rows)
    load_catalogue(runner, tmp_path, YEAR, [indicator(f"{code}_1", code) for code in SPHERES], areas=areas)
    groups = client.get(f"/api/v1/standards/{YEAR}").get_json()["groups"]
    assert {g["code"]: [g["name"][lang] for lang in ("en", "ru", "kk")] for g in groups} == GROUP_NAMES
    for lang, name in (("ru", "Среда проживания"), ("kk", "Негізгі салалар")):
        assert f'<th scope="row">{name}</th>' in client.get(f"/standard/{YEAR}?lang={lang}").get_data(as_text=True)


def test_areas_file_naming_a_group_twice_differently_is_refused(seeded, runner, tmp_path):
    """Two names for one group: refused by row, nothing loaded."""
    rows = [[code, group, f"Sphere {code}", "", "", WEIGHTS[group], *GROUP_NAMES[group]]
            for code, group in SPHERES.items()]
    rows[1][6] = "Core"  # sec names core differently from gov on row 2
    areas = write_csv(tmp_path / "areas_2025.csv", NAMED_AREA_COLUMNS, rows)
    catalogue = write_csv(tmp_path / "cat.csv", list(indicator("x", "gov")), [indicator(f"{c}_1", c) for c in SPHERES])
    result = invoke(runner, "standard", "load", catalogue, "--year", YEAR, "--areas", areas)
    assert result.exit_code != 0 and "row 3, column group_name_en: group 'core' is named differently on row 2" \
        in result.output
    assert db.session.scalar(select(StandardVersion).where(StandardVersion.year == YEAR)) is None
