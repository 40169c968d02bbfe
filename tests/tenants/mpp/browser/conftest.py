"""Browser tests of the MPP administration.

The platform's live server and open-database fixtures are reused. Chromium is driven from a
worker thread: Playwright's sync API owns an event loop in the thread that starts it, and the
platform's session-wide ``browser`` fixture (tests/browser) already holds the main thread's.
"""

import pytest

from tests.browser.conftest import _database_open, live_site, run_with_page  # noqa: F401


@pytest.fixture
def with_page():
    return lambda drive: run_with_page(drive, timeout_ms=15000, name="mpp-browser")
