"""Migration 0009 (response_measures' covering index led by response_id) keeps the measures, replaces the
single-column response_id index, and downgrades again."""
from __future__ import annotations

from sqlalchemy import inspect, text

from tests.helpers import migrate
from tests.test_migration_0007 import filled_at_0003

MEASURE = ("INSERT INTO response_measures (response_id, year, audience, city_id, kind, code, value, weight) "
           "VALUES (1, 2019, 'resident', 1, 'area', 'ctm', 75.0, NULL)")


def _indexes(engine) -> dict[str, list[str]]:
    return {index["name"]: index["column_names"] for index in inspect(engine).get_indexes("response_measures")}


def _check_upgrade_keeps_data(url: str) -> None:
    with filled_at_0003(url) as engine:
        migrate(url, "0008")
        with engine.begin() as conn:
            conn.execute(text(MEASURE))
        migrate(url, "0009")
        indexes = _indexes(engine)
        assert indexes["ix_response_measures_respondents"] == ["response_id", "year", "kind", "city_id", "audience",
                                                               "code", "weight"]
        assert "ix_response_measures_response_id" not in indexes
        with engine.connect() as conn:
            assert conn.execute(text("SELECT code, value FROM response_measures")).all() == [("ctm", 75.0)]
        migrate(url, "-0008")
        engine.dispose()
        indexes = _indexes(engine)
        assert indexes["ix_response_measures_response_id"] == ["response_id"]
        assert "ix_response_measures_respondents" not in indexes
        with engine.connect() as conn:
            assert conn.execute(text("SELECT code FROM response_measures")).scalar_one() == "ctm"


def test_upgrade_to_0009_keeps_measures(empty_database):
    _check_upgrade_keeps_data(empty_database)
