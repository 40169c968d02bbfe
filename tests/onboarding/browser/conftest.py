"""Browser tests of the onboarding console.

The platform's live server and open-database fixtures are reused. Chromium is driven from a
worker thread (the technique of tests/tenants/mpp/browser): Playwright's sync API owns an event
loop in the thread that starts it, and the session-wide ``browser`` fixture of tests/browser
may already hold the main thread's.
"""

import os
import threading

import pytest
from django.db import connection

from tests.browser.conftest import CHROMIUM_ARGS, _database_open, live_site  # noqa: F401


def run_with_page(drive) -> None:
    errors: list[BaseException] = []

    def _thread():
        from playwright.sync_api import sync_playwright

        try:
            executable = os.environ.get("MPP_BROWSER", "/usr/bin/chromium")
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path=executable, headless=True, args=CHROMIUM_ARGS
                )
                context = browser.new_context(
                    locale="id-ID", viewport={"width": 412, "height": 900}
                )
                page = context.new_page()
                page.set_default_timeout(20_000)
                try:
                    drive(page)
                finally:
                    context.close()
                    browser.close()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    worker = threading.Thread(target=_thread, name="onboarding-browser")
    worker.start()
    worker.join()
    if errors:
        raise errors[0]


@pytest.fixture
def with_page():
    return run_with_page
