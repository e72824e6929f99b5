"""Load and fault test: simulated respondents against gunicorn on a fresh SQLite or PostgreSQL database.

    python scripts/loadtest.py                                  # 200 respondents, 60 s, SQLite
    python scripts/loadtest.py --database postgres --faults     # plus a killed worker, a database
                                                                # restart and two interrupted imports
    python scripts/loadtest.py --clients 20 --seconds 10        # the short version CI runs

Each respondent is a new browser (own cookie jar) that opens the landing page, starts, answers the
three sections of a 30-item questionnaire, opens the review and submits; the thank-you page counts
as "acknowledged". Afterwards the database is asked what it holds. Printed: requests, errors (by
kind), p50/p95 latency, acknowledged vs stored, and, with --faults, PASS/FAIL per fault check.
Exit status 1 when any check fails: errors > 0, stored != acknowledged, a response without its 30
answers, a submitted draft without exactly one response, or a fault check.

With --faults a respondent whose request died (connection dropped, the app's 503 "press the button
again" page) presses the same button again, as a person would: counted as "retried", not as an error.
A 5xx page that is not the app's retry page, or shows a traceback, is always an error.

PostgreSQL runs as a private server in a temporary folder on a free port (initdb/pg_ctl from
/usr/lib/postgresql), so restarting it disturbs no other database on the machine. Loopback only;
every loop is bounded by --seconds plus a grace period; gunicorn and the database are always stopped.
"""
from __future__ import annotations

import argparse
import csv
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadlib import (BIN, CITIES, ITEMS, ROOT, SLUG, YEAR, Database, Gunicorn, log, percentile,  # noqa: E402
                     prepare, run_respondents)


class Checks:
    def __init__(self):
        self.failed: list[str] = []

    def check(self, ok: bool, label: str) -> bool:
        print(f"{'PASS' if ok else 'FAIL'}  {label}", flush=True)
        if not ok:
            self.failed.append(label)
        return ok


# ------------------------------------------------------------------------------------------------- load
def inject_faults(server: Gunicorn, database: Database, seconds: float, events: list[str], stop: threading.Event):
    """A third of the way in: SIGKILL one worker. Two thirds in (PostgreSQL): stop the server, wait 3 s,
    start it again."""
    if stop.wait(seconds / 3):
        return
    workers = server.workers()
    if workers:
        victim = random.Random(7).choice(workers)
        os.kill(victim, signal.SIGKILL)
        events.append(f"SIGKILL worker {victim} at {seconds / 3:.0f} s")
        log(events[-1])
    if database.kind == "postgres" and not stop.wait(seconds / 3):
        log("stopping PostgreSQL")
        database.stop_postgres()
        time.sleep(3)
        database.start_postgres()
        events.append(f"PostgreSQL stopped for 3 s at {2 * seconds / 3:.0f} s and started again")
        log(events[-1])


def _exception_lines(log_text: str) -> list[str]:
    """The "package.Error: message" lines that end tracebacks."""
    import re

    return [line for line in log_text.splitlines() if re.match(r"^[\w.]+(Error|Exception|Shutdown|Warning)\b.*", line)]


def stored_figures(database: Database) -> dict[str, int]:
    questionnaire = f"(SELECT id FROM questionnaires WHERE slug = '{SLUG}')"
    return {
        "stored": database.scalar(f"SELECT COUNT(*) FROM responses WHERE questionnaire_id IN {questionnaire} "
                                  "AND source = 'web'"),
        "incomplete": database.scalar(
            f"SELECT COUNT(*) FROM (SELECT r.id FROM responses r LEFT JOIN response_answers a ON a.response_id = r.id "
            f"WHERE r.questionnaire_id IN {questionnaire} AND r.source = 'web' GROUP BY r.id "
            f"HAVING COUNT(a.response_id) <> {len(ITEMS)}) AS odd"),
        "claimed_drafts": database.scalar(f"SELECT COUNT(*) FROM response_drafts WHERE questionnaire_id IN "
                                          f"{questionnaire} AND submitted_at IS NOT NULL"),
    }


