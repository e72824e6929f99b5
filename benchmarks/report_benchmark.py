"""National report benchmark: N synthetic resident responses (30 rating items over the 12 areas, 17 cities).

Prints, for the same database in the same run:
  (a) a bare SQL scan that reads every stored answer once,
  (b) the full national report cold (empty cache) and cached (through the JSON API),
their seconds, the ratio (b cold / a) and the peak memory of the process that ran them.

    python benchmarks/report_benchmark.py --responses 100000
    python benchmarks/report_benchmark.py --responses 1000000 --keep /tmp/bench-1m.sqlite3

Loading writes responses and answers with plain executemany (the web path would take hours at this
size) and then derives the per-response measures with the same SQL the application uses
(services.measures.rebuild_all_measures); that write-side cost is printed too. SQLite by default;
set DATABASE_URL to run it on PostgreSQL.
"""
from __future__ import annotations

import argparse
import io
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

YEAR = 2020
AREAS = ["ctm", "hlt", "edu", "scy", "hcs", "its", "soc", "eco", "btd", "bld", "agr", "ict"]
ITEMS = [f"{area}_{i}" for i, area in enumerate(AREAS * 3)][:30]  # 30 items: 3 in six areas, 2 in six
CHUNK = 20_000


def _app(url: str):
    from smartcity_survey import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})


def _xlsform() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(["type", "name", "label::English (en)", "area"])
    for name in ITEMS:
        survey.append(["select_one rate", name, f"How well does {name} work?", name.split("_")[0]])
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label::English (en)"])
    for value in ["1", "2", "3", "4", "5", "dk"]:
        choices.append(["rate", value, value])
    settings = book.create_sheet("settings")
    settings.append(["form_id", "form_title"])
    settings.append(["bench", "Benchmark"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def load(url: str, responses: int) -> None:
    """Schema, standard, cities, an official year, the questionnaire, then N responses."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from smartcity_survey.extensions import db
    from smartcity_survey.io.xlsform import read_xlsform
    from smartcity_survey.models import City
    from smartcity_survey.services.cities import load_cities
    from smartcity_survey.services.demo import fill_demo_year
    from smartcity_survey.services.measures import rebuild_all_measures
    from smartcity_survey.services.questionnaires import create_questionnaire, open_questionnaire
    from smartcity_survey.services.standards import load_bundled_standard

    app = _app(url)
    with app.app_context():
        upgrade()
        load_bundled_standard()
        load_cities()
        fill_demo_year(YEAR)
        questionnaire = create_questionnaire(read_xlsform(_xlsform(), "bench.xlsx").definition,
                                             year=YEAR, audience="resident")
        db.session.flush()
        open_questionnaire("bench")
        db.session.commit()
        question_ids = [q.id for q in sorted(questionnaire.questions, key=lambda q: q.position)]
        city_ids = [c.id for c in db.session.scalars(db.select(City))]
        started = time.perf_counter()
        _insert(db, questionnaire.id, question_ids, city_ids, responses)
        inserted = time.perf_counter()
        with db.engine.begin() as connection:
            rebuild_all_measures(connection)
        derived = time.perf_counter()
        print(f"loaded {responses:,} responses ({responses * len(ITEMS):,} answers) in {inserted - started:.1f} s; "
              f"measures derived in {derived - inserted:.1f} s (write side, once per response)")
        db.session.execute(text("ANALYZE")) if db.engine.dialect.name == "sqlite" else None
        db.session.commit()


def _insert(db, questionnaire_id: int, question_ids: list[int], city_ids: list[int], responses: int) -> None:
    rng = random.Random(1)
    raw = db.engine.raw_connection()
    cursor = raw.cursor()
    marker = "?" if db.engine.dialect.name == "sqlite" else "%s"
    response_sql = (f"INSERT INTO responses (id, questionnaire_id, city_id, submitted_at, source, language) "
                    f"VALUES ({', '.join([marker] * 6)})")
    answer_sql = (f"INSERT INTO response_answers (response_id, question_id, ordinal, value_text, value_number) "
                  f"VALUES ({', '.join([marker] * 5)})")
    city_level = {city: rng.uniform(1.8, 4.5) for city in city_ids}
    for start in range(1, responses + 1, CHUNK):
        ids = range(start, min(start + CHUNK, responses + 1))
        rows, answers = [], []
        for rid in ids:
            city = city_ids[rid % len(city_ids)]
            rows.append((rid, questionnaire_id, city, "2020-06-01 12:00:00+00:00", "import", "ru"))
            for qid in question_ids:
                if rng.random() < 0.08:
                    answers.append((rid, qid, 0, "dk", None))
                else:
                    value = min(5, max(1, round(rng.gauss(city_level[city], 1.0))))
                    answers.append((rid, qid, 0, str(value), float(value)))
        cursor.executemany(response_sql, rows)
        cursor.executemany(answer_sql, answers)
        raw.commit()
    raw.close()


def measure(url: str) -> None:
    """Runs in a fresh process so the peak memory is the report's, not the loader's."""
    from sqlalchemy import text

    from smartcity_survey.extensions import db
    from smartcity_survey.services.perceived import build_report

    app = _app(url)
    client = app.test_client()
    with app.app_context():
        started = time.perf_counter()
        scan = db.session.execute(text(
            "SELECT COUNT(*), SUM(value_number), SUM(LENGTH(value_text)) FROM response_answers")).one()
        scan_seconds = time.perf_counter() - started
        started = time.perf_counter()
        report = build_report(YEAR)
        cold = time.perf_counter() - started
    assert client.get(f"/api/v1/years/{YEAR}/report").status_code == 200  # fills the cache
    timings = []
    for _ in range(20):
        started = time.perf_counter()
        response = client.get(f"/api/v1/years/{YEAR}/report")
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    respondents = sum(c["perceived"]["resident"]["areas"]["ctm"]["n"] for c in report["cities"])
    print(f"bare scan: {scan[0]:,} answers read in {scan_seconds:.2f} s")
    print(f"report cold: {cold:.2f} s ({respondents:,} respondents with a ctm score) = "
          f"{cold / scan_seconds:.2f} x the bare scan")
    print(f"report cached (API, median of 20): {sorted(timings)[10] * 1000:.1f} ms; "
          f"max {max(timings) * 1000:.1f} ms")
    print(f"peak memory of the measuring process: {peak_mb:,.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--keep", help="SQLite file to create (kept afterwards); default a temp file")
    parser.add_argument("--measure-only", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_only:
        measure(args.measure_only)
        return
    url = os.environ.get("DATABASE_URL")
    path = None
    if not url:
        path = Path(args.keep) if args.keep else Path(tempfile.mkdtemp()) / "bench.sqlite3"
        path.unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    print(f"database: {url.split('@')[-1]}; N = {args.responses:,}")
    load(url, args.responses)
    subprocess.run([sys.executable, __file__, "--measure-only", url], check=True)
    if path is not None and not args.keep:
        path.unlink()


if __name__ == "__main__":
    main()
