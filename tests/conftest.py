"""Fixtures: app, client, runner, a migrated database (SQLite by default, PostgreSQL via DATABASE_URL)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from smartcity_survey import create_app
from smartcity_survey.config import TestConfig, _database_url
from smartcity_survey.extensions import db

#: fixtures of the akimat-form tests (year_open, people, password_hash) for every test module
pytest_plugins = ["tests.helpers_assessments"]


def _fresh_database_url(tmp_path_factory) -> str:
    """SQLite: a new file per run. PostgreSQL (DATABASE_URL set): the given database, emptied."""
    if not os.environ.get("DATABASE_URL"):
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    url = _database_url()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


def pytest_sessionstart(session) -> None:
    """Tests read the .po catalogues as they are in the tree, compiled afresh."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parent.parent / "smartcity_survey" / "translations"
    for po_path in root.glob("*/LC_MESSAGES/messages.po"):
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        with po_path.with_suffix(".mo").open("wb") as mo_file:
            write_mo(mo_file, catalog)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = _fresh_database_url(tmp_path_factory)
    app = create_app({**_config(url)})
    with app.app_context():
        upgrade()  # the schema is built by the migrations, so every test run checks them
        db.engine.dispose()
    return url


def _config(url: str) -> dict:
    return {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()} | {
        "SQLALCHEMY_DATABASE_URI": url}


class FreshContextClient(FlaskClient):
    """Each request runs in its own app context, as in production: its own `g` (so Flask-Login
    cannot reuse a user cached by an earlier request) and its own database session."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app(_config(database_url) | {"EVIDENCE_DIR": str(tmp_path / "evidence"),
                                              "BULK_UPLOAD_DIR": str(tmp_path / "bulk-uploads")})
    app.test_client_class = FreshContextClient
    with app.app_context():
        yield app
        db.session.rollback()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def seeded(app):
    """The bundled 2019 standard and the 17 cities, committed."""
    from smartcity_survey.services.cities import load_cities
    from smartcity_survey.services.standards import load_bundled_standard

    load_bundled_standard()
    load_cities()
    db.session.commit()
    return app


@pytest.fixture
def make_questionnaire(seeded):
    """Factory: a questionnaire from XLSForm bytes (default: tests.xlsform_helpers.SMALL_FORM), committed,
    optionally opened in some cities."""
    from smartcity_survey.io.xlsform import read_xlsform
    from smartcity_survey.services.questionnaires import create_questionnaire, open_questionnaire
    from tests.xlsform_helpers import SMALL_FORM

    def make(data: bytes = SMALL_FORM, *, year: int = 2019, audience: str = "resident",
             open_in: list[str] | None = None):
        result = read_xlsform(data, "form.xlsx")
        assert result.errors == [], [str(e) for e in result.errors]
        questionnaire = create_questionnaire(result.definition, year=year, audience=audience)
        if open_in is not None:
            open_questionnaire(questionnaire.slug, open_in)
        db.session.commit()
        return questionnaire

    return make


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path) -> str:
    """For a migration test: an empty SQLite file, and in a PostgreSQL run (DATABASE_URL) also a brand-new
    database on that server, dropped afterwards. Each migration is checked on both engines."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'with-data.sqlite3'}"
        return
    if not os.environ.get("DATABASE_URL"):
        pytest.skip("PostgreSQL run only: set DATABASE_URL")
    from tests.helpers import scratch_postgresql_database

    with scratch_postgresql_database(request.getfixturevalue("database_url"), "migration") as url:
        yield url
