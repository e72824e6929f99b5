"""Migration 0012 (admin_actions.params) keeps every log entry, without params, and downgrades again."""
from __future__ import annotations

from sqlalchemy import create_engine, inspect, text

from tests.helpers import migrate


def _check(url: str) -> None:
    migrate(url, "0011")
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO admin_actions (id, actor, at, action, detail) VALUES "
                              "(1, 'admin@gov.kz', '2025-01-01 00:00:00+00:00', 'questionnaire_close', "
                              "'resident version 1: almaty')"))
        migrate(url, "0012")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT action, detail, params FROM admin_actions")).all() == [
                ("questionnaire_close", "resident version 1: almaty", None)]
        migrate(url, "-0011")
        engine.dispose()
        assert "params" not in {column["name"] for column in inspect(engine).get_columns("admin_actions")}
        with engine.connect() as conn:
            assert conn.execute(text("SELECT detail FROM admin_actions")).scalar_one() == "resident version 1: almaty"
    finally:
        engine.dispose()


def test_upgrade_to_0012_keeps_the_log(empty_database):
    _check(empty_database)
