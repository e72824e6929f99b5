"""Migration 0010 (cities.aliases) keeps every city, gives the shipped ones their former names and
others none, and downgrades again."""
from __future__ import annotations

from sqlalchemy import inspect, text

from tests.helpers import migrate
from tests.test_migration_0007 import filled_at_0003


def _check_upgrade_keeps_data(url: str) -> None:
    with filled_at_0003(url) as engine:
        migrate(url, "0009")
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO cities (id, slug, name_en, name_ru, name_kk, status, region_en, note) "
                              "VALUES (2, 'semey', 'Semey', 'Семей', 'Семей', 'regional', '', '')"))
        migrate(url, "0010")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT slug, aliases FROM cities ORDER BY id")).all() == [
                ("almaty", "Alma-Ata; Алма-Ата"), ("semey", "")]
            assert conn.execute(text("SELECT value_text FROM response_answers")).scalar_one() == "kept"
        migrate(url, "-0009")
        engine.dispose()
        assert "aliases" not in {column["name"] for column in inspect(engine).get_columns("cities")}
        with engine.connect() as conn:
            assert conn.execute(text("SELECT slug FROM cities ORDER BY id")).scalars().all() == ["almaty", "semey"]


def test_upgrade_to_0010_keeps_cities(empty_database):
    _check_upgrade_keeps_data(empty_database)
