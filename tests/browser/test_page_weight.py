"""The weight budget of the citizen's pages on a phone: bytes transferred (HTML, CSS, JS, fonts,
images, headers included, compressed as served) with an empty cache <= 50 KB, and on a repeat
visit <= 15 KB. Chromium's own network log counts them (``encodedDataLength``).

``scripts/bench/pages.py`` runs this test with MPP_PAGES_REPORT set and prints the figures."""

import json
import os

import pytest

from tests.browser.pages import visit_all, walk_data

pytestmark = pytest.mark.browser

FIRST_LOAD_KB = 50
REPEAT_KB = 15
CITIZEN_PAGES = {
    "national home",
    "search",
    "service page",
    "region home",
    "offering page",
    "sign-in",
    "sign-up",
    "citizen profile",
    "citizen vault",
    "booking form",
    "booking",
    "application form",
    "receipt",
    "complaint form",
    "survey form",
    "complaint desk",
    "my complaints",
    "offline page",
    "complaint transparency",
    "public statistics",
    "my bookings",
    "online services",
    "application status",
    "my applications",
    "data access log",
    "my data",
    "my devices",
}


class Meter:
    """Bytes over the wire for one page load, from the DevTools protocol's network events."""

    def __init__(self, page) -> None:
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.bytes = 0
        self.decoded = 0
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.dataReceived", self._data)

    def _finished(self, params) -> None:
        self.bytes += int(params.get("encodedDataLength", 0))

    def _data(self, params) -> None:
        self.decoded += int(params.get("dataLength", 0))

    def load(self, page, url: str) -> tuple[int, int]:
        page.goto("about:blank")
        self.bytes = self.decoded = 0
        page.goto(url)
        page.wait_for_load_state("load")
        return self.bytes, self.decoded

    def empty_cache(self) -> None:
        self.cdp.send("Network.clearBrowserCache")


def test_citizen_pages_stay_within_the_weight_budget(browser, live_site):
    walk = walk_data()
    # Service workers blocked: what travels is measured in this page's network log (a worker
    # would fetch on its own), and a first visit has no worker yet anyway.
    context = browser.new_context(
        locale="id-ID", viewport={"width": 360, "height": 740}, service_workers="block"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    meter = Meter(page)
    rows: list[dict] = []

    def look(page, name):
        if name not in CITIZEN_PAGES:
            return
        url = page.url
        meter.empty_cache()
        first, decoded = meter.load(page, url)
        repeat, _ = meter.load(page, url)
        rows.append(
            {
                "page": name,
                "first_kb": round(first / 1024, 1),
                "repeat_kb": round(repeat / 1024, 1),
                "decoded_kb": round(decoded / 1024, 1),
            }
        )

    visit_all(page, live_site, walk, look)
    context.close()
    for row in rows:
        print(
            f"{row['page']:<20} first {row['first_kb']:>6} KB  repeat {row['repeat_kb']:>6} KB"
            f"  (uncompressed {row['decoded_kb']} KB)"
        )
    report = os.environ.get("MPP_PAGES_REPORT")
    if report:
        with open(report, "w") as out:
            json.dump(rows, out)
    assert {row["page"] for row in rows} >= CITIZEN_PAGES
    heavy = [r for r in rows if r["first_kb"] > FIRST_LOAD_KB or r["repeat_kb"] > REPEAT_KB]
    assert not heavy, f"over the budget ({FIRST_LOAD_KB} KB first, {REPEAT_KB} KB repeat): {heavy}"
