"""Real-browser tests: the portal served by a subprocess, driven by Playwright in Debian's Chromium.

The server reads the test database that pytest-django created, in which tests/conftest.py
committed the demo content once per session. Data created inside a test (rolled-back
transaction) is invisible to it: browser tests read the demo content only and never write.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import warnings
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
START_TIMEOUT = 30  # seconds for the server to answer


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url(db):
    """A DATABASE_URL for the test database pytest-django created (its NAME was renamed)."""
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{quote(db['NAME'], safe='')}"


def _status(url):
    """The HTTP status the server answers, or None while it does not accept connections."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback URL we built)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, OSError):
        return None


@pytest.fixture(scope="session")
def portal_server(django_db_setup):
    """Base URL of the portal served by `manage.py runserver` on the session's test database.

    Depends on `django_db_setup` so that it starts after the demo content is committed and
    stops before pytest-django drops the test database.
    """
    from django.conf import settings

    db = settings.DATABASES["default"]
    port = _free_port()
    env = dict(
        os.environ,
        DATABASE_URL=_database_url(db),
        DJANGO_SETTINGS_MODULE="portal.settings.test",
        OPENSEARCH_URL="",
        PYTHONUNBUFFERED="1",
    )
    log = tempfile.NamedTemporaryFile(prefix="crpv-browser-server-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(  # noqa: S603 (fixed command line)
        [sys.executable, "manage.py", "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while (status := _status(base_url + "/")) is None:
            if process.poll() is not None or time.monotonic() > deadline:
                output = Path(log.name).read_text(errors="replace")[-3000:]
                pytest.fail(f"The portal server did not answer on {base_url} within {START_TIMEOUT} s:\n{output}")
            time.sleep(0.2)
        if status != 200:
            pytest.fail(f"The portal server answers {status} on /: is the demo content in {db['NAME']}?")
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        if "Traceback" in Path(log.name).read_text(errors="replace"):
            warnings.warn(f"The portal server logged errors during the browser tests: {log.name}", stacklevel=1)
        else:
            os.unlink(log.name)


@pytest.fixture
def browser(portal_server):
    """Debian's Chromium, headless. Fails (never skips) when it is not installed.

    One per test, on purpose: while Playwright's sync API is alive it marks an asyncio loop as
    running in this thread, and Django then refuses database access (SynchronousOnlyOperation).
    Browser tests are marked `django_db` (so that pytest-django creates the test database the
    server reads); their transaction opens before this fixture starts Playwright and rolls
    back after it has stopped.
    """
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's package (`apt-get install chromium`; "
            "`.ci/run` does it). Never run `playwright install`: no browser download is possible here."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context_factory(browser, portal_server):
    """New browser contexts (e.g. `java_script_enabled=False`) on the portal, closed after the test."""
    contexts = []

    def make(**options):
        options = {"base_url": portal_server, "locale": "fr-FR", "viewport": {"width": 1280, "height": 900}} | options
        context = browser.new_context(**options)
        context.set_default_timeout(5000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(context_factory):
    """A fresh page (JavaScript on) whose relative URLs go to the portal server."""
    return context_factory().new_page()


@pytest.fixture(scope="session")
def screenshot_dir():
    """Screenshots land here (a temporary directory, never in the work tree); the path is printed."""
    path = Path(os.environ.get("BROWSER_SCREENSHOTS") or tempfile.mkdtemp(prefix="crpv-screenshots-"))
    path.mkdir(parents=True, exist_ok=True)
    return path
