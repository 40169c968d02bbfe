"""Browser tests of national monitoring: the live server and Chromium of tests/browser, driven
from a worker thread (as tests/onboarding/browser does). They commit their data and remove it."""

import pytest

from tests.browser.conftest import (  # noqa: F401
    _database_open,
    enter_second_factor,
    live_site,
    run_with_page,
)
from tests.conftest import enrol_second_factor

PASSWORD = "sandi-uji-monitor-1"


@pytest.fixture
def with_page():
    return lambda drive: run_with_page(drive, timeout_ms=20000, name="monitoring-browser")


# Officials' authenticators, by e-mail: enrolled in the main thread (``official``), read without
# a query in the browser's thread.
DEVICES: dict = {}


def official(user):
    """Enrol ``user`` (a superadmin or DPMPTSP admin) in the second factor, as every official
    is; ``sign_in`` then passes the second step with the app's code."""
    DEVICES[user.email] = enrol_second_factor(user)
    return user


def sign_in(page, url: str, email: str) -> None:
    page.goto(url)
    page.get_by_label("Email atau nomor HP").fill(email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()
    if "/akun/dua-langkah/" in page.url:
        enter_second_factor(page, DEVICES[email])
        page.wait_for_load_state()
