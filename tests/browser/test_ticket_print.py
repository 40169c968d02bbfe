"""A queue ticket printed on a 58 mm thermal roll: the kiosk issues a walk-in ticket and the page,
rendered for print at the 48 mm printable width, shows the MPP's name and a large number in black
on white, with nothing cut off and no button or screen header on paper."""

from pathlib import Path

import pytest

from tests.browser.pages import REGION, new_kiosk_token, walk_data

pytestmark = pytest.mark.browser

MM = 96 / 25.4  # CSS pixels per millimetre
PRINTABLE_58 = round(48 * MM)  # a 58 mm roll prints 48 mm wide


def test_kiosk_ticket_prints_on_a_58_mm_roll(browser, live_site, tmp_path: Path):
    walk_data()
    context = browser.new_context(locale="id-ID", viewport={"width": 1080, "height": 1920})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_site.region(REGION, f"/antrean/kiosk/pasang/{new_kiosk_token()}/"))
    page.locator("main form button[type=submit]").first.click()
    page.locator("button[name=offering]", has_text="Konsultasi dan Informasi Layanan").click()
    number = page.locator("#ticket-number").inner_text().strip()
    assert number.startswith("A-")

    page.emulate_media(media="print")
    page.set_viewport_size({"width": PRINTABLE_58, "height": 600})
    shot = tmp_path / "ticket-58mm.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 0
    look = page.evaluate(
        """() => {
            const style = (el) => getComputedStyle(el);
            const num = document.getElementById("ticket-number");
            const mpp = document.querySelector(".ticket-mpp");
            const visible = (sel) => [...document.querySelectorAll(sel)]
                .some((el) => el.getClientRects().length > 0);
            return {
                overflow: document.documentElement.scrollWidth - window.innerWidth,
                numberColor: style(num).color,
                numberSize: parseFloat(style(num).fontSize),
                numberRight: num.getBoundingClientRect().right,
                background: style(document.body).backgroundColor,
                mpp: mpp && mpp.getClientRects().length ? mpp.innerText : null,
                buttons: visible("button, .button"),
                header: visible("body > header"),
            };
        }"""
    )
    context.close()
    assert look["overflow"] <= 0, f"the ticket is wider than the 58 mm roll: {look}"
    assert look["numberRight"] <= PRINTABLE_58
    assert look["numberColor"] == "rgb(0, 0, 0)"
    assert look["background"] in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)")
    assert look["numberSize"] >= 40  # 32 pt: readable at arm's length
    assert look["mpp"] == "MPP Kabupaten Banyuwangi"
    assert not look["buttons"], "buttons are not printed"
    assert not look["header"], "the screen header is not printed"