def run_load(args, database: Database, env: dict, checks: Checks) -> None:
    server = Gunicorn(env, args.workers, args.threads)
    events: list[str] = []
    stop = threading.Event()
    try:
        log(f"gunicorn on {server.base}: {args.workers} workers x {args.threads} threads; {args.clients} "
            f"respondents for {args.seconds} s on {database.kind}")
        injector = None
        if args.faults:
            injector = threading.Thread(target=inject_faults, args=(server, database, args.seconds, events, stop))
            injector.start()
        stats, wall = run_respondents(server.base, args.clients, args.seconds, retry=args.faults)
        stop.set()
        if injector:
            injector.join(timeout=60)
        server_log, notable = server.log_text(), server.notable()
    finally:
        stop.set()
        server.stop()
    figures = stored_figures(database)
    requests = len(stats.latencies)
    errors = sum(stats.errors.values())
    print(f"\n== load on {database.kind}: {args.clients} respondents, {args.seconds} s "
          f"(wall {wall:.1f} s incl. finishing journeys)")
    for event in events:
        print(f"fault: {event}")
    print(f"requests: {requests:,} ({requests / wall:.0f}/s)   journeys started: {stats.started:,}")
    print(f"errors: {errors}" + (f"  {stats.errors}" if errors else ""))
    for kind, example in stats.examples.items():
        print(f"  e.g. {example[:300]}")
    if stats.retried:
        print(f"retried (button pressed again): {sum(stats.retried.values())}  {stats.retried}")
    print(f"latency: p50 {percentile(stats.latencies, 0.5) * 1000:.0f} ms, "
          f"p95 {percentile(stats.latencies, 0.95) * 1000:.0f} ms, max {max(stats.latencies) * 1000:.0f} ms")
    print(f"responses: acknowledged {stats.acknowledged:,}, stored {figures['stored']:,}, "
          f"submitted drafts {figures['claimed_drafts']:,}, responses without exactly {len(ITEMS)} answers "
          f"{figures['incomplete']}, submits in doubt at the end {stats.in_doubt}")
    if notable:
        print(f"gunicorn log, notable lines ({len(notable)}):")
        print("\n".join(f"  {line[:200]}" for line in notable[:15]))
    tracebacks = server_log.count("Traceback (most recent call last)")
    if tracebacks:
        print(f"gunicorn log: {tracebacks} tracebacks; the exceptions they end in:")
        for line in sorted(set(_exception_lines(server_log))):
            print(f"  {line[:300]}")
    checks.check(errors == 0, "load: 0 errors")
    checks.check(stats.acknowledged > 0, "load: responses were acknowledged")
    checks.check(figures["stored"] == stats.acknowledged, "load: stored == acknowledged")
    checks.check(figures["claimed_drafts"] == figures["stored"], "load: one response per submitted draft (0 duplicates)")
    checks.check(figures["incomplete"] == 0, f"load: every response has its {len(ITEMS)} answers (none partial)")


# ----------------------------------------------------------------------------------------------- imports
def write_cities(path: Path, count: int) -> list[str]:
    slugs = [f"town-{n:04d}" for n in range(count)]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["slug", "name_en", "name_ru", "name_kk", "status", "region_en",
                         "published_2019_level_percent", "note"])
        for slug in slugs:
            writer.writerow([slug, slug.title(), slug, slug, "regional", "Load test", "", ""])
    return slugs


def indicator_codes(database: Database) -> list[str]:
    from sqlalchemy import text

    engine = database.engine()
    try:
        with engine.connect() as connection:
            return list(connection.execute(text("SELECT code FROM indicators ORDER BY code")).scalars())
    finally:
        engine.dispose()


def write_values(path: Path, cities: list[str], codes: list[str], seed: int) -> int:
    rng = random.Random(seed)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["city", "indicator", "value"])
        for city in cities:
            for code in codes:
                writer.writerow([city, code, rng.choice(["0", "1"])])  # valid for every method
    return len(cities) * len(codes)


def write_responses(path: Path, rows: int, prefix: str) -> None:
    rng = random.Random(prefix)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["respondent_id", "city", *ITEMS])
        for n in range(rows):
            writer.writerow([f"{prefix}-{n}", CITIES[n % len(CITIES)], *(rng.choice("12345") for _ in ITEMS)])


#: what `flask indicators import` / `responses import` print on stderr as they write (cli.print_progress)
PROGRESS = re.compile(r"^([\d,]+) of ([\d,]+) rows written")


