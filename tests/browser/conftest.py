"""Browser tests: Playwright driving Debian's Chromium against a live server on loopback.

The live server runs in a thread of the test process against the test database, so the browser
sees what the session created. Browser tests commit what they do (there is no transaction to
roll back); they use unique names and run after the rolled-back tests (see tests/conftest.py).
"""

import os
import uuid

import pytest
from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.db import connection
from django.test.testcases import LiveServerThread

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def live_site(django_db_setup, django_db_blocker):
    """A live server for every host (*.localhost resolves to loopback in Chromium)."""
    thread = LiveServerThread("127.0.0.1", static_handler=StaticFilesHandler, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    old_port = settings.MPP_PUBLIC_PORT
    settings.MPP_PUBLIC_PORT = str(thread.port)
    try:
        yield LiveSite(thread.port)
    finally:
        settings.MPP_PUBLIC_PORT = old_port
        thread.terminate()


class LiveSite:
    def __init__(self, port: int):
        self.port = port

    def national(self, path: str = "/") -> str:
        return f"http://{settings.MPP_BASE_DOMAIN}:{self.port}{path}"

    def region(self, slug: str, path: str = "/") -> str:
        return f"http://{slug}.{settings.MPP_BASE_DOMAIN}:{self.port}{path}"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; Django's ORM calls from the test
    # itself are still synchronous and safe (the documented pytest-playwright set-up).
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    executable = os.environ.get("MPP_BROWSER", "/usr/bin/chromium")
    if not os.path.exists(executable):
        pytest.fail(f"Chromium not found at {executable}: run `make test`, which installs it")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="id-ID", viewport={"width": 412, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _database_open(django_db_blocker):
    """Browser tests write in autocommit, and the live-server thread must reach the database:
    the test database is open (not wrapped in a transaction) for the test's duration."""
    with django_db_blocker.unblock():
        yield
    connection.set_schema_to_public()


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"
