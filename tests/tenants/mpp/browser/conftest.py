# The platform's browser fixtures (live server on every host, Chromium page, open database).
from tests.browser.conftest import _database_open, browser, live_site, page  # noqa: F401
