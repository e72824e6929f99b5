"""Migration 0013 (cities.updated_at) keeps every city, stamps them, and downgrades again."""
from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, inspect, text

from tests.helpers import scratch_postgresql_database
from tests.test_migration_0007 import _migrate


def _check(url: str) -> None:
    _migrate(url, "0012")
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO cities (id, slug, name_en, name_ru, name_kk, status, region_en, note, "
                              "aliases) VALUES (1, 'turkistan', 'Turkistan', 'Туркестан', 'Түркістан', 'regional', "
                              "'Turkistan Region', '', '')"))
        _migrate(url, "0013")
        with engine.connect() as conn:
            row = conn.execute(text("SELECT slug, name_ru, updated_at FROM cities")).one()
            assert row[:2] == ("turkistan", "Туркестан") and row[2] is not None
        _migrate(url, "-0012")
        engine.dispose()
        assert "updated_at" not in {column["name"] for column in inspect(engine).get_columns("cities")}
        with engine.connect() as conn:
            assert conn.execute(text("SELECT name_kk FROM cities")).scalar_one() == "Түркістан"
    finally:
        engine.dispose()


def test_upgrade_to_0013_keeps_and_stamps_the_cities_on_sqlite(tmp_path):
    _check(f"sqlite:///{tmp_path / 'with-data.sqlite3'}")


@pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="PostgreSQL run only: set DATABASE_URL")
def test_upgrade_to_0013_keeps_and_stamps_the_cities_on_postgresql(database_url):
    with scratch_postgresql_database(database_url, "m13") as url:
        _check(url)
