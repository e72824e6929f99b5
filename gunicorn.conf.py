"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py wsgi:app` behind a reverse proxy.

Everything can be overridden from the environment (WEB_CONCURRENCY, GUNICORN_THREADS, PORT, ...).
"""
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# One thread per worker: on Python 3.11, workers with 2 or 4 threads die of SIGSEGV now and then under
# load, inside CPython's own exception handling (core dump in docs/operations.md, "Known problems");
# Python 3.12 ran the same load cleanly. Scale with WEB_CONCURRENCY.
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# One thread: the plain sync worker, which accepts a connection only when it is free, so the kernel
# hands each waiting request to whichever worker is idle. A single-threaded gthread worker instead keeps
# accepting while busy and queues requests behind its current one, which stretched the slowest page
# loads (benchmarks/submit_benchmark.py). More threads need gthread.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync" if threads == 1 else "gthread")
# Requests are short; a stuck worker is killed and replaced rather than left holding connections.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak can never build up over a long poll evening.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
# The app is imported once per worker (not preloaded) so database connections are never shared
# across forks.
preload_app = False
# No access log unless asked for (GUNICORN_ACCESS_LOG=- for stdout, or a file): nginx in front already logs
# every request, and formatting a second line costs a worker about 0.2 ms of CPU per request, some 6 % of
# an answering page (benchmarks/submit_benchmark.py).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
# Trust X-Forwarded-* only from the local reverse proxy.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server):
    """Refuse to serve the production settings with the public development key: anyone could sign
    session, CSRF and survey cookies with it. (Commands such as `flask --app wsgi users create` sign
    nothing, so they still run without a key.)"""
    from smartcity_survey.config import DEVELOPMENT_SECRET_KEY, BaseConfig, config_from_environment

    if config_from_environment() is BaseConfig and BaseConfig.SECRET_KEY == DEVELOPMENT_SECRET_KEY:
        raise SystemExit("SECRET_KEY is not set: export a long random one (README, Deployment) before serving "
                         "with the production settings, or set SMARTCITY_CONFIG=development on a laptop.")
