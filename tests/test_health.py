"""The /healthz endpoint."""
from sqlalchemy import text

from smartcity_survey.extensions import db


def test_healthz_ok_when_schema_is_at_head(client):
    """A migrated database answers 200 with migrations current."""
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json()["migrations"] == "current"


def test_healthz_reports_migrations_behind(client, app):
    """A database whose alembic_version is not the head answers 503 and says so."""
    (old,) = db.session.execute(text("SELECT version_num FROM alembic_version")).one()
    db.session.execute(text("UPDATE alembic_version SET version_num = 'stale'"))
    db.session.commit()
    try:
        response = client.get("/healthz")
        assert response.status_code == 503 and response.get_json()["migrations"] == "behind"
    finally:
        db.session.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": old})
        db.session.commit()


def test_healthz_reports_unreachable_database(tmp_path):
    """A database without the schema answers 503, not a 500 page."""
    from smartcity_survey import create_app

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'empty.db'}"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503 and response.get_json()["status"] == "error"
