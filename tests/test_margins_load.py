"""`flask margins load`: population shares for raking, all or nothing, every problem by row and column."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from smartcity_survey.extensions import db
from smartcity_survey.models import PopulationMargin
from tests.helpers import invoke

HEADER = "city,variable,category,share"


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


def test_values_longer_than_their_columns_are_refused(seeded, runner, tmp_path):
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
def test_refusals_name_the_one_problem(seeded, runner, tmp_path, rows, header, errors):
    """An empty file, a repeated column, an empty share, an unknown city or a repeated row is refused
    with that one problem: no success line for an empty file, no sum error for a city that is unknown
    (it read 'in None') or for a row already refused, no second share column silently winning."""
    assert refused(runner, tmp_path, *rows, header=header) == errors


@pytest.mark.parametrize("shares, stored", [
    (("33", "33", "33"), [1 / 3] * 3),  # percents rounded in a published table: 1 % short, at the tolerance
    (("0.33", "0.33", "0.33"), [1 / 3] * 3),
    (("0,34", "0,34", "0,33"), [34 / 101, 34 / 101, 33 / 101]),  # 1.01, the other edge
])
def test_shares_within_the_tolerance_are_accepted_and_scaled_to_one(seeded, runner, tmp_path, shares, stored):
    """A variable's shares may miss 1 (or 100 %) by up to 0.01 (1 %), both edges included; they are stored
    scaled to add up to exactly 1."""
    rows = [f'almaty,age_band,{band},"{share}"' for band, share in zip(("18_34", "35_54", "55_plus"), shares)]
    result = load(runner, tmp_path, *rows)
    assert result.exit_code == 0, result.output
    assert db.session.scalars(select(PopulationMargin.share).order_by(PopulationMargin.category)).all() == \
        pytest.approx(stored)


@pytest.mark.parametrize("shares, total", [(("32.9", "33", "33"), "98.9"), (("0.34", "0.34", "0.3401"), "1.0201")])
def test_shares_beyond_the_tolerance_are_refused(seeded, runner, tmp_path, shares, total):
    """Just past 1 % off, the variable is refused with its sum."""
    rows = [f"almaty,age_band,{band},{share}" for band, share in zip(("18_34", "35_54", "55_plus"), shares)]
    assert refused(runner, tmp_path, *rows) == [
        f"row 2, column share: the shares of age_band in almaty add up to {total}, not 1 (or 100 %)"]
