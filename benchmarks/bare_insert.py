"""The yardstick for benchmarks/submit_benchmark.py: a bare Flask app whose one endpoint does one INSERT
into a scratch table of the same database, in one transaction. `gunicorn benchmarks.bare_insert:app`."""
from __future__ import annotations

import os

from flask import Flask
from sqlalchemy import create_engine, text

from smartcity_survey import _sqlite_pragmas  # noqa: F401 - the app's SQLite pragmas (WAL, busy_timeout)
from smartcity_survey.config import _database_url

app = Flask(__name__)
engine = create_engine(_database_url(), pool_pre_ping=True)
TABLE = os.environ.get("BARE_TABLE", "bench_bare_insert")


@app.post("/insert")
def insert():
    with engine.begin() as connection:
        connection.execute(text(f"INSERT INTO {TABLE} (note) VALUES (:note)"), {"note": "x"})
    return "ok"
