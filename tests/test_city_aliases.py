"""A city is found by its former names and other spellings (Nur-Sultan, Chimkent, Uralsk) in every file
that names cities; aliases are loaded with the cities, and one that would name two cities is refused."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from smartcity_survey.extensions import db
from smartcity_survey.models import City, IndicatorValue, PopulationMargin, Response
from smartcity_survey.services.cities import DATA_DIR, city_lookup, load_cities
from smartcity_survey.services.responses import import_responses
from smartcity_survey.services.standards import ImportRejected
from tests.helpers import invoke


def city_file(tmp_path: Path, rows: list[dict], name: str = "cities.csv") -> Path:
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def shipped_rows() -> list[dict]:
    with (DATA_DIR / "cities.csv").open(encoding="utf-8", newline="") as source:
        return list(csv.DictReader(source))


def aliases_of(slug: str) -> str:
    return db.session.scalar(select(City.aliases).where(City.slug == slug))


@pytest.mark.parametrize("spelling, slug", [
    ("Nur-Sultan", "astana"), ("НУР-СУЛТАН", "astana"), ("нұр-сұлтан", "astana"), ("Alma-Ata", "almaty"),
    ("Chimkent", "shymkent"), ("Uralsk", "oral"), ("oral", "oral"), ("Oral (Uralsk)", "oral"),
    ("Ust-Kamenogorsk", "oskemen"), ("Öskemen", "oskemen"), ("Petropavlovsk", "petropavl"),
    ("Turkistan", "turkestan"), ("Усть-Каменогорск", "oskemen"),
])
def test_former_names_and_bracketed_parts_name_the_city(seeded, spelling, slug):
    assert city_lookup()[spelling.casefold()] == slug


def test_an_alias_never_hides_another_citys_own_name(seeded):
    """An alias stored by hand (the loader would refuse it) that is another city's name loses to that name."""
    db.session.execute(City.__table__.update().where(City.slug == "astana").values(aliases="Almaty; Nur-Sultan"))
    assert city_lookup()["almaty"] == "almaty" and city_lookup()["nur-sultan"] == "astana"


def test_an_indicator_file_naming_a_former_name_stores_the_citys_value(seeded, runner, tmp_path):
    path = tmp_path / "values.csv"
    path.write_text("city,indicator,value\nг. Нур-Султан,ict_public_wifi,12\nChimkent,ict_public_wifi,7\n",
                    encoding="utf-8")
    result = invoke(runner, "indicators", "import", path, "--year", 2019)
    assert result.exit_code == 0, result.output
    stored = db.session.execute(select(City.slug, IndicatorValue.value).join(IndicatorValue.city)).all()
    assert sorted(stored) == [("astana", 12), ("shymkent", 7)]


def test_a_responses_file_naming_a_former_name_stores_the_citys_response(make_questionnaire):
    from tests.test_responses_import import HEADER

    make_questionnaire(open_in=["astana"])
    data = io.BytesIO(f"{HEADER}\np-1,Nur-Sultan,1,no,,2,,,,,\np-2,Нұр-Сұлтан,1,no,,dk,,,,,\n".encode())
    assert import_responses("small", data, "answers.csv") == 2
    db.session.commit()
    assert [city.slug for city in db.session.scalars(select(City).join(Response.city))] == ["astana", "astana"]


def test_a_margins_file_naming_a_former_name_loads(make_questionnaire, runner, tmp_path):
    from tests.test_margins_load import FORM

    make_questionnaire(FORM)
    path = tmp_path / "margins.csv"
    path.write_text("city,variable,category,share\nAlma-Ata,gender,female,0.53\nAlma-Ata,gender,male,0.47\n",
                    encoding="utf-8")
    result = invoke(runner, "margins", "load", path)
    assert result.exit_code == 0, result.output
    stored = select(City.slug).join(PopulationMargin, PopulationMargin.city_id == City.id)
    assert db.session.scalars(stored).all() == ["almaty", "almaty"]


def test_shipped_cities_carry_their_aliases(seeded):
    assert aliases_of("astana") == "Nur-Sultan; Nur Sultan; Нур-Султан; Нұр-Сұлтан"
    assert aliases_of("pavlodar") == ""


def test_aliases_are_trimmed_and_kept_once(seeded, tmp_path):
    rows = shipped_rows()[:1]
    rows[0]["aliases"] = " Nur-Sultan ;nur-sultan;; Akmola "
    load_cities(city_file(tmp_path, rows))
    assert aliases_of("astana") == "Nur-Sultan; Akmola"


def test_a_file_without_the_aliases_column_keeps_them_and_a_blank_cell_clears_them(seeded, tmp_path):
    rows = shipped_rows()[:1]
    without = [{key: value for key, value in row.items() if key != "aliases"} for row in rows]
    load_cities(city_file(tmp_path, without, "without.csv"))
    assert aliases_of("astana").startswith("Nur-Sultan")
    rows[0]["aliases"] = ""
    load_cities(city_file(tmp_path, rows, "blank.csv"))
    assert aliases_of("astana") == ""


@pytest.mark.parametrize("slug, alias, owner", [
    ("astana", "Almaty", "almaty"),          # another stored city's name
    ("astana", "алматы", "almaty"),          # ... in any case and language
    ("astana", "Chimkent", "shymkent"),      # another stored city's alias
    ("astana", "Uralsk", "oral"),            # a part of another city's bracketed name
    ("astana", "semey", "semey"),            # a slug of a city in the same file
])
def test_an_alias_naming_another_city_is_refused_by_row_and_nothing_is_loaded(seeded, tmp_path, slug, alias, owner):
    rows = [row for row in shipped_rows() if row["slug"] == slug]
    rows[0]["aliases"] = f"Nur-Sultan; {alias}"
    rows.append({**rows[0], "slug": "semey", "name_en": "Semey", "name_ru": "Семей", "name_kk": "Семей",
                 "aliases": "Semipalatinsk"})
    with pytest.raises(ImportRejected) as refused:
        load_cities(city_file(tmp_path, rows))
    db.session.rollback()
    assert [str(error) for error in refused.value.errors] == [
        f"row 2, column aliases: '{alias}' already names the city '{owner}'"]
    assert db.session.scalar(select(func.count(City.id)).where(City.slug == "semey")) == 0
    assert aliases_of("astana").startswith("Nur-Sultan;")


def test_a_city_renamed_in_the_file_frees_its_old_name_for_an_alias(seeded, tmp_path):
    """The stored names of a city the file reloads do not count: the file's own names for it do."""
    rows = [row for row in shipped_rows() if row["slug"] == "astana"]
    rows[0].update(name_en="Nur-Sultan", name_ru="Нур-Султан", name_kk="Нұр-Сұлтан", aliases="Astana; Астана")
    load_cities(city_file(tmp_path, rows))
    assert city_lookup()["astana"] == "astana" and aliases_of("astana") == "Astana; Астана"


def test_an_overlong_alias_is_refused(seeded, tmp_path):
    rows = shipped_rows()[:1]
    rows[0]["aliases"] = "Nur-Sultan; " + "x" * 121
    with pytest.raises(ImportRejected) as refused:
        load_cities(city_file(tmp_path, rows))
    assert "row 2, column aliases: '" in str(refused.value.errors[0])
    assert "is longer than 120 characters" in str(refused.value.errors[0])
