"""Browser tests of the onboarding console.

The platform's live server and open-database fixtures are reused. Chromium is driven from a
worker thread (the technique of tests/tenants/mpp/browser): Playwright's sync API owns an event
loop in the thread that starts it, and the session-wide ``browser`` fixture of tests/browser
may already hold the main thread's.
"""

import pytest

from tests.browser.conftest import _database_open, live_site, run_with_page  # noqa: F401


@pytest.fixture
def with_page():
    return lambda drive: run_with_page(drive, timeout_ms=20000, name="onboarding-browser")
