"""Browser tests of national monitoring: the live server and Chromium of tests/browser, driven
from a worker thread (as tests/onboarding/browser does). They commit their data and remove it."""

import pytest

from tests.browser.conftest import _database_open, live_site, run_with_page  # noqa: F401

PASSWORD = "sandi-uji-monitor-1"


@pytest.fixture
def with_page():
    return lambda drive: run_with_page(drive, timeout_ms=20000, name="monitoring-browser")


def sign_in(page, url: str, email: str) -> None:
    page.goto(url)
    page.get_by_label("Email atau nomor HP").fill(email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()
