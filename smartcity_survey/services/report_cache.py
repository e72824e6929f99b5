"""Reports are cached per app and recomputed when the data under them changes.

The fingerprint is a handful of indexed aggregates (the newest response, the indicator values'
latest change and count, the margins, the standard versions, the questions, the cities): cheap to ask
on every request, and any new response, changed value, loaded weight, reloaded catalogue, imported
questionnaire or renamed city changes it, which is what invalidates the cached report.
"""
from __future__ import annotations

from flask import current_app
from sqlalchemy import text

from ..extensions import db
from .perceived import ReportSettings, build_report
from .stamped_cache import app_cache

MAX_ENTRIES = 32
_FINGERPRINT_SQL = [
    "SELECT MAX(id) FROM responses",
    "SELECT MAX(updated_at), COUNT(*) FROM indicator_values",
    "SELECT MAX(loaded_at), COUNT(*) FROM population_margins",
    "SELECT MAX(loaded_at), COUNT(*) FROM standard_versions",
    "SELECT COUNT(*) FROM assessment_years",
    # which areas a questionnaire asks about ("not asked" or "no responses"), before anyone answers it
    "SELECT MAX(id), COUNT(*) FROM questions",
    # the reports and their files carry each city's name: a renamed city is a new report
    "SELECT MAX(updated_at), COUNT(*) FROM cities",
]


def data_fingerprint() -> tuple:
    return tuple(tuple(db.session.execute(text(sql)).one()) for sql in _FINGERPRINT_SQL)


def settings_from_config() -> ReportSettings:
    config = current_app.config
    return ReportSettings(min_n=config["REPORT_MIN_N"], gap_threshold=config["REPORT_GAP_THRESHOLD"],
                          raking_cap=config["REPORT_RAKING_CAP"])


def cached_report(year: int, settings: ReportSettings | None = None) -> dict | None:
    """The year's report from the cache when nothing changed since it was built, else built afresh."""
    settings = settings or settings_from_config()
    cache = app_cache("reports", MAX_ENTRIES)
    key, fingerprint = (year, settings), data_fingerprint()
    report = cache.get(key, fingerprint)
    if report is None:
        report = build_report(year, settings)
        cache.put(key, fingerprint, report)
    return report


def city_report(report: dict, slug: str) -> dict | None:
    """The report narrowed to one city (same top-level keys, one entry in cities)."""
    entry = next((c for c in report["cities"] if c["city"] == slug), None)
    return None if entry is None else {**report, "cities": [entry]}
