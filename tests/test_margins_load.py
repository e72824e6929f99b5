"""`flask margins load`: population shares for raking, all or nothing, every problem by row and column."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from smartcity_survey.extensions import db
from smartcity_survey.models import PopulationMargin
from tests.helpers import invoke
from tests.xlsform_helpers import CHOICES_HEADER, xlsform

HEADER = "city,variable,category,share"
#: the demographic questions margins weight by: two single choice questions, a text and a multiple choice
FORM = xlsform(
    [["type", "name", "label::English (en)", "label::Russian (ru)"],
     ["select_one genders", "gender", "Gender", "Пол"], ["select_one bands", "age_band", "Age", "Возраст"],
     ["text", "district", "District", "Район"], ["select_multiple genders", "uses", "Uses", "Пользуется"]],
    [CHOICES_HEADER, ["genders", "female", "Woman", "Женщина"], ["genders", "male", "Man", "Мужчина"],
     *[["bands", band, band, band] for band in ("18_34", "35_54", "55_plus")]],
    [["form_id", "form_title"], ["people", "People"]])


@pytest.fixture
def asked(make_questionnaire):
    return make_questionnaire(FORM)


def load(runner, tmp_path: Path, *rows: str, header: str = HEADER):
    path = tmp_path / "margins.csv"
    path.write_text("\n".join([header, *rows]), encoding="utf-8")
    return invoke(runner, "margins", "load", path)


def refused(runner, tmp_path: Path, *rows: str, header: str = HEADER) -> list[str]:
    """The error lines of a refused file; nothing may have been stored."""
    result = load(runner, tmp_path, *rows, header=header)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert db.session.scalar(select(func.count(PopulationMargin.id))) == 0
    return [line.removeprefix("error: ") for line in result.output.splitlines() if line.startswith("error: ")]


def test_values_longer_than_their_columns_are_refused(asked, runner, tmp_path):
    """A variable over 100 or a category over 200 characters is refused by row and column (PostgreSQL
    would otherwise fail on the INSERT with a traceback)."""
    errors = refused(runner, tmp_path, f"almaty,{'v' * 101},a,1", f"astana,gender,{'c' * 201},1")
    assert errors == ["row 2, column variable: longer than 100 characters",
                      "row 3, column category: longer than 200 characters"]


@pytest.mark.parametrize("rows, header, errors", [
    ((), HEADER, ["the file has no data rows"]),
    (("almaty,gender,female,0.5,0.53", "almaty,gender,male,0.5,0.47"), HEADER + ",share",
     ["row 1, column share: appears 2 times in the header; keep one"]),
    (("almaty,gender,female,", "almaty,gender,male,1"), HEADER, ["row 2, column share: is empty"]),
    (("atlantis,gender,female,0.4",), HEADER, ["row 2, column city: unknown city 'atlantis'"]),
    (("almaty,gender,female,0.53", "almaty,gender,male,0.47", "almaty,gender,male,0.47"), HEADER,
     ["row 4, column category: male of gender in almaty already appears on row 3"]),
])
def test_refusals_name_the_one_problem(asked, runner, tmp_path, rows, header, errors):
    """An empty file, a repeated column, an empty share, an unknown city or a repeated row is refused
    with that one problem: no success line for an empty file, no sum error for a city that is unknown
    (it read 'in None') or for a row already refused, no second share column silently winning."""
    assert refused(runner, tmp_path, *rows, header=header) == errors


@pytest.mark.parametrize("shares, stored", [
    (("33", "33", "33"), [1 / 3] * 3),  # percents rounded in a published table: 1 % short, at the tolerance
    (("0.33", "0.33", "0.33"), [1 / 3] * 3),
    (("0,34", "0,34", "0,33"), [34 / 101, 34 / 101, 33 / 101]),  # 1.01, the other edge
])
def test_shares_within_the_tolerance_are_accepted_and_scaled_to_one(asked, runner, tmp_path, shares, stored):
    """A variable's shares may miss 1 (or 100 %) by up to 0.01 (1 %), both edges included; they are stored
    scaled to add up to exactly 1."""
    rows = [f'almaty,age_band,{band},"{share}"' for band, share in zip(("18_34", "35_54", "55_plus"), shares)]
    result = load(runner, tmp_path, *rows)
    assert result.exit_code == 0, result.output
    assert db.session.scalars(select(PopulationMargin.share).order_by(PopulationMargin.category)).all() == \
        pytest.approx(stored)


@pytest.mark.parametrize("shares, total", [(("32.9", "33", "33"), "98.9"), (("0.34", "0.34", "0.3401"), "1.0201")])
def test_shares_beyond_the_tolerance_are_refused(asked, runner, tmp_path, shares, total):
    """Just past 1 % off, the variable is refused with its sum."""
    rows = [f"almaty,age_band,{band},{share}" for band, share in zip(("18_34", "35_54", "55_plus"), shares)]
    assert refused(runner, tmp_path, *rows) == [
        f"row 2, column share: the shares of age_band in almaty add up to {total}, not 1 (or 100 %)"]


def test_variables_and_categories_are_matched_to_the_questions(asked, runner, tmp_path):
    """A variable is a single choice, text or whole number question's name, in any case (stored as the
    question's), and a choice question's category one of its choice names; any text for a text question."""
    result = load(runner, tmp_path, "almaty,Gender,female,0.53", "almaty,GENDER,male,0.47",
                  "almaty,district,Медеуский,60", "almaty,district,Алмалинский,40")
    assert result.exit_code == 0, result.output
    stored = db.session.execute(select(PopulationMargin.variable, PopulationMargin.category)
                                .order_by(PopulationMargin.id)).all()
    assert stored == [("gender", "female"), ("gender", "male"), ("district", "Медеуский"), ("district", "Алмалинский")]


def test_margins_no_respondent_could_match_are_refused(asked, runner, tmp_path):
    """Loaded, such margins would make a city 'raked' without weighting anyone: a variable no questionnaire
    asks (or a multiple choice one), a choice label instead of its name."""
    errors = refused(runner, tmp_path, "almaty,sex,female,0.5", "almaty,sex,male,0.5",
                     "astana,gender,Женщина,0.53", "astana,gender,male,0.47", "oral,uses,female,1")
    assert errors == [
        "row 2, column variable: no questionnaire has a single choice, text or whole number question sex",
        "row 3, column variable: no questionnaire has a single choice, text or whole number question sex",
        "row 4, column category: 'Женщина' is not a choice of gender (female, male)",
        "row 6, column variable: no questionnaire has a single choice, text or whole number question uses"]


def test_a_value_under_no_header_is_refused(asked, runner, tmp_path):
    """'0,53' unquoted in a comma-separated file is a share of 0 and a cell under no header: that cell is
    named by its column letter, not dropped (the sum is then wrong too, and said so)."""
    assert refused(runner, tmp_path, "almaty,gender,female,0,53", "almaty,gender,male,0.47") == [
        "row 2, column E: this cell has a value but its column has no header; name the column or clear the cell",
        "row 2, column share: the shares of gender in almaty add up to 0.47, not 1 (or 100 %)"]
