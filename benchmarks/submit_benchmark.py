"""Submit benchmark: the real response submission next to a bare one-INSERT endpoint, same database, same run.

    python benchmarks/submit_benchmark.py                        # SQLite
    python benchmarks/submit_benchmark.py --database postgres    # a private PostgreSQL server

Both run under gunicorn (`gunicorn.conf.py`, the same --workers) on loopback, one after the other:

  (a) submissions/s: drafts are filled beforehand through the real pages (landing, start, three
      section posts with 30 answers, review); then --concurrency clients send the final POST /submit
      (CSRF token, every answer checked again, the response and its 30 answers written in one
      transaction, the draft claimed). "A submission" is that final POST and its 303 to the thank-you page.
  (b) journeys/s: whole respondents (9 requests each, start to thank-you), for context.
  (c) inserts/s: benchmarks/bare_insert.py, a bare Flask endpoint doing one INSERT in one transaction.

Printed: (a), (b), (c), the ratio a / c (target ≥ 60 %), and the questionnaire page (a section page
with a draft) p50/p95 at --page-clients concurrent clients (target p95 ≤ 100 ms).
"""
from __future__ import annotations

import argparse
import os
import queue
import random
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from loadlib import (CITIES, SLUG, Database, Failed, Gunicorn, Respondent, Stats, log, percentile,  # noqa: E402
                     parse_form, prepare, run_respondents)


def filled_draft(base: str, rng: random.Random) -> tuple[Respondent, str, str]:
    """A respondent at the review page: (respondent, submit path, CSRF token)."""
    respondent = Respondent(base, Stats(), rng, retry=False, give_up_at=time.monotonic() + 600)
    city = rng.choice(CITIES)
    landing = parse_form(respondent.step(f"/q/{SLUG}/{city}").body)
    location = respondent.step(f"/q/{SLUG}/{city}/start", {"csrf_token": landing.csrf}, expect=303).location
    while "/s/" in location:
        page = parse_form(respondent.step(location).body)
        answers = {name: rng.choice(values) for name, values in page.choices.items()}
        location = respondent.step(location, {"csrf_token": page.csrf, "action": "next", **answers},
                                   expect=303).location
    review = parse_form(respondent.step(location).body)
    return respondent, f"/q/{SLUG}/{city}/submit", review.csrf


