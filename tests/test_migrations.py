"""The Alembic migrations build the whole schema on empty SQLite and PostgreSQL databases."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from smartcity_survey import create_app
from smartcity_survey.config import PROJECT_ROOT
from smartcity_survey.extensions import db
from tests.helpers import app_config, scratch_postgresql_database

MIGRATIONS = PROJECT_ROOT / "migrations"


def _heads() -> set[str]:
    config = Config(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    return set(ScriptDirectory.from_config(config).get_heads())


def _model_tables() -> set[str]:
    return set(db.metadata.tables)


def _upgrade_with_runner(url: str) -> set[str]:
    """`flask db upgrade` through the CLI runner of an app bound to url; returns the tables it made."""
    app = create_app(app_config(url))
    with app.app_context():
        try:
            result = app.test_cli_runner().invoke(args=["db", "upgrade"])
            assert result.exit_code == 0, result.output
            tables = set(inspect(db.engine).get_table_names())
            with db.engine.connect() as conn:
                versions = {row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))}
                assert not compare_metadata(MigrationContext.configure(conn), db.metadata)
            assert versions == _heads()
        finally:
            db.session.remove()
            db.engine.dispose()
    return tables


def test_there_is_a_single_migration_head():
    """One linear history: two heads would make `db upgrade` fail."""
    assert len(_heads()) == 1


def test_upgrade_builds_every_table_on_an_empty_sqlite_file(tmp_path):
    """`flask db upgrade` on a brand-new SQLite file creates every model's table, at head, matching the models."""
    database = tmp_path / "fresh.sqlite3"
    tables = _upgrade_with_runner(f"sqlite:///{database}")
    assert database.is_file()
    assert _model_tables() <= tables and "alembic_version" in tables


def test_downgrade_to_base_and_upgrade_again_on_sqlite(tmp_path):
    """Every migration can be undone and redone: base leaves only alembic_version, head rebuilds all."""
    url = f"sqlite:///{tmp_path / 'roundtrip.sqlite3'}"
    _upgrade_with_runner(url)
    app = create_app(app_config(url))
    with app.app_context():
        runner = app.test_cli_runner()
        down = runner.invoke(args=["db", "downgrade", "base"])
        assert down.exit_code == 0, down.output
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()
    assert _model_tables() <= _upgrade_with_runner(url)


def test_literal_upgrade_command_on_an_empty_sqlite_file(tmp_path):
    """The documented command, `flask --app wsgi db upgrade`, with DATABASE_URL naming a new SQLite file."""
    database = tmp_path / "cli.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "PATH": f"{Path(sys.executable).parent}:"
           + os.environ.get("PATH", "")}
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], cwd=PROJECT_ROOT,
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    engine = create_engine(f"sqlite:///{database}")
    try:
        assert _model_tables() <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_session_database_is_at_the_migrations_head(database_url):
    """The database the suite runs on (SQLite, or PostgreSQL via DATABASE_URL) was built by the migrations."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            versions = {row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))}
        assert versions == _heads()
        assert _model_tables() <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


postgresql_only = pytest.mark.skipif(not os.environ.get("DATABASE_URL"),
                                     reason="PostgreSQL run only: set DATABASE_URL (scripts/postgres.sh)")


@postgresql_only
def test_database_url_runs_the_suite_on_postgresql(database_url):
    """With DATABASE_URL set the suite really talks to PostgreSQL, not a silent SQLite fallback."""
    assert make_url(database_url).get_backend_name() == "postgresql"


@postgresql_only
def test_upgrade_builds_every_table_on_an_empty_postgresql_database(database_url):
    """`flask db upgrade` on a brand-new PostgreSQL database creates every table, at head, matching the models."""
    with scratch_postgresql_database(database_url, "mig") as url:
        tables = _upgrade_with_runner(url)
        assert _model_tables() <= tables
