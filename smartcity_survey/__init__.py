"""smartcity_survey: official smart-city scores next to what residents and businesses perceive."""
from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, jsonify, render_template, request
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from werkzeug.middleware.proxy_fix import ProxyFix
from sqlalchemy.engine import Engine

from .config import PROJECT_ROOT, config_from_environment
from .input_guard import register_input_guard
from .routing import configure_url_map
from .security import register_security_headers
from .extensions import babel, csrf, db, limiter, login_manager, migrate


def create_app(config: type | dict | None = None) -> Flask:
    """Build an app. `config` is a config class or a dict of overrides on the environment's class."""
    app = Flask(__name__, template_folder=str(PROJECT_ROOT / "templates"),
                static_folder=str(PROJECT_ROOT / "static"), instance_path=str(PROJECT_ROOT / "instance"))
    base = config if isinstance(config, type) else config_from_environment()
    app.config.from_object(base)
    if isinstance(config, dict):
        app.config.update(config)
    _register_extensions(app)
    configure_url_map(app)
    _register_blueprints(app)
    _register_errorhandlers(app)
    _register_template_helpers(app)
    register_security_headers(app)
    register_input_guard(app)
    _register_cli(app)
    if app.config["TRUSTED_PROXY_HOPS"]:
        hops = app.config["TRUSTED_PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    return app


def _register_extensions(app: Flask) -> None:
    from .i18n import select_locale

    Path(app.instance_path).mkdir(exist_ok=True)  # the default SQLite file lives there
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    from . import models
    from .io.values import is_whole_number

    @login_manager.user_loader
    def load_user(user_id: str):
        """The cookie holds id:session_token; a rotated token (password change, reset) or a deactivated
        account signs the session out."""
        ident, _, token = user_id.partition(":")
        user = db.session.get(models.User, int(ident)) if is_whole_number(ident) else None
        return user if user is not None and user.active and user.session_token == token else None


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """SQLite, per connection: enforce foreign keys; WAL so readers never block the writer; and wait
    up to 30 s for a lock instead of failing at once with "database is locked"."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "memory":
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()


def _register_blueprints(app: Flask) -> None:
    from .admin import bp as admin_bp
    from .api import bp as api_bp
    from .assessments import bp as assessments_bp
    from .auth import bp as auth_bp
    from .moderation import bp as moderation_bp
    from .ops import bp as ops_bp
    from .rating import bp as rating_bp
    from .reports import bp as reports_bp
    from .survey import bp as survey_bp

    app.register_blueprint(rating_bp)
    app.register_blueprint(survey_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(assessments_bp, url_prefix="/assessments")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(moderation_bp, url_prefix="/moderation")
    app.register_blueprint(ops_bp)
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    csrf.exempt(api_bp)  # read-only JSON; no cookie-authenticated writes live there


def _register_errorhandlers(app: Flask) -> None:
    def handle(error):
        code = getattr(error, "code", 500)
        if request.path.startswith("/api/"):
            return jsonify(error={"status": code, "message": getattr(error, "description", "error")}), code
        return render_template("errors/error.html", error=error, code=code), code

    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, handle)
    for unavailable in (OperationalError, InterfaceError):  # lost connection, server restarting, "locked"
        app.register_error_handler(unavailable, _database_unavailable)

    @app.teardown_appcontext
    def close_session_even_if_the_database_went_away(_error) -> None:
        """Runs before Flask-SQLAlchemy's own teardown (registered earlier, so called later). When the
        server went away after the view had its answer (a PostgreSQL restart between the last query
        and the end of the request), closing the session rolls back on a dead connection and raises;
        left alone, that throws away the finished page for a bare 500. Instead the connection is
        invalidated (the pool opens a new one) and the answer goes out."""
        try:
            db.session.remove()
        except DBAPIError as exc:
            current_app.logger.warning("database connection lost while closing the request's session: %s", exc.orig)
            try:
                db.session().invalidate()  # scoped_session does not pass invalidate() on
            except DBAPIError:
                pass
            db.session.registry.clear()


#: the retry page's text when even rendering the template fails (the database is down, not only slow)
_RETRY_FALLBACK = ("<!doctype html><html><head><meta charset='utf-8'><title>503</title></head><body><h1>503</h1>"
                   "<p>The service is briefly unavailable. Nothing you sent is lost: please press the button "
                   "again in a moment.</p></body></html>")


def _database_unavailable(error: DBAPIError):
    """The database went away or stayed locked (a restart, a failover, SQLite's busy timeout): the
    request's transaction is rolled back and the person is asked to press the button again - the
    answering pages and the idempotent submit make a repeat safe. 503, never a stack trace."""
    app = current_app._get_current_object()
    app.logger.warning("database unavailable on %s %s: %s", request.method, request.path, error.orig)
    try:
        db.session.rollback()
    except DBAPIError:
        pass  # the connection is gone; the pool replaces it (pool_pre_ping)
    headers = {"Retry-After": "5"}
    if request.path.startswith("/api/"):
        return jsonify(error={"status": 503, "message": "database unavailable, try again"}), 503, headers
    try:
        return render_template("errors/error.html", error=error, code=503), 503, headers
    except Exception:  # noqa: BLE001 - the page itself needed the database; say the same in plain HTML
        return _RETRY_FALLBACK, 503, headers


def _register_template_helpers(app: Flask) -> None:
    from .i18n import LANGUAGE_NAMES, current_language, localized, unit_label, url_in_language
    from .io.values import format_number

    app.json.sort_keys = False  # API objects keep the documented key order
    app.jinja_env.globals.update(LANGUAGE_NAMES=LANGUAGE_NAMES, current_language=current_language,
                                 localized=localized, url_in_language=url_in_language)

    @app.template_filter("pct")
    def format_percent(value, places: int = 1):
        return "—" if value is None else f"{float(value):.{places}f}"

    app.add_template_filter(format_number, "num")
    app.add_template_filter(unit_label, "unit")


def _register_cli(app: Flask) -> None:
    from .cli import register_commands

    register_commands(app)
