"""The installable citizen app: the manifest, and without a connection the booking the citizen
opened (code and QR) is still shown, and any other page falls back to the offline page in Bahasa
Indonesia that links the saved booking."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.pages import REGION, sign_in, wait_for_js, walk_data

pytestmark = pytest.mark.browser


def test_manifest_and_booking_kept_offline(browser, live_site):
    walk = walk_data()
    region = lambda path: live_site.region(REGION, path)  # noqa: E731
    context = browser.new_context(locale="id-ID", viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, region("/akun/masuk/"), walk.citizen)

    manifest = page.locator("link[rel=manifest]").get_attribute("href")
    body = page.evaluate("async (url) => (await fetch(url)).json()", manifest)
    assert body["start_url"] == "/"
    assert body["display"] == "standalone"
    assert {icon["sizes"] for icon in body["icons"]} >= {"192x192", "512x512"}

    booking_url = region(f"/antrean/booking/{walk.booking_code}/")
    page.goto(booking_url)
    # The worker installs on the first page; from then on it sees the navigations.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    wait_for_js(page, "navigator.serviceWorker.controller !== null")
    page.goto(booking_url)  # kept by the worker now
    code = page.locator("#booking-code").inner_text().strip()

    context.set_offline(True)
    page.goto(booking_url)
    expect(page.locator("#booking-code")).to_have_text(code)
    expect(page.locator(".card svg")).to_have_count(1)  # the QR

    page.goto(region("/antrean/booking/"))  # never opened: the offline page
    expect(page.get_by_role("heading", level=1)).to_have_text("Tidak ada koneksi internet")
    expect(page.get_by_role("link", name=re.compile(r"^Booking "))).to_have_count(1)
    page.get_by_role("link", name=re.compile(r"^Booking ")).click()
    expect(page.locator("#booking-code")).to_have_text(code)
    context.set_offline(False)
    context.close()
