"""Configuration classes. Secrets and the database come from the environment."""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{INSTANCE_DIR / 'smartcity_survey.sqlite3'}"
    # Heroku-style URLs name the dialect "postgres"; SQLAlchemy wants the psycopg 3 driver spelled out.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


#: the key of a machine where nobody set SECRET_KEY: public, so gunicorn.conf.py refuses to serve with it
DEVELOPMENT_SECRET_KEY = "dev-only-change-me"


class BaseConfig:
    SECRET_KEY = os.environ.get("SECRET_KEY") or DEVELOPMENT_SECRET_KEY
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    LANGUAGES = ("kk", "ru", "en")
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_TRANSLATION_DIRECTORIES = str(Path(__file__).parent / "translations")
    JSON_AS_ASCII = False  # Cyrillic stays readable in API answers
    WTF_CSRF_TIME_LIMIT = None  # long questionnaires must not expire mid-answer
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    #: reverse proxies in front of the app (nginx: 1); their X-Forwarded-For/-Proto/-Host are then trusted,
    #: so rate limits key on the real client address and HTTPS is recognised (HSTS, Secure cookies)
    TRUSTED_PROXY_HOPS = int(os.environ.get("TRUSTED_PROXY_HOPS", "0"))
    #: memory:// is per worker process; set redis://… (or memcached://…) to share limits across workers
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    #: login throttles: per client address and per account name tried
    LOGIN_LIMIT_PER_ADDRESS = "20 per minute"
    LOGIN_LIMIT_PER_ACCOUNT = "10 per minute"
    #: after this many consecutive failures an account refuses logins for a while, doubling each time
    LOGIN_LOCKOUT_AFTER = 5
    LOGIN_LOCKOUT_MINUTES = 1
    #: evidence files live here under random names, outside static/, served only through a checked view
    EVIDENCE_DIR = os.environ.get("EVIDENCE_DIR", str(INSTANCE_DIR / "evidence"))
    #: one evidence file may not exceed this (the request as a whole is capped by MAX_CONTENT_LENGTH)
    EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
    #: bulk-fill files wait here between their preview and "apply"; abandoned ones are removed after a day
    BULK_UPLOAD_DIR = os.environ.get("BULK_UPLOAD_DIR", str(INSTANCE_DIR / "bulk-uploads"))
    #: perceived figures below this many respondents are suppressed ("too few responses")
    REPORT_MIN_N = int(os.environ.get("REPORT_MIN_N", "30"))
    #: a gap is flagged when official and perceived differ by at least this many points (and the CI agrees)
    REPORT_GAP_THRESHOLD = float(os.environ.get("REPORT_GAP_THRESHOLD", "10"))
    #: raking trims weights above this multiple of the mean weight
    REPORT_RAKING_CAP = float(os.environ.get("REPORT_RAKING_CAP", "5"))
    #: public questionnaires: final submits and starts (invitation codes tried) per client address;
    #: the address is only a key in the limiter's store (RATELIMIT_STORAGE_URI), never in the database
    SURVEY_SUBMIT_LIMIT = os.environ.get("SURVEY_SUBMIT_LIMIT", "20 per hour")
    SURVEY_START_LIMIT = os.environ.get("SURVEY_START_LIMIT", "30 per hour")
    #: how long a browser keeps its draft (resume on the same device) and its "answered" marker
    SURVEY_DRAFT_DAYS = 30
    SURVEY_ANSWERED_DAYS = 365
    #: scheme and host of the public site, for absolute links outside a request (invitation CSVs)
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "")


class DevConfig(BaseConfig):
    DEBUG = True
    SESSION_COOKIE_SECURE = False


class TestConfig(BaseConfig):
    TESTING = True
    SECRET_KEY = "test-secret"
    WTF_CSRF_ENABLED = False
    SESSION_COOKIE_SECURE = False
    SQLALCHEMY_DATABASE_URI = _database_url()


def config_from_environment() -> type[BaseConfig]:
    name = os.environ.get("SMARTCITY_CONFIG", "production")
    return {"development": DevConfig, "testing": TestConfig}.get(name, BaseConfig)
