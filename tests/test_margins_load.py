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
