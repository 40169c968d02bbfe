"""A citizen books online, checks in at the kiosk, an operator calls the ticket, the hall display
shows it, the operator finishes it: four browsers (citizen, kiosk, hall screen, counter) against
the live server, in the Banyuwangi MPP."""

import datetime as dt
import re

import pytest
from django.db import connection
from playwright.sync_api import expect

from tests.browser.conftest import unique

pytestmark = pytest.mark.browser

PASSWORD = "sandi-antrean-1"


def _set_up_banyuwangi():
    """An offering open all day every day with one counter, an operator, a citizen and a kiosk
    device, committed in Banyuwangi's schema."""
    from shared.accounts.models import Membership, Role, User
    from shared.regions.models import Mpp
    from tenants.mpp.models import (
        Booth,
        Counter,
        LocalAgency,
        Offering,
        OpeningHours,
        StaffAssignment,
    )
    from tenants.queue.selectors import closed_text, local_today
    from tenants.queue.services.capacity import day_view
    from tenants.queue.services.kiosk import kiosk_device_create

    mpp = Mpp.objects.select_related("region").get(region__slug="banyuwangi")
    citizen = User.objects.create_user(
        email=f"{unique('warga')}@example.id", password=PASSWORD, full_name="Budi Warga"
    )
    operator = User.objects.create_user(
        email=f"{unique('operator')}@example.id", password=PASSWORD, full_name="Ani Operator"
    )
    Membership.objects.create(user=operator, region=mpp.region, role=Role.OPERATOR)
    connection.set_tenant(mpp)
    try:
        agency = LocalAgency.objects.create(name=unique("Dinas Uji Antrean"))
        booth = Booth.objects.create(local_agency=agency, number=unique("G"))
        name = unique("Legalisir Dokumen")
        offering = Offering.objects.create(
            code=unique("legalisir"),
            name=name,
            local_agency=agency,
            booth=booth,
            channels=["queue", "walk_in"],
        )
        for weekday in range(7):
            OpeningHours.objects.create(
                offering=offering,
                weekday=weekday,
                opens_at=dt.time(0, 0),
                closes_at=dt.time(23, 59),
            )
        # The operator works in this booth: an operator without a booth sees nothing.
        StaffAssignment.objects.create(user_id=operator.pk, booth=booth)
        counter = Counter.objects.create(booth=booth, number=unique("L"), ticket_prefix="Q")
        counter.offerings.add(offering)
        today = local_today()
        assert not closed_text(offering, today), "the fixed working day must be open"
        assert any(s.bookable for s in day_view(offering, today).slots)
        _device, kiosk_token = kiosk_device_create(actor=operator, name=unique("Kiosk lobi"))
    finally:
        connection.set_schema_to_public()
    return {
        "mpp": mpp,
        "citizen": citizen,
        "operator": operator,
        "offering": offering,
        "offering_name": name,
        "counter": counter,
        "kiosk_token": kiosk_token,
    }


def _sign_in(page, live_site, email: str, next_path: str) -> None:
    page.goto(live_site.region("banyuwangi", f"/akun/masuk/?next={next_path}"))
    page.get_by_label("Email atau nomor HP").fill(email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(live_site.region("banyuwangi", next_path))


def test_book_check_in_call_display_finish(browser, page, live_site, on_a_working_day):
    from tenants.queue.models import Ticket

    s = _set_up_banyuwangi()
    region = lambda path: live_site.region("banyuwangi", path)  # noqa: E731

    # 1. The citizen finds the service, books today's next slot and gets a code with a QR.
    _sign_in(page, live_site, s["citizen"].email, "/antrean/")
    page.get_by_role("link", name=f"Pilih jadwal {s['offering_name']}").click()
    page.locator("input[name=jam]:not([disabled])").first.check()
    page.get_by_role("button", name="Pesan jadwal ini").click()
    expect(page.get_by_text("Booking berhasil")).to_be_visible()
    expect(page.get_by_role("img", name="Kode QR booking")).to_be_visible()
    code = page.locator("#booking-code").inner_text().strip()
    assert len(code) == 9  # XXXX-XXXX

    # 2. The hall display is open on the big screen (public, no sign-in).
    screen = browser.new_context(viewport={"width": 1280, "height": 720}, locale="id-ID")
    hall = screen.new_page()
    hall.goto(region("/antrean/layar/"))
    expect(hall.get_by_role("heading", name=re.compile("Antrean MPP .*Banyuwangi"))).to_be_visible()

    # 3. The kiosk (set up once by its link) checks the booking in by its code.
    kiosk_context = browser.new_context(locale="id-ID")
    kiosk = kiosk_context.new_page()
    kiosk.goto(region(f"/antrean/kiosk/pasang/{s['kiosk_token']}/"))
    kiosk.get_by_role("button", name="Jadikan kiosk").click()
    kiosk.get_by_label("Kode booking").fill("ZZZZ-ZZZZ")
    kiosk.get_by_role("button", name="Check-in").click()
    expect(kiosk.get_by_role("alert")).to_contain_text("tidak dikenal")
    kiosk.get_by_label("Kode booking").fill(code.lower())
    kiosk.get_by_role("button", name="Check-in").click()
    number = kiosk.locator("#ticket-number").inner_text().strip()
    assert number.startswith("Q-")
    expect(kiosk.get_by_text("Anda dipanggil lebih dulu")).to_be_visible()

    # 4. The operator calls the next ticket: the booked one, whose time has come.
    desk_context = browser.new_context(locale="id-ID")
    desk = desk_context.new_page()
    desk_path = f"/antrean/loket/{s['counter'].pk}/"
    _sign_in(desk, live_site, s["operator"].email, desk_path)
    expect(desk.locator("#upcoming")).to_contain_text(number)
    desk.get_by_role("button", name="Panggil berikutnya").click()
    expect(desk.locator("#current-number")).to_have_text(number)

    # 5. The hall display shows it within a few seconds, with the counter.
    expect(hall.locator("#now-number")).to_have_text(number, timeout=10_000)
    expect(hall.locator("#now-counter")).to_contain_text(s["counter"].number)

    # 6. The citizen comes to the counter; the operator serves and finishes.
    desk.get_by_role("button", name="Mulai layani").click()
    expect(desk.get_by_text("Sedang dilayani")).to_be_visible()
    desk.get_by_role("button", name="Selesai").click()
    expect(desk.get_by_text(f"{number} selesai dilayani")).to_be_visible()
    expect(desk.get_by_text("Tidak ada nomor yang sedang ditangani")).to_be_visible()

    connection.set_tenant(s["mpp"])
    try:
        ticket = Ticket.objects.select_related("booking").get(booking__code=code.replace("-", ""))
        assert ticket.number == number
        assert ticket.status == Ticket.Status.DONE
        assert ticket.booking.status == "checked_in"
    finally:
        connection.set_schema_to_public()
    for context in (screen, kiosk_context, desk_context):
        context.close()
