"""Migration 0008 (questionnaires.definition_revision) keeps existing questionnaires and responses,
starting them at revision 1, and downgrades again."""
from __future__ import annotations

import os

import pytest
from sqlalchemy import inspect, text

from tests.helpers import scratch_postgresql_database
from tests.test_migration_0007 import _migrate, filled_at_0003


def _columns(engine) -> set[str]:
    return {column["name"] for column in inspect(engine).get_columns("questionnaires")}


def _check_upgrade_keeps_data(url: str) -> None:
    with filled_at_0003(url) as engine:
        _migrate(url, "0008")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT slug, definition_revision FROM questionnaires")).all() == [("resident", 1)]
            assert conn.execute(text("SELECT value_text FROM response_answers")).scalar_one() == "kept"
        _migrate(url, "-0007")
        engine.dispose()
        assert "definition_revision" not in _columns(engine)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT slug FROM questionnaires")).scalar_one() == "resident"


def test_upgrade_to_0008_keeps_questionnaires_on_sqlite(tmp_path):
    _check_upgrade_keeps_data(f"sqlite:///{tmp_path / 'with-data.sqlite3'}")


@pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="PostgreSQL run only: set DATABASE_URL")
def test_upgrade_to_0008_keeps_questionnaires_on_postgresql(database_url):
    with scratch_postgresql_database(database_url, "m8") as url:
        _check_upgrade_keeps_data(url)
