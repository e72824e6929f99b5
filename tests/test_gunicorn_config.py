"""gunicorn.conf.py refuses to serve the production settings with the public development secret key."""
from __future__ import annotations

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

from smartcity_survey.config import DEVELOPMENT_SECRET_KEY, BaseConfig

ROOT = Path(__file__).resolve().parent.parent
on_starting = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["on_starting"]


@pytest.mark.parametrize("config, key, refused", [
    ("production", DEVELOPMENT_SECRET_KEY, True),
    ("production", "a-long-random-key-set-by-the-operator", False),
    ("development", DEVELOPMENT_SECRET_KEY, False),
])
def test_serving_production_needs_a_secret_key(monkeypatch, config, key, refused):
    monkeypatch.setenv("SMARTCITY_CONFIG", config)
    monkeypatch.setattr(BaseConfig, "SECRET_KEY", key)
    if refused:
        with pytest.raises(SystemExit, match="SECRET_KEY is not set"):
            on_starting(None)
    else:
        on_starting(None)


def test_gunicorn_without_a_secret_key_exits_with_the_reason(tmp_path):
    """The real server: it stops before binding a worker, and says why."""
    env = {key: value for key, value in os.environ.items() if key not in ("SECRET_KEY", "SMARTCITY_CONFIG")}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    gunicorn = Path(sys.executable).parent / "gunicorn"
    result = subprocess.run([str(gunicorn), "-c", "gunicorn.conf.py", "-b", "127.0.0.1:0", "wsgi:app"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stdout + result.stderr