def run_import(env: dict, args: list[str], *, kill_half_way: bool = False) -> tuple[float, int | None, bool]:
    """(seconds, exit code, killed half-way). With kill_half_way, the import is SIGKILLed as soon as it says
    it has written half its rows or more but not all: then it is inside its transaction, not yet committed,
    whatever the machine's speed (a kill timed by the clock came after the commit on a slow CI runner)."""
    started = time.monotonic()
    process = subprocess.Popen([str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output, killed = [], False
    for line in process.stdout:
        output.append(line)
        progress = PROGRESS.match(line)
        if kill_half_way and progress:
            done, total = (int(group.replace(",", "")) for group in progress.groups())
            if total / 2 <= done < total:
                process.send_signal(signal.SIGKILL)
                killed = True
                break
    output.append(process.communicate(timeout=900)[0])
    if not kill_half_way and process.returncode != 0:
        print("".join(output))
    return time.monotonic() - started, process.returncode, killed


#: tries at cutting an import short; a kill that reached the import only after its commit tries again
KILL_ATTEMPTS = 3


def interrupted_import(label: str, env: dict, checks: Checks, *, full_args: list[str], count_full, killed,
                       expected: int) -> None:
    """Run a complete import (A); run another import (B) and SIGKILL it half-way through writing its rows:
    it must leave nothing, and run again it completes and stores everything. `killed(attempt)` gives B's
    arguments and row counter for each attempt; each attempt has fresh rows."""
    seconds, code, _ = run_import(env, full_args)
    checks.check(code == 0 and count_full() == expected,
                 f"{label}: a complete import stores all {expected:,} rows ({seconds:.1f} s)")
    for attempt in range(KILL_ATTEMPTS):
        killed_args, count_killed = killed(attempt)
        before = count_killed()
        seconds, code, was_killed = run_import(env, killed_args, kill_half_way=True)
        after = count_killed()
        checks.check(after in (before, before + expected),
                     f"{label}: all or nothing, never partial (rows before {before:,}, after {after:,})")
        if not was_killed:
            checks.check(False, f"{label}: the import never said it was half-way (exit code {code}); it must "
                                f"write more rows than one batch of 500")
            return
        if after == before:
            break
        print(f"NOTE  {label}: the kill reached the import after its commit; trying again", flush=True)
    else:
        checks.check(False, f"{label}: no kill in {KILL_ATTEMPTS} attempts came while the import was at work")
        return
    checks.check(code == -signal.SIGKILL and after == before,
                 f"{label}: import SIGKILLed half-way through its rows ({seconds:.1f} s in) left nothing")
    seconds, code, _ = run_import(env, killed_args)
    checks.check(code == 0 and count_killed() == before + expected,
                 f"{label}: run again, it completes ({count_killed() - before:,} rows, {seconds:.1f} s)")


def run_import_faults(args, database: Database, env: dict, workdir: Path, checks: Checks) -> None:
    print(f"\n== interrupted imports on {database.kind}")
    cities = write_cities(workdir / "towns.csv", args.import_cities)
    subprocess.run([str(BIN / "flask"), "--app", "wsgi", "cities", "load", str(workdir / "towns.csv")], cwd=ROOT,
                   env=env, check=True, capture_output=True, timeout=300)
    codes = indicator_codes(database)
    for year in range(YEAR, YEAR + 1 + KILL_ATTEMPTS):
        subprocess.run([str(BIN / "flask"), "--app", "wsgi", "years", "open", str(year)], cwd=ROOT, env=env,
                       capture_output=True, timeout=120)  # values are imported into an assessment year
    rows = write_values(workdir / "values-a.csv", cities, codes, 1)
    write_values(workdir / "values-b.csv", cities, codes, 2)
    values_in = ("SELECT COUNT(*) FROM indicator_values v JOIN cities c ON c.id = v.city_id "
                 "JOIN assessment_years y ON y.id = v.year_id WHERE c.slug LIKE 'town-%%' AND y.year = {year}")

    def values_in_year(year: int):
        return lambda: database.scalar(values_in.format(year=year).replace("%%", "%"))

    interrupted_import(  # each attempt imports into its own year, so one that completed leaves the next empty
        "indicator import", env, checks, expected=rows,
        full_args=["indicators", "import", str(workdir / "values-a.csv"), "--year", str(YEAR)],
        count_full=values_in_year(YEAR),
        killed=lambda attempt: (["indicators", "import", str(workdir / "values-b.csv"), "--year",
                                 str(YEAR + 1 + attempt)], values_in_year(YEAR + 1 + attempt)))
    write_responses(workdir / "responses-a.csv", args.import_responses, "paper-a")
    imported = ("SELECT COUNT(*) FROM responses WHERE source = 'import' AND respondent_id LIKE '{prefix}-%'")

    def responses_file(attempt: int):
        prefix = f"paper-b{attempt}"  # respondent ids are imported once: every attempt has its own
        write_responses(workdir / f"{prefix}.csv", args.import_responses, prefix)
        return (["responses", "import", str(workdir / f"{prefix}.csv"), "--questionnaire", SLUG],
                lambda: database.scalar(imported.format(prefix=prefix)))

    interrupted_import(
        "responses import", env, checks, expected=args.import_responses,
        full_args=["responses", "import", str(workdir / "responses-a.csv"), "--questionnaire", SLUG],
        count_full=lambda: database.scalar(imported.format(prefix="paper-a")), killed=responses_file)
    partial = database.scalar(
        "SELECT COUNT(*) FROM (SELECT r.id FROM responses r LEFT JOIN response_answers a ON a.response_id = r.id "
        "WHERE r.source = 'import' GROUP BY r.id HAVING COUNT(a.response_id) <> :n) AS odd", n=len(ITEMS))
    checks.check(partial == 0, f"responses import: every imported response has its {len(ITEMS)} answers")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (WEB_CONCURRENCY)")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per worker (GUNICORN_THREADS); see gunicorn.conf.py before raising it")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--faults", action="store_true", help="kill a worker, restart PostgreSQL, interrupt imports")
    parser.add_argument("--import-cities", type=int, default=300, help="cities in the large indicator import")
    parser.add_argument("--import-responses", type=int, default=5_000,
                        help="rows in the large responses import (about 130 rows/s here; it runs three times)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="loadtest-"))
    checks = Checks()
    database = Database(args.database, workdir)
    try:
        log(f"preparing a fresh {args.database} database")
        env = prepare(database, workdir)
        run_load(args, database, env, checks)
        if args.faults:
            run_import_faults(args, database, env, workdir, checks)
    finally:
        database.close()
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"\n{'ALL CHECKS PASSED' if not checks.failed else f'{len(checks.failed)} CHECK(S) FAILED'}")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