def in_parallel(count: int, job) -> float:
    """Run job(n) in `count` threads; seconds until all are done."""
    threads = [threading.Thread(target=job, args=(n,), daemon=True) for n in range(count)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    return time.perf_counter() - started


def drain(items: queue.Queue, concurrency: int, send) -> tuple[int, float, list[str]]:
    """Send every queued item with `concurrency` threads; (done, seconds, errors)."""
    done, errors, lock = [0], [], threading.Lock()

    def worker(_n):
        while True:
            try:
                item = items.get_nowait()
            except queue.Empty:
                return
            try:
                send(item)
                with lock:
                    done[0] += 1
            except Failed as exc:
                errors.append(str(exc))

    seconds = in_parallel(concurrency, worker)
    return done[0], seconds, errors


def measure_submits(base: str, count: int, concurrency: int) -> tuple[float, list[str]]:
    prepared: queue.Queue = queue.Queue()
    rng = random.Random(3)

    def prepare_some(n):
        local = random.Random(rng.random() + n)
        for _ in range(count // concurrency + (n < count % concurrency)):
            prepared.put(filled_draft(base, local))

    in_parallel(concurrency, prepare_some)
    log(f"{prepared.qsize()} drafts filled; submitting")

    def send(item):
        respondent, path, csrf = item
        location = respondent.step(path, {"csrf_token": csrf, "website": ""}, expect=303).location
        if not location.endswith("/thanks"):
            raise Failed("submit refused", location)

    done, seconds, errors = drain(prepared, concurrency, send)
    return done / seconds, errors


def measure_page(base: str, clients: int, seconds: float) -> tuple[list[float], list[str], float]:
    """Every client fills a draft, waits for the others, then reloads its section page for `seconds`.
    Also returns the share of the machine's CPUs the load generator itself used meanwhile: it runs on
    the same machine, and what it uses the server does not get."""
    latencies, errors, lock = [], [], threading.Lock()
    used = []
    ready = threading.Barrier(clients, timeout=300)
    deadline = []

    def client(n):
        respondent, path, _csrf = filled_draft(base, random.Random(1000 + n))
        section_page = path.replace("/submit", "/s/2")
        if ready.wait() == 0:
            used.append((time.process_time(), time.monotonic()))
            deadline.append(time.monotonic() + seconds)
        ready_deadline = time.monotonic() + 5
        while not deadline and time.monotonic() < ready_deadline:
            time.sleep(0.01)
        while time.monotonic() < deadline[0]:
            started = time.perf_counter()
            try:
                respondent.step(section_page)
            except Failed as exc:
                errors.append(str(exc))
            with lock:
                latencies.append(time.perf_counter() - started)

    in_parallel(clients, client)
    cpu, wall = time.process_time() - used[0][0], time.monotonic() - used[0][1]
    return latencies, errors, cpu / wall / (os.cpu_count() or 1)


def measure_bare(env: dict, workers: int, count: int, concurrency: int, database: Database) -> tuple[float, list[str]]:
    serial = "SERIAL" if database.kind == "postgres" else "INTEGER"
    database.execute(f"CREATE TABLE IF NOT EXISTS bench_bare_insert (id {serial} PRIMARY KEY, note TEXT)")
    server = Gunicorn(env, workers, 1, module="benchmarks.bare_insert:app")
    try:
        items: queue.Queue = queue.Queue()
        for _ in range(count):
            items.put(Respondent(server.base, Stats(), random.Random(1), retry=False, give_up_at=time.monotonic() + 600))

        def send(respondent):
            respondent.step("/insert", {"x": "1"})

        done, seconds, errors = drain(items, concurrency, send)
    finally:
        server.stop()
    stored = database.scalar("SELECT COUNT(*) FROM bench_bare_insert")
    if stored != done:
        errors.append(f"bare: {done} acknowledged, {stored} stored")
    return done / seconds, errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--submits", type=int, default=400, help="final submits (and bare inserts) to time")
    parser.add_argument("--concurrency", type=int, default=8, help="clients sending submits / inserts")
    parser.add_argument("--page-clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20, help="length of the page and journey runs")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="submit-bench-"))
    database = Database(args.database, workdir)
    errors: list[str] = []
    try:
        env = prepare(database, workdir)
        server = Gunicorn(env, args.workers, 1)
        try:
            submit_rate, failed = measure_submits(server.base, args.submits, args.concurrency)
            errors += failed
            journeys, wall = run_respondents(server.base, args.concurrency, args.seconds, retry=False)
            errors += [f"journey {kind}: {n}" for kind, n in journeys.errors.items()]
            page, failed, generator_share = measure_page(server.base, args.page_clients, args.seconds)
            errors += failed
        finally:
            server.stop()
        bare_rate, failed = measure_bare(env, args.workers, args.submits, args.concurrency, database)
        errors += failed
    finally:
        database.close()
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"\n== submit benchmark on {args.database}: gunicorn {args.workers} workers (gunicorn.conf.py: sync, "
          f"1 thread), {args.concurrency} concurrent clients")
    print(f"(a) response submissions (final POST, 30 answers): {submit_rate:7.1f} /s")
    print(f"(b) whole journeys (9 requests each):              {journeys.acknowledged / wall:7.1f} /s")
    print(f"(c) bare Flask endpoint, one INSERT:               {bare_rate:7.1f} /s")
    ratio = submit_rate / bare_rate
    print(f"ratio a / c: {ratio:.0%}  (target >= 60 %: {'met' if ratio >= 0.6 else 'NOT met'})")
    p95 = percentile(page, 0.95) * 1000
    print(f"questionnaire page at {args.page_clients} concurrent clients: {len(page):,} requests, "
          f"p50 {percentile(page, 0.5) * 1000:.0f} ms, p95 {p95:.0f} ms (target <= 100 ms: "
          f"{'met' if p95 <= 100 else 'NOT met'}); {len(page) / args.seconds:.0f} pages/s; the load generator "
          f"itself used {generator_share:.0%} of the CPUs")
    print(f"errors: {len(errors)}" + (f"  e.g. {errors[:3]}" if errors else ""))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
