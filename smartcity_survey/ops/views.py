"""/healthz: 200 when the database answers and its schema is at the migrations' head, else 503."""
from alembic.script import ScriptDirectory
from flask import current_app, jsonify
from flask_migrate import Config
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from . import bp


def _migration_heads() -> set[str]:
    directory = current_app.extensions["migrate"].directory
    config = Config()
    config.set_main_option("script_location", directory)
    return set(ScriptDirectory.from_config(config).get_heads())


@bp.get("/healthz")
def healthz():
    try:
        current = {row[0] for row in db.session.execute(text("SELECT version_num FROM alembic_version"))}
    except SQLAlchemyError as exc:
        db.session.rollback()
        return jsonify(status="error", database="unreachable or not initialised",
                       detail=exc.__class__.__name__), 503
    heads = _migration_heads()
    if current != heads:
        return jsonify(status="error", database="ok", migrations="behind",
                       current=sorted(current), head=sorted(heads)), 503
    return jsonify(status="ok", database="ok", migrations="current", revision=sorted(heads))
