"""Browser tests: Playwright driving Debian's Chromium against a live server on loopback.

The live server runs in a thread of the test process against the test database, so the browser
sees what the session created. Browser tests commit what they do (there is no transaction to
roll back); they use unique names and run after the rolled-back tests (see tests/conftest.py).
"""

import os
import threading
import uuid

import pytest
from django.conf import settings
from django.db import connection

from tests.livethread import live_thread

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
    with live_thread() as port:
        yield LiveSite(port)


class LiveSite:
    def __init__(self, port: int):
        self.port = port

    def national(self, path: str = "/") -> str:
        return f"http://{settings.MPP_BASE_DOMAIN}:{self.port}{path}"

    def region(self, slug: str, path: str = "/") -> str:
        return f"http://{slug}.{settings.MPP_BASE_DOMAIN}:{self.port}{path}"


class PageErrors:
    """JavaScript errors of every page a test opens: console errors and uncaught exceptions.
    A browser test fails on any of them, so a broken script never passes unnoticed."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def watch(self, context):
        context.on("page", self._watch_page)
        for page in context.pages:
            self._watch_page(page)
        return context

    def _watch_page(self, page) -> None:
        page.on("pageerror", lambda exc: self.found.append(f"{page.url}: uncaught {exc}"))
        page.on("console", lambda msg: self._console(page, msg))
        page.on("response", lambda response: self._response(page, response))

    def _console(self, page, msg) -> None:
        # A page answered with 4xx on purpose (a form error, a 404 page) logs "Failed to load
        # resource" for itself; failed sub-resources are caught by _response with their URL.
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            self.found.append(f"{page.url}: {msg.text}")

    def _response(self, page, response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            self.found.append(f"{page.url}: {response.status} for {response.url}")

    def check(self) -> None:
        if self.found:
            pytest.fail("JavaScript errors in the browser:\n" + "\n".join(self.found))


class _WatchedBrowser:
    """The session's Chromium, with every new context watched for JavaScript errors."""

    def __init__(self, browser, errors: PageErrors) -> None:
        self._browser = browser
        self._errors = errors

    def new_context(self, **kwargs):
        return self._errors.watch(self._browser.new_context(**kwargs))

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture
def browser(_chromium):
    errors = PageErrors()
    yield _WatchedBrowser(_chromium, errors)
    errors.check()


def run_with_page(drive, *, timeout_ms: int = 15_000, name: str = "mpp-browser") -> None:
    """Run ``drive(page)`` with a fresh Chromium page in a worker thread; re-raise its error.
    Playwright's sync API owns an event loop in the thread that starts it, and the session-wide
    Chromium of ``browser`` may already hold the main thread's. JavaScript errors fail the run."""
    failures: list[BaseException] = []
    page_errors = PageErrors()

    def _thread():
        from playwright.sync_api import sync_playwright

        try:
            executable = os.environ.get("MPP_BROWSER", "/usr/bin/chromium")
            with sync_playwright() as pw:
                chromium = pw.chromium.launch(
                    executable_path=executable, headless=True, args=CHROMIUM_ARGS
                )
                context = page_errors.watch(
                    chromium.new_context(locale="id-ID", viewport={"width": 412, "height": 900})
                )
                page = context.new_page()
                page.set_default_timeout(timeout_ms)
                try:
                    drive(page)
                finally:
                    context.close()
                    chromium.close()
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    worker = threading.Thread(target=_thread, name=name)
    worker.start()
    worker.join()
    if failures:
        raise failures[0]
    page_errors.check()


@pytest.fixture(scope="session")
def _chromium():
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


def enter_second_factor(page, device) -> None:
    """The second sign-in step of an official, as a person does it: the code the authenticator
    app shows now. ``device`` is the official's authenticator as the test last read it (no query
    here: this may run in Playwright's worker thread); if its current code was already used,
    wait for the next one, as a person would."""
    import time

    from tests.conftest import totp_now

    if device.last_t >= int(time.time()) // device.step:
        time.sleep(device.step - time.time() % device.step + 0.5)
    page.get_by_label("Kode verifikasi").fill(totp_now(device))
    page.get_by_role("button", name="Verifikasi").click()
    device.last_t = int(time.time()) // device.step  # this code is spent (server: the same)
