"""Shared by scripts/loadtest.py and benchmarks/submit_benchmark.py: a throwaway database (an SQLite
file, or a private PostgreSQL server in a temporary folder), the load-test questionnaire, gunicorn as a
subprocess on a free loopback port, and a respondent that walks the real pages with urllib.

The client side is the standard library only: one cookie jar per respondent, html.parser for the CSRF
token and the answer fields, redirects followed by hand so that every request is timed and counted.
"""
from __future__ import annotations

import csv
import http.client
import http.cookiejar
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SLUG = "loadtest"
YEAR = 2020
AREAS = ["ctm", "hlt", "edu", "scy", "hcs", "its", "soc", "eco", "btd", "bld", "agr", "ict"]
ITEMS = [f"{area}_{i}" for i, area in enumerate(AREAS * 3)][:30]  # 30 rating items over the 12 areas
with open(ROOT / "smartcity_survey/data/cities.csv", encoding="utf-8") as _cities:
    CITIES = [row["slug"] for row in csv.DictReader(_cities)]
#: limits for one client address that a load from 127.0.0.1 never reaches
UNLIMITED = "10000000 per hour"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# --------------------------------------------------------------------------------------------- database
class Database:
    """A fresh, empty database for one run; `url` for the app, `engine()` for the checks."""

    def __init__(self, kind: str, workdir: Path):
        self.kind, self.workdir = kind, workdir
        self.pg_dir: Path | None = None
        if kind == "sqlite":
            self.url = f"sqlite:///{workdir / 'load.sqlite3'}"
        else:
            self.url = self._start_postgres()

    # A private server, so restarting it (--faults) disturbs nobody else's database on this machine.
    def _pg(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        bindir = Path("/usr/lib/postgresql") / sorted(os.listdir("/usr/lib/postgresql"), key=_version)[-1] / "bin"
        command = [str(bindir / args[0]), *args[1:]]
        if os.geteuid() == 0:  # initdb and postgres refuse to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=120)

    def _start_postgres(self) -> str:
        self.pg_dir = Path(tempfile.mkdtemp(prefix="loadtest-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.pg_dir, "postgres", "postgres")
        self.pg_port = free_port()
        self._pg("initdb", "-D", str(self.pg_dir / "data"), "-A", "trust", "-U", "postgres", "--no-sync")
        self.start_postgres()
        self._pg("createdb", "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "postgres", "loadtest")
        return f"postgresql://postgres@127.0.0.1:{self.pg_port}/loadtest"

    def start_postgres(self) -> None:
        options = (f"-p {self.pg_port} -k {self.pg_dir} -c listen_addresses=127.0.0.1 -c max_connections=400 "
                   "-c fsync=on -c shared_buffers=128MB")
        self._pg("pg_ctl", "-D", str(self.pg_dir / "data"), "-o", options, "-l", str(self.pg_dir / "server.log"),
                 "-w", "start")

    def stop_postgres(self, check: bool = True) -> None:
        self._pg("pg_ctl", "-D", str(self.pg_dir / "data"), "-m", "fast", "-w", "stop", check=check)

    def engine(self):
        from sqlalchemy import create_engine

        url = self.url.replace("postgresql://", "postgresql+psycopg://")
        return create_engine(url, poolclass=__import__("sqlalchemy.pool", fromlist=["NullPool"]).NullPool)

    def scalar(self, sql: str, **params):
        from sqlalchemy import text

        engine = self.engine()
        try:
            with engine.connect() as connection:
                return connection.execute(text(sql), params).scalar()
        finally:
            engine.dispose()

    def execute(self, sql: str) -> None:
        from sqlalchemy import text

        engine = self.engine()
        try:
            with engine.begin() as connection:
                connection.execute(text(sql))
        finally:
            engine.dispose()

    def close(self) -> None:
        if self.pg_dir is not None:
            self.stop_postgres(check=False)
            shutil.rmtree(self.pg_dir, ignore_errors=True)


def _version(name: str) -> tuple:
    return tuple(int(part) for part in name.split(".") if part.isdigit())


def app_env(database: Database, workdir: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": database.url, "SECRET_KEY": "loadtest-secret",
           "SURVEY_SUBMIT_LIMIT": UNLIMITED, "SURVEY_START_LIMIT": UNLIMITED,
           "EVIDENCE_DIR": str(workdir / "evidence"), "BULK_UPLOAD_DIR": str(workdir / "bulk"),
           "PYTHONFAULTHANDLER": "1", "PATH": f"{BIN}:{os.environ.get('PATH', '')}"}
    env.pop("SMARTCITY_CONFIG", None)  # production settings, as deployed
    env.update(extra)
    return env


def flask(env: dict, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    result = subprocess.run([str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def write_xlsform(path: Path) -> None:
    """30 rating items over the 12 areas in 3 sections; nothing required, no free text."""
    from openpyxl import Workbook

    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(["type", "name", "label::English (en)", "area"])
    for number in range(3):
        survey.append(["begin_group", f"part{number + 1}", f"Part {number + 1}", ""])
        for name in ITEMS[number * 10:(number + 1) * 10]:
            survey.append(["select_one rate", name, f"How well does {name} work?", name.split("_")[0]])
        survey.append(["end_group", "", "", ""])
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label::English (en)"])
    for value in ["1", "2", "3", "4", "5", "dk"]:
        choices.append(["rate", value, value])
    settings = book.create_sheet("settings")
    settings.append(["form_id", "form_title"])
    settings.append([SLUG, "Load test"])
    book.save(path)


def prepare(database: Database, workdir: Path) -> dict[str, str]:
    """Schema, standard, cities, and the load-test questionnaire open in every city."""
    env = app_env(database, workdir)
    flask(env, "init", "--year", str(YEAR))
    form = workdir / "loadtest.xlsx"
    write_xlsform(form)
    flask(env, "questionnaires", "import", str(form), "--year", str(YEAR), "--audience", "resident", "--open")
    return env


# ---------------------------------------------------------------------------------------------- gunicorn
class Gunicorn:
    """`gunicorn -c gunicorn.conf.py <module>:app` on a free loopback port; stop() always ends it."""

    def __init__(self, env: dict, workers: int, threads: int, module: str = "wsgi:app"):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(tempfile.mkstemp(prefix="gunicorn-", suffix=".log")[1])
        env = {**env, "GUNICORN_BIND": f"127.0.0.1:{self.port}", "WEB_CONCURRENCY": str(workers),
               "GUNICORN_THREADS": str(threads), "GUNICORN_MAX_REQUESTS": "0"}
        self.started_workers = workers
        self.process = subprocess.Popen([str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", module], cwd=ROOT,
                                        env=env, stdout=open(self.log_path, "w"), stderr=subprocess.STDOUT,
                                        start_new_session=True)
        self._wait_ready(workers)

    def _wait_ready(self, workers: int, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log_path.read_text()}")
            try:
                urllib.request.urlopen(self.base + "/", timeout=5).read()
                answered = True
            except urllib.error.HTTPError:
                answered = True  # any HTTP answer will do (the bare benchmark app has no home page)
            except OSError:
                answered = False
            if answered and len(self.workers()) >= workers:
                return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn not ready after {seconds} s:\n{self.log_path.read_text()}")

    def workers(self) -> list[int]:
        """Worker pids: the processes whose parent is the master."""
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                    pids.append(int(entry.name))
        return pids

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")

    def notable(self) -> list[str]:
        """Log lines worth showing: worker deaths and replacements, timeouts, errors (not the first boots)."""
        lines = self.log_text().splitlines()
        boots = [n for n, line in enumerate(lines) if "Booting worker" in line]
        first_boots = set(boots[:self.started_workers])
        return [line for n, line in enumerate(lines) if n not in first_boots and "database unavailable on" not in line
                and any(
            word in line for word in ("CRITICAL", "ERROR", "WARNING", "Booting worker", "Traceback", "exited"))]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=35)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        if not os.environ.get("LOADTEST_KEEP_LOG"):
            self.log_path.unlink(missing_ok=True)


# -------------------------------------------------------------------------------------------- respondent
class _Form(HTMLParser):
    """The CSRF token, the form actions and the radio answers offered on a page."""

    def __init__(self):
        super().__init__()
        self.csrf = ""
        self.actions: list[str] = []
        self.choices: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.actions.append(attrs.get("action", ""))
        elif tag == "input" and attrs.get("name") == "csrf_token":
            self.csrf = attrs.get("value", "")
        elif tag == "input" and attrs.get("type") == "radio":
            self.choices.setdefault(attrs["name"], []).append(attrs.get("value", ""))


def parse_form(html: str) -> _Form:
    parser = _Form()
    parser.feed(html)
    return parser


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the 3xx comes back as it is; the respondent follows it (and times it) itself


class _LoopbackTLS(http.cookiejar.DefaultCookiePolicy):
    """The app sets Secure cookies (production settings, TLS at the proxy); on loopback the jar sends
    them back over plain HTTP, as a browser behind the TLS proxy would."""

    def return_ok_secure(self, cookie, request):
        return True


@dataclass
class Reply:
    status: int
    body: str
    location: str


class Failed(Exception):
    """A step did not get the answer it needed; `kind` is the breakdown key."""

    def __init__(self, kind: str, detail: str = ""):
        super().__init__(f"{kind}: {detail}")
        self.kind = kind


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    retried: dict[str, int] = field(default_factory=dict)
    acknowledged: int = 0
    started: int = 0
    examples: dict[str, str] = field(default_factory=dict)
    in_doubt: int = 0  # a submit was sent and the run ended before its answer: stored, maybe, not acknowledged

    def merge(self, other: "Stats") -> None:
        self.latencies += other.latencies
        self.acknowledged += other.acknowledged
        self.started += other.started
        self.in_doubt += other.in_doubt
        self.examples = {**other.examples, **self.examples}
        for mine, theirs in ((self.errors, other.errors), (self.retried, other.retried)):
            for key, value in theirs.items():
                mine[key] = mine.get(key, 0) + value


class Respondent:
    """One browser: its own cookie jar. journey() answers the questionnaire once, start to thank-you."""

    def __init__(self, base: str, stats: Stats, rng: random.Random, *, retry: bool, give_up_at: float):
        self.base, self.stats, self.rng = base, stats, rng
        self.retry, self.give_up_at = retry, give_up_at
        jar = http.cookiejar.CookieJar(policy=_LoopbackTLS())
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)

    def request(self, path: str, data: dict | None = None) -> Reply:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        started = time.perf_counter()
        try:
            try:
                with self.opener.open(urllib.request.Request(self.base + path, data=body), timeout=60) as answer:
                    reply = Reply(answer.status, answer.read().decode("utf-8", "replace"),
                                  answer.headers.get("Location", ""))
            except urllib.error.HTTPError as answer:  # a redirect (not followed) or an error status
                with answer:
                    reply = Reply(answer.code, answer.read().decode("utf-8", "replace"),
                                  answer.headers.get("Location", ""))
        except (OSError, http.client.HTTPException) as exc:  # also a connection dropped while a body was read
            raise Failed("connection", f"{type(exc).__name__} {exc} on {path}") from exc
        finally:
            self.stats.latencies.append(time.perf_counter() - started)
        if reply.status >= 500:
            if "Traceback" in reply.body or "please press the button again" not in reply.body:
                raise Failed(f"http {reply.status} without the retry page")  # never retried: a real bug
            raise Failed(f"http {reply.status}")
        if reply.status >= 400:
            raise Failed(f"http {reply.status}", reply.body[:200])
        return reply

    def step(self, path: str, data: dict | None = None, expect: int = 200) -> Reply:
        """One button press; with retry, pressed again after a dropped connection or the retry page."""
        while True:
            try:
                reply = self.request(path, data)
                if reply.status != expect:
                    raise Failed(f"http {reply.status} (expected {expect})", path)
                return reply
            except Failed as exc:
                retryable = exc.kind == "connection" or exc.kind in ("http 502", "http 503", "http 504")
                if not (self.retry and retryable) or time.monotonic() > self.give_up_at:
                    raise
                self.stats.retried[exc.kind] = self.stats.retried.get(exc.kind, 0) + 1
                time.sleep(0.5 + self.rng.random())

    def journey(self, city: str) -> None:
        base = f"/q/{SLUG}/{city}"
        landing = parse_form(self.step(base).body)
        self.stats.started += 1
        location = self.step(f"{base}/start", {"csrf_token": landing.csrf}, expect=303).location
        while "/s/" in location:
            page = parse_form(self.step(location).body)
            answers = {name: self.rng.choice(values) for name, values in page.choices.items()}
            location = self.step(location, {"csrf_token": page.csrf, "action": "next", **answers}, expect=303).location
        if not location.endswith("/review"):
            raise Failed("unexpected page", location)
        review = parse_form(self.step(location).body)
        try:
            thanks = self.step(f"{base}/submit", {"csrf_token": review.csrf, "website": ""}, expect=303).location
        except Failed:
            self.stats.in_doubt += 1
            raise
        if not thanks.endswith("/thanks"):
            raise Failed("submit refused", thanks)
        self.step(thanks)
        self.stats.acknowledged += 1


def run_respondents(base: str, clients: int, seconds: float, *, retry: bool, grace: float = 90,
                    seed: int = 1) -> tuple[Stats, float]:
    """`clients` threads, each answering again and again (a new browser each time) for `seconds`; a
    journey under way at the end is finished (within `grace` seconds). Returns the stats and the wall time."""
    import threading

    deadline = time.monotonic() + seconds
    give_up_at = deadline + grace
    results: list[Stats] = []

    def loop(number: int) -> None:
        stats, rng = Stats(), random.Random(seed * 100_000 + number)
        try:
            while time.monotonic() < deadline:
                try:
                    Respondent(base, stats, rng, retry=retry, give_up_at=give_up_at).journey(rng.choice(CITIES))
                except Failed as exc:
                    stats.errors[exc.kind] = stats.errors.get(exc.kind, 0) + 1
                    stats.examples.setdefault(exc.kind, str(exc))
                    if time.monotonic() > give_up_at:
                        break
        except Exception as exc:  # a bug of the load generator: reported, and this thread's counts still kept
            stats.errors["load generator crashed"] = 1
            stats.examples.setdefault("load generator crashed", f"{type(exc).__name__}: {exc}")
        results.append(stats)

    started = time.monotonic()
    threads = [threading.Thread(target=loop, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(1.0, give_up_at + 60 - time.monotonic()))
    total = Stats()
    for stats in results:
        total.merge(stats)
    if len(results) < clients:
        total.errors["respondent thread hung"] = clients - len(results)
    return total, time.monotonic() - started


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]
