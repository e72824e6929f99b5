"""Migration 0013 (cities.updated_at) keeps every city, stamps them, and downgrades again."""
from __future__ import annotations

from sqlalchemy import create_engine, inspect, text

from tests.helpers import migrate


def _check(url: str) -> None:
    migrate(url, "0012")
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO cities (id, slug, name_en, name_ru, name_kk, status, region_en, note, "
                              "aliases) VALUES (1, 'turkistan', 'Turkistan', 'Туркестан', 'Түркістан', 'regional', "
                              "'Turkistan Region', '', '')"))
        migrate(url, "0013")
        with engine.connect() as conn:
            row = conn.execute(text("SELECT slug, name_ru, updated_at FROM cities")).one()
            assert row[:2] == ("turkistan", "Туркестан") and row[2] is not None
        migrate(url, "-0012")
        engine.dispose()
        assert "updated_at" not in {column["name"] for column in inspect(engine).get_columns("cities")}
        with engine.connect() as conn:
            assert conn.execute(text("SELECT name_kk FROM cities")).scalar_one() == "Түркістан"
    finally:
        engine.dispose()


def test_upgrade_to_0013_keeps_and_stamps_the_cities(empty_database):
    _check(empty_database)
