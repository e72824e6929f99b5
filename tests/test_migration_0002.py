"""Migration 0002 upgrades a database that already holds data, and downgrades cleanly."""
import json
import os

import pandas as pd
import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, make_url, text
from werkzeug.security import generate_password_hash

from smartcity_survey import create_app
from smartcity_survey.config import PROJECT_ROOT, _database_url
from smartcity_survey.extensions import db
from smartcity_survey.models import IndicatorValue, IndicatorValueChange, User
from smartcity_survey.services.assessments import EntryInput, digest_of, find_area, save_area
from smartcity_survey.services.history import Actor
from smartcity_survey.services.standards import _bundled_points, ensure_assessment_year
from tests.helpers import app_config

NEW_TABLES = {"indicator_value_changes", "evidence_files", "admin_actions"}


@pytest.fixture
def scratch_url(tmp_path):
    """An empty database of its own: a SQLite file, or a throw-away PostgreSQL database."""
    if not os.environ.get("DATABASE_URL"):
        yield f"sqlite:///{tmp_path / 'migrate.sqlite3'}"
        return
    server = make_url(_database_url())
    name = f"{server.database}_migration"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield server.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _standard_at_0001() -> None:
    """The bundled 2019 standard, written with plain SQL in the 0001 schema's columns."""
    folder = PROJECT_ROOT / "smartcity_survey" / "data" / "standards" / "2019"
    areas = pd.read_csv(folder / "areas.csv", dtype=str, keep_default_na=False)
    indicators = pd.read_csv(folder / "indicators.csv", dtype=str, keep_default_na=False)
    db.session.execute(text(
        "INSERT INTO standard_versions (id, year, title, points_table, catalogue_source, is_official_catalogue,"
        " loaded_at) VALUES (1, 2019, 'Reference standard 2019', :points, 'bundled', :false, CURRENT_TIMESTAMP)"),
        {"points": json.dumps(_bundled_points()), "false": False})
    groups = {"priority": (1, 2.0, 1), "additional": (2, 1.0, 3), "ict": (3, 2.0, 2)}
    for code, (number, weight, tiebreak) in groups.items():
        db.session.execute(text(
            "INSERT INTO area_groups (id, standard_id, code, name_en, name_ru, name_kk, weight, position, tiebreak_rank)"
            " VALUES (:id, 1, :code, :code, '', '', :weight, :id, :tiebreak)"),
            {"id": number, "code": code, "weight": weight, "tiebreak": tiebreak})
    area_ids = {}
    for position, area in enumerate(areas.itertuples(), start=1):
        area_ids[area.code] = position
        db.session.execute(text(
            "INSERT INTO areas (id, standard_id, group_id, code, name_en, name_ru, name_kk, position)"
            " VALUES (:id, 1, :group_id, :code, :name_en, :name_ru, :name_kk, :id)"),
            {"id": position, "group_id": groups[area.group][0], "code": area.code, "name_en": area.name_en,
             "name_ru": area.name_ru, "name_kk": area.name_kk})
    for position, row in enumerate(indicators.itertuples()):
        db.session.execute(text(
            "INSERT INTO indicators (standard_id, area_id, code, method, target, direction, unit, name_en, name_ru,"
            " name_kk, description, source, position) VALUES (1, :area, :code, :method, :target, :direction, :unit,"
            " :name_en, :name_ru, :name_kk, :description, :source, :position)"),
            {"area": area_ids[row.area], "code": row.code, "method": row.method,
             "target": float(row.target) if row.target else None, "direction": row.direction or None,
             "unit": row.unit or None, "name_en": row.name_en, "name_ru": row.name_ru, "name_kk": row.name_kk,
             "description": row.description, "source": row.source, "position": position})


def _fill_at_0001() -> None:
    """What a database made before this change holds: the standard, cities, an account and values, all
    written with plain SQL as the 0001 schema has them (the models now carry columns later migrations add)."""
    _standard_at_0001()
    for slug, name in (("almaty", "Almaty"), ("astana", "Astana")):
        db.session.execute(text(
            "INSERT INTO cities (slug, name_en, name_ru, name_kk, status, region_en, note)"
            " VALUES (:slug, :name, '', '', 'national', '', '')"), {"slug": slug, "name": name})
    db.session.execute(text(
        "INSERT INTO users (email, password_hash, role, city_id, active, session_token, failed_logins, created_at)"
        " SELECT 'old@almaty.kz', :hash, 'akimat', id, :true, 'token', 0, CURRENT_TIMESTAMP"
        " FROM cities WHERE slug = 'almaty'"),
        {"hash": generate_password_hash("a long enough secret", method="scrypt"), "true": True})
    year_id = ensure_assessment_year(2019).id
    for city, code, value in (("almaty", "ctm_hotline_109", 1.0), ("astana", "edu_e_diary", 97.5)):
        db.session.execute(text(
            "INSERT INTO indicator_values (city_id, year_id, indicator_id, value, not_applicable, na_reason,"
            " evidence_note, evidence_url, status, updated_by, updated_at, version)"
            " SELECT c.id, :year, i.id, :value, :false, '', 'Decree', '', 'verified', 'import:old.csv',"
            " CURRENT_TIMESTAMP, 1 FROM cities c, indicators i WHERE c.slug = :city AND i.code = :code"),
            {"year": year_id, "value": value, "city": city, "code": code, "false": False})
    db.session.commit()


def test_upgrade_keeps_existing_rows_and_they_work_with_the_new_tables(scratch_url, tmp_path):
    """0001 with data -> head: rows survive, the new tables exist, old values take new history."""
    app = create_app(app_config(scratch_url) | {"EVIDENCE_DIR": str(tmp_path / "evidence")})
    with app.app_context():
        upgrade(revision="0001")
        assert not NEW_TABLES & set(inspect(db.engine).get_table_names())
        _fill_at_0001()
        before = db.session.execute(text("SELECT id, value, status, version FROM indicator_values ORDER BY id")).all()
        db.session.remove()
        upgrade()
        assert NEW_TABLES <= set(inspect(db.engine).get_table_names())
        after = db.session.execute(text("SELECT id, value, status, version FROM indicator_values ORDER BY id")).all()
        assert after == before and len(after) == 2
        assert db.session.scalar(db.select(User)).check_password("a long enough secret")
        _edit_an_old_value(app)
        db.session.remove()
        downgrade(revision="0001")
        assert not NEW_TABLES & set(inspect(db.engine).get_table_names())
        assert db.session.execute(text("SELECT count(*) FROM indicator_values")).scalar() == 2
        db.session.remove()
        db.engine.dispose()


def _edit_an_old_value(app) -> None:
    """An officer's edit of a pre-existing (returned) value is written and recorded after the upgrade."""
    value = db.session.scalar(db.select(IndicatorValue).where(IndicatorValue.value == 1.0))
    value.status = "returned"
    db.session.commit()
    area = find_area(value.year, "ctm")
    entry = EntryInput(value=0, not_applicable=False, na_reason="", evidence_note="", evidence_url="",
                       version=value.version, loaded=digest_of(value))
    save_area(value.city, value.year, area, {value.indicator_id: entry}, Actor("old@almaty.kz"),
              app.config["EVIDENCE_DIR"])
    db.session.commit()
    change = db.session.scalar(db.select(IndicatorValueChange))
    assert (change.old_value, change.new_value, change.old_status) == (1.0, 0.0, "returned")
