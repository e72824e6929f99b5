"""Migration 0008 (questionnaires.definition_revision) keeps existing questionnaires and responses,
starting them at revision 1, and downgrades again."""
from __future__ import annotations

from sqlalchemy import inspect, text

from tests.helpers import migrate
from tests.test_migration_0007 import filled_at_0003


def _columns(engine) -> set[str]:
    return {column["name"] for column in inspect(engine).get_columns("questionnaires")}


def _check_upgrade_keeps_data(url: str) -> None:
    with filled_at_0003(url) as engine:
        migrate(url, "0008")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT slug, definition_revision FROM questionnaires")).all() == [("resident", 1)]
            assert conn.execute(text("SELECT value_text FROM response_answers")).scalar_one() == "kept"
        migrate(url, "-0007")
        engine.dispose()
        assert "definition_revision" not in _columns(engine)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT slug FROM questionnaires")).scalar_one() == "resident"


def test_upgrade_to_0008_keeps_questionnaires(empty_database):
    _check_upgrade_keeps_data(empty_database)
