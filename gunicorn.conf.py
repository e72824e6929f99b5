"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py wsgi:app` behind a reverse proxy.

Everything can be overridden from the environment (WEB_CONCURRENCY, GUNICORN_THREADS, PORT, ...).
"""
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# One thread per worker: under load (scripts/loadtest.py, 100 respondents) workers with 2 or 4 threads
# died of SIGSEGV every run, on SQLite and PostgreSQL, with or without SQLAlchemy's compiled extensions;
# with one thread none did. Scale with WEB_CONCURRENCY until that crash is understood.
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread"
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
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
# Trust X-Forwarded-* only from the local reverse proxy.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
