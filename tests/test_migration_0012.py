"""Migration 0012 (admin_actions.params) keeps every log entry, without params, and downgrades again."""
from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, inspect, text

from tests.helpers import scratch_postgresql_database
from tests.test_migration_0007 import _migrate


def _check(url: str) -> None:
    _migrate(url, "0011")
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO admin_actions (id, actor, at, action, detail) VALUES "
                              "(1, 'admin@gov.kz', '2025-01-01 00:00:00+00:00', 'questionnaire_close', "
                              "'resident version 1: almaty')"))
        _migrate(url, "0012")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT action, detail, params FROM admin_actions")).all() == [
                ("questionnaire_close", "resident version 1: almaty", None)]
        _migrate(url, "-0011")
        engine.dispose()
        assert "params" not in {column["name"] for column in inspect(engine).get_columns("admin_actions")}
        with engine.connect() as conn:
            assert conn.execute(text("SELECT detail FROM admin_actions")).scalar_one() == "resident version 1: almaty"
    finally:
        engine.dispose()


def test_upgrade_to_0012_keeps_the_log_on_sqlite(tmp_path):
    _check(f"sqlite:///{tmp_path / 'with-data.sqlite3'}")


@pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="PostgreSQL run only: set DATABASE_URL")
def test_upgrade_to_0012_keeps_the_log_on_postgresql(database_url):
    with scratch_postgresql_database(database_url, "m12") as url:
        _check(url)
