"""A queue ticket printed on a 58 mm thermal roll: the kiosk issues a walk-in ticket and prints it
by itself (once); the page, rendered for print at the 48 mm printable width, shows the MPP's name,
the date and time, a large number and its QR in black on white, with nothing cut off and no button
or screen header on paper. The PDF Chromium prints has the roll's page size (58 or 80 mm wide, one
page); a receipt prints on A4."""

import re
from pathlib import Path

import pytest

from tests.browser.pages import REGION, new_kiosk_token, sign_in, wait_for_js, walk_data

pytestmark = pytest.mark.browser

MM = 96 / 25.4  # CSS pixels per millimetre
PRINTABLE_58 = round(48 * MM)  # a 58 mm roll prints 48 mm wide
PT_PER_MM = 72 / 25.4
# Counts the prints a page asks for (the kiosk prints with no one pressing a button).
COUNT_PRINTS = "window.__prints = 0; window.print = () => { window.__prints += 1; };"


def _pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """Width and height in mm of every page of a PDF Chromium made."""
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    return [(float(w) / PT_PER_MM, float(h) / PT_PER_MM) for w, h in boxes]


def test_kiosk_ticket_prints_on_a_58_mm_roll(browser, live_site, tmp_path: Path):
    walk_data()
    context = browser.new_context(locale="id-ID", viewport={"width": 1080, "height": 1920})
    context.add_init_script(COUNT_PRINTS)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_site.region(REGION, f"/antrean/kiosk/pasang/{new_kiosk_token()}/"))
    page.locator("main form button[type=submit]").first.click()
    # The kiosk is started once on its roll width (docs/kiosk-printing.md).
    page.goto(live_site.region(REGION, "/antrean/kiosk/?roll=58"))
    page.locator("button[name=offering]", has_text="Konsultasi dan Informasi Layanan").click()
    number = page.locator("#ticket-number").inner_text().strip()
    assert number.startswith("A-")
    wait_for_js(page, "window.__prints", 1)  # printed by itself
    page.reload()
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__prints") == 0, "a reload does not print the ticket again"
    assert page.locator("html").get_attribute("data-roll") == "58"

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
            const qr = document.querySelector(".ticket-qr svg");
            const box = qr.getBoundingClientRect();
            const visible = (sel) => [...document.querySelectorAll(sel)]
                .some((el) => el.getClientRects().length > 0);
            return {
                overflow: document.documentElement.scrollWidth - window.innerWidth,
                numberColor: style(num).color,
                numberSize: parseFloat(style(num).fontSize),
                numberRight: num.getBoundingClientRect().right,
                qr: {left: box.left, right: box.right, width: box.width, height: box.height,
                     shown: qr.getClientRects().length > 0, label: qr.getAttribute("aria-label")},
                text: document.body.innerText,
                background: style(document.body).backgroundColor,
                mpp: mpp && mpp.getClientRects().length ? mpp.innerText : null,
                buttons: visible("button, .button"),
                header: visible("body > header"),
            };
        }"""
    )
    pdf_58 = page.pdf(prefer_css_page_size=True, print_background=True)
    page.evaluate("localStorage.setItem('mpp-roll', '80')")
    page.reload()
    pdf_80 = page.pdf(prefer_css_page_size=True, print_background=True)
    context.close()
    assert look["overflow"] <= 0, f"the ticket is wider than the 58 mm roll: {look}"
    assert look["numberRight"] <= PRINTABLE_58
    assert look["numberColor"] == "rgb(0, 0, 0)"
    assert look["background"] in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)")
    assert look["numberSize"] >= 40  # 32 pt: readable at arm's length
    assert look["mpp"] == "MPP Kabupaten Banyuwangi"
    assert not look["buttons"], "buttons are not printed"
    assert not look["header"], "the screen header is not printed"
    qr = look["qr"]
    assert qr["shown"]
    assert qr["label"] == f"Kode QR nomor antrean {number}"
    assert qr["left"] >= 0, f"the QR is cut off: {qr}"
    assert qr["right"] <= PRINTABLE_58, f"the QR is cut off: {qr}"
    assert min(qr["width"], qr["height"]) >= 25 * MM, f"the QR is too small: {qr}"
    assert re.search(r"\d{1,2} \w+ 20\d\d, \d\d:\d\d", look["text"]), "date and time"
    # The roll's page: 58 mm (or 80 mm) wide, the whole ticket on one page.
    for pdf, width in ((pdf_58, 58), (pdf_80, 80)):
        pages = _pdf_pages(pdf)
        assert len(pages) == 1, f"the {width} mm ticket runs over {len(pages)} pages: {pages}"
        assert abs(pages[0][0] - width) < 0.5, f"not a {width} mm page: {pages}"


def test_receipt_prints_on_a4(browser, live_site):
    walk = walk_data()
    context = browser.new_context(locale="id-ID", viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_site.region(REGION, "/akun/masuk/"), walk.citizen)
    page.goto(live_site.region(REGION, f"/permohonan/baru/{walk.online_offering_id}/"))
    page.get_by_role("button", name="Ajukan permohonan").click()
    page.wait_for_url(re.compile(r"/tanda-terima/"))
    pages = _pdf_pages(page.pdf(prefer_css_page_size=True))
    context.close()
    assert len(pages) == 1, f"the receipt runs over {len(pages)} pages"
    width, height = pages[0]
    assert (round(width), round(height)) == (210, 297), f"not A4: {pages}"


def test_booking_code_prints_on_a_58_mm_roll(browser, live_site):
    """The citizen's booking, printed: the MPP's name, the code, its QR and the date and time,
    all inside the 48 mm a 58 mm roll prints, with no button on paper."""
    walk = walk_data()
    context = browser.new_context(locale="id-ID", viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_site.region(REGION, "/akun/masuk/"), walk.citizen)
    page.goto(live_site.region(REGION, f"/antrean/booking/{walk.booking_code}/"))
    page.emulate_media(media="print")
    page.set_viewport_size({"width": PRINTABLE_58, "height": 600})
    look = page.evaluate(
        """() => {
            const box = (sel) => {
                const el = document.querySelector(sel);
                if (!el || !el.getClientRects().length) return null;
                const r = el.getBoundingClientRect();
                return {left: r.left, right: r.right, width: r.width, text: el.innerText};
            };
            return {
                overflow: document.documentElement.scrollWidth - window.innerWidth,
                mpp: box(".ticket-mpp"),
                code: box("#booking-code"),
                qr: box(".card svg"),
                text: document.querySelector(".card").innerText,
                buttons: [...document.querySelectorAll("button, .button")]
                    .some((el) => el.getClientRects().length > 0),
            };
        }"""
    )
    context.close()
    assert look["overflow"] <= 0, f"the booking is wider than the 58 mm roll: {look}"
    assert look["mpp"]["text"] == "MPP Kabupaten Banyuwangi"
    for part in ("code", "qr"):
        assert look[part] is not None, f"the {part} is not printed"
        assert look[part]["left"] >= 0, f"the {part} is cut off: {look[part]}"
        assert look[part]["right"] <= PRINTABLE_58, f"the {part} is cut off: {look[part]}"
    assert look["qr"]["width"] >= 25 * MM, "the QR is too small to scan"
    assert re.search(r"\d{1,2} \w+ 20\d\d, \d\d:\d\d", look["text"]), "date and time"
    assert not look["buttons"], "buttons are not printed"
