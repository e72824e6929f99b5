"""Time the report pages once their report is cached (the target is at most 50 ms a page).

Run on a database filled by `flask --app wsgi init && flask --app wsgi demo` (DATABASE_URL as for the
app): `python benchmarks/report_pages.py [--year 2020] [--city almaty] [--repeat 30]`. Prints the first
(uncached) request, then the median and best of the cached ones, per page.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from smartcity_survey import create_app  # noqa: E402


def _time(client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2020)
    parser.add_argument("--city", default="almaty")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    client = create_app().test_client()
    pages = [f"/reports/{args.year}/national?lang=ru", f"/reports/{args.year}/cities/{args.city}?lang=ru",
             f"/reports/{args.year}/cities/{args.city}.xlsx?lang=ru"]
    print(f"{'page':48} {'first ms':>9} {'median ms':>10} {'best ms':>8}")
    for url in pages:
        first = _time(client, url)
        cached = [_time(client, url) for _ in range(args.repeat)]
        print(f"{url:48} {first:9.1f} {statistics.median(cached):10.1f} {min(cached):8.1f}")


if __name__ == "__main__":
    main()
