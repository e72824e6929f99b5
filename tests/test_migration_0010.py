"""Migration 0010 (cities.aliases) keeps every city, gives the shipped ones their former names and
others none, and downgrades again."""
from __future__ import annotations

import os

import pytest
from sqlalchemy import inspect, text

from tests.helpers import scratch_postgresql_database
from tests.test_migration_0007 import _migrate, filled_at_0003


def _check_upgrade_keeps_data(url: str) -> None:
    with filled_at_0003(url) as engine:
        _migrate(url, "0009")
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO cities (id, slug, name_en, name_ru, name_kk, status, region_en, note) "
                              "VALUES (2, 'semey', 'Semey', 'Семей', 'Семей', 'regional', '', '')"))
        _migrate(url, "0010")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT slug, aliases FROM cities ORDER BY id")).all() == [
                ("almaty", "Alma-Ata; Алма-Ата"), ("semey", "")]
            assert conn.execute(text("SELECT value_text FROM response_answers")).scalar_one() == "kept"
        _migrate(url, "-0009")
        engine.dispose()
        assert "aliases" not in {column["name"] for column in inspect(engine).get_columns("cities")}
        with engine.connect() as conn:
            assert conn.execute(text("SELECT slug FROM cities ORDER BY id")).scalars().all() == ["almaty", "semey"]


def test_upgrade_to_0010_keeps_cities_on_sqlite(tmp_path):
    _check_upgrade_keeps_data(f"sqlite:///{tmp_path / 'with-data.sqlite3'}")


@pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="PostgreSQL run only: set DATABASE_URL")
def test_upgrade_to_0010_keeps_cities_on_postgresql(database_url):
    with scratch_postgresql_database(database_url, "m10") as url:
        _check_upgrade_keeps_data(url)
