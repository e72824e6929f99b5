"""A live server on the test database with the demo year, and headless Debian Chromium via Playwright."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from smartcity_survey import create_app
from smartcity_survey.config import PROJECT_ROOT
from smartcity_survey.extensions import db
from tests.helpers import app_config

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = PROJECT_ROOT / "test-artifacts" / "screenshots"


@contextmanager
def serving(app, name: str = "live-server"):
    """The app served over HTTP on a free loopback port, in a thread, for the block: yields the base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def _empty_tables() -> None:
    db.session.rollback()
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture(scope="module")
def live_server(database_url, tmp_path_factory):
    """http://127.0.0.1:<port> serving the app on the test database, filled with the 2019 demo year.
    Uploaded files go to a temporary folder, never into the project's instance/."""
    from smartcity_survey.services.cities import load_cities
    from smartcity_survey.services.demo import fill_demo_year
    from smartcity_survey.services.standards import load_bundled_standard

    uploads = tmp_path_factory.mktemp("live-uploads")
    app = create_app(app_config(database_url) | {"EVIDENCE_DIR": str(uploads / "evidence"),
                                                 "BULK_UPLOAD_DIR": str(uploads / "bulk")})
    with app.app_context():
        _empty_tables()
        load_bundled_standard()
        load_cities()
        fill_demo_year(2019)
        db.session.commit()
        db.session.remove()
    try:
        with serving(app) as url:
            yield url
    finally:
        with app.app_context():
            _empty_tables()
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless. Missing browser = failure: these journeys are part of "done"."""
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (scripts/test.sh does) to run the "
                    "browser tests; they are not optional")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


FAVICON = PROJECT_ROOT / "static" / "img" / "favicon.svg"


def icon_from_disk(context) -> None:
    """Chromium asks for the page icon lazily and drops the request when the page moves on; werkzeug's
    test server then leaves the half-sent file open, and its ResourceWarning surfaces in whatever test
    runs next. The icon is answered in the browser instead, so no request to it is ever cut off."""
    context.route("**/static/img/favicon.svg",
                  lambda route: route.fulfill(path=str(FAVICON), content_type="image/svg+xml"))


@pytest.fixture
def page(browser):
    """A fresh page (own cookies) that records script errors; the test asserts there are none."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    icon_from_disk(context)
    page = context.new_page()
    errors: list[str] = []
    page.script_errors = errors  # script errors and failed loads (a missing favicon is no page's fault)
    page.on("pageerror", lambda error: errors.append(f"script: {error}"))
    page.on("console", lambda msg: msg.type == "error" and not msg.text.startswith("Failed to load resource")
            and errors.append(f"console: {msg.text}"))
    page.on("response", lambda response: response.status >= 400 and not response.url.endswith("/favicon.ico")
            and errors.append(f"HTTP {response.status}: {response.url}"))
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def screenshot(page):
    """screenshot(name): a full-page PNG in test-artifacts/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000, f"{path} is suspiciously small"
        return path

    return take
