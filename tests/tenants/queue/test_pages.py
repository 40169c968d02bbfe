"""The queue's pages: citizens, kiosk, hall display, counter desk, console; who may see what.

Pages run at the real time of day, so the offerings here are open every day, all day, and the
booking dates are the next open day (never a national holiday)."""

import datetime as dt
import re

import pytest

from tenants.queue.models import Booking, KioskDevice, QueueSettings, Ticket
from tenants.queue.services.kiosk import COOKIE_NAME, kiosk_device_create
from tests.tenants.queue.factories import EVERY_DAY_ALL_DAY, open_day, queue_offering, walk_in_today


@pytest.fixture
def offering(region_a, in_region):
    with in_region(region_a):
        return queue_offering(prefix="A", hours=EVERY_DAY_ALL_DAY, name="Perekaman KTP-el")


def book(client, offering, day, time="09:00"):
    return client.post(f"/antrean/pesan/{offering.pk}/", {"tanggal": day.isoformat(), "jam": time})


# --- citizens ------------------------------------------------------------------------------------


def test_home_lists_bookable_services(client_a, offering):
    response = client_a.get("/antrean/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Perekaman KTP-el" in body
    assert "Masuk untuk booking" in body


def test_queue_pages_do_not_exist_on_the_national_site(national_client):
    assert national_client.get("/antrean/").status_code == 404
    assert national_client.get("/antrean/layar/").status_code == 404


def test_booking_needs_sign_in(client_a, offering):
    response = client_a.get(f"/antrean/pesan/{offering.pk}/")
    assert response.status_code == 302
    assert "/akun/masuk/" in response["Location"]


def test_citizen_books_sees_qr_and_cancels(client_a, offering, citizen, region_a, in_region):
    with in_region(region_a):
        day = open_day(offering)
    client_a.force_login(citizen)
    page = client_a.get(f"/antrean/pesan/{offering.pk}/?tanggal={day.isoformat()}")
    assert page.status_code == 200
    assert 'value="09:00"' in page.content.decode()
    response = book(client_a, offering, day)
    assert response.status_code == 302
    with in_region(region_a):
        booking = Booking.objects.get(citizen_id=citizen.pk)
    assert response["Location"] == f"/antrean/booking/{booking.code}/"
    detail = client_a.get(response["Location"]).content.decode()
    assert booking.display_code in detail
    assert '<svg role="img"' in detail
    assert "Kode QR booking" in detail
    mine = client_a.get("/antrean/booking/").content.decode()
    assert booking.display_code in mine

    cancel = client_a.post(f"/antrean/booking/{booking.code}/batal/")
    assert cancel.status_code == 302
    with in_region(region_a):
        booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


def test_bad_booking_input_shows_a_clear_message(client_a, offering, citizen):
    client_a.force_login(citizen)
    yesterday = dt.date.today() - dt.timedelta(days=2)
    response = book(client_a, offering, yesterday)
    assert response.status_code == 400
    assert "Tanggal booking sudah lewat" in response.content.decode()
    response = client_a.post(
        f"/antrean/pesan/{offering.pk}/", {"tanggal": "besok", "jam": "sembilan"}
    )
    assert response.status_code == 400
    assert "tidak valid" in response.content.decode()


def test_someone_elses_booking_is_404(client_a, offering, citizen, make_user, region_a, in_region):
    with in_region(region_a):
        day = open_day(offering)
    client_a.force_login(citizen)
    book(client_a, offering, day)
    with in_region(region_a):
        code = Booking.objects.get(citizen_id=citizen.pk).code
    client_a.force_login(make_user())
    assert client_a.get(f"/antrean/booking/{code}/").status_code == 404
    assert client_a.post(f"/antrean/booking/{code}/batal/").status_code == 404
    assert client_a.get(f"/antrean/booking/{code}/ubah/").status_code == 404


def test_failed_reschedule_keeps_the_booking(
    client_a, offering, citizen, make_user, region_a, in_region
):
    from tenants.queue.models import OfferingQueueConfig

    with in_region(region_a):
        day = open_day(offering)
        OfferingQueueConfig.objects.create(offering=offering, online_per_slot=1)
    client_a.force_login(make_user())
    book(client_a, offering, day, "10:00")  # someone takes the only place at 10:00
    client_a.force_login(citizen)
    book(client_a, offering, day, "09:00")
    with in_region(region_a):
        booking = Booking.objects.get(citizen_id=citizen.pk)
    response = client_a.post(
        f"/antrean/booking/{booking.code}/ubah/", {"tanggal": day.isoformat(), "jam": "10:00"}
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "sudah penuh" in body
    assert "Booking lama Anda tetap berlaku" in body
    with in_region(region_a):
        booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED
    moved = client_a.post(
        f"/antrean/booking/{booking.code}/ubah/", {"tanggal": day.isoformat(), "jam": "11:00"}
    )
    assert moved.status_code == 302
    with in_region(region_a):
        booking.refresh_from_db()
        assert booking.status == Booking.Status.RESCHEDULED
        assert booking.rescheduled_to.starts_at == dt.time(11, 0)


# --- the kiosk -----------------------------------------------------------------------------------


def test_kiosk_refuses_a_device_that_is_not_a_kiosk(client_a, offering):
    response = client_a.get("/antrean/kiosk/")
    assert response.status_code == 403
    assert "bukan kiosk" in response.content.decode()
    assert client_a.post("/antrean/kiosk/", {"action": "walk_in"}).status_code == 403


def test_kiosk_set_up_link_works_once_and_only_in_its_region(
    client_a, client_b, offering, admin_a, region_a, in_region
):
    with in_region(region_a):
        _device, token = kiosk_device_create(actor=admin_a, name="Kiosk lobi")
    assert "Kiosk lobi" in client_a.get(f"/antrean/kiosk/pasang/{token}/").content.decode()
    assert client_b.get(f"/antrean/kiosk/pasang/{token}/").status_code == 404
    response = client_a.post(f"/antrean/kiosk/pasang/{token}/")
    assert response.status_code == 302
    cookie = response.cookies[COOKIE_NAME]
    assert cookie["httponly"]
    assert not cookie["domain"]  # host-only: never sent to another region's site
    assert client_a.get("/antrean/kiosk/").status_code == 200
    assert client_a.post(f"/antrean/kiosk/pasang/{token}/").status_code == 404  # used up
    # The kiosk's cookie means nothing on another region's host.
    client_b.cookies[COOKIE_NAME] = cookie.value
    assert client_b.get("/antrean/kiosk/").status_code == 403
    with in_region(region_a):
        assert KioskDevice.objects.get(name="Kiosk lobi").activated_at is not None


def kiosk_client(client, mpp, in_region, admin):
    with in_region(mpp):
        device, token = kiosk_device_create(actor=admin, name="Kiosk uji")
    client.post(f"/antrean/kiosk/pasang/{token}/")
    return device


def test_kiosk_check_in_and_clear_refusals(
    client_a, offering, admin_a, citizen, region_a, in_region, on_a_working_day
):
    from tenants.queue.selectors import local_today
    from tenants.queue.services.bookings import booking_create

    kiosk_client(client_a, region_a, in_region, admin_a)
    response = client_a.post("/antrean/kiosk/", {"action": "check_in", "code": "QQQQ-QQQQ"})
    assert response.status_code == 404
    assert "QQQQ-QQQQ tidak dikenal" in response.content.decode()

    with in_region(region_a):
        from tenants.queue.services.capacity import day_view

        view = day_view(offering, local_today())
        slot = next((s for s in view.slots if s.bookable), None)
        assert slot is not None, "the fixed working day must have a free slot"
        booking = booking_create(
            actor=citizen, offering=offering, day=local_today(), starts_at=slot.starts_at
        )
    response = client_a.post("/antrean/kiosk/", {"action": "check_in", "code": booking.code})
    assert response.status_code == 302
    ticket_page = client_a.get(response["Location"]).content.decode()
    assert re.search(r"A-\d{3}", ticket_page)
    again = client_a.post("/antrean/kiosk/", {"action": "check_in", "code": booking.code})
    assert again.status_code == 409
    assert "sudah dipakai" in again.content.decode()


def test_kiosk_walk_in_ticket(client_a, offering, admin_a, region_a, in_region, on_a_working_day):
    from tenants.queue.selectors import closed_text, local_today

    kiosk_client(client_a, region_a, in_region, admin_a)
    with in_region(region_a):
        assert not closed_text(offering, local_today()), "the fixed working day must be open"
    page = client_a.get("/antrean/kiosk/").content.decode()
    assert "Perekaman KTP-el" in page
    response = client_a.post("/antrean/kiosk/", {"action": "walk_in", "offering": offering.pk})
    assert response.status_code == 302
    assert "A-001" in client_a.get(response["Location"]).content.decode()


def test_staff_may_use_the_kiosk(client_a, offering, operator_a):
    client_a.force_login(operator_a)
    assert client_a.get("/antrean/kiosk/").status_code == 200


# --- the hall display ----------------------------------------------------------------------------


def test_hall_display_is_public_and_shows_only_this_region(
    client_a, client_b, offering, region_a, region_b, in_region
):
    from tenants.queue.services.tickets import ticket_call_next

    with in_region(region_a):
        walk_in_today(offering)
        called = ticket_call_next(actor=None, counter=offering.test_counters[0])
    page = client_a.get("/antrean/layar/")
    assert page.status_code == 200
    assert called.number in page.content.decode()
    data = client_a.get("/antrean/layar/data/").json()
    assert data["calls"][0]["number"] == called.number
    assert data["calls"][0]["counter"] == offering.test_counters[0].number
    other = client_b.get("/antrean/layar/data/").json()
    assert other["calls"] == []  # region B's hall display shows none of A's calls
    assert client_b.get("/antrean/layar/").status_code == 200


# --- the counter desk ----------------------------------------------------------------------------


def test_desk_flow(client_a, offering, operator_a, region_a, in_region, assign_booth):
    assign_booth(operator_a, offering.test_counters[0].booth, region_a)
    with in_region(region_a):
        ticket = walk_in_today(offering)
    counter = offering.test_counters[0]
    client_a.force_login(operator_a)
    counters = client_a.get("/antrean/loket/")
    assert counters.status_code == 200
    # the operator's counter, with the walk-in waiting at it
    assert f'href="/antrean/loket/{counter.pk}/"' in counters.content.decode()
    assert "1 menunggu" in counters.content.decode()
    desk = client_a.get(f"/antrean/loket/{counter.pk}/")
    assert ticket.number in desk.content.decode()
    client_a.post(f"/antrean/loket/{counter.pk}/", {"action": "call"})
    with in_region(region_a):
        ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CALLED
    data = client_a.get(f"/antrean/loket/{counter.pk}/data/").json()
    assert data["current"]["number"] == ticket.number
    for action in ("recall", "start", "finish"):
        response = client_a.post(
            f"/antrean/loket/{counter.pk}/", {"action": action, "ticket": ticket.pk}
        )
        assert response.status_code == 302
    with in_region(region_a):
        ticket.refresh_from_db()
    assert (ticket.status, ticket.call_count) == (Ticket.Status.DONE, 2)
    # A second "finish" (a double click) says so instead of failing.
    response = client_a.post(
        f"/antrean/loket/{counter.pk}/", {"action": "finish", "ticket": ticket.pk}, follow=True
    )
    assert "Tidak ada nomor yang sedang ditangani" in response.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "admin_b", "operator_b", "citizen"])
def test_staff_pages_are_closed_to_outsiders(client_a, offering, who, request):
    counter = offering.test_counters[0]
    if who != "anonymous":
        client_a.force_login(request.getfixturevalue(who))
    urls = [
        "/antrean/loket/",
        f"/antrean/loket/{counter.pk}/",
        f"/antrean/loket/{counter.pk}/data/",
        "/antrean/kelola/",
        f"/antrean/kelola/layanan/{offering.pk}/",
        "/antrean/kelola/kiosk/",
        "/antrean/kelola/statistik/",
    ]
    for url in urls:
        response = client_a.get(url)
        if who == "anonymous":
            assert response.status_code == 302, url
            assert "/akun/masuk/" in response["Location"]
        else:
            assert response.status_code == 404, url
    post = client_a.post(f"/antrean/loket/{counter.pk}/", {"action": "call"})
    assert post.status_code in (302, 404)
    if who != "anonymous":
        assert post.status_code == 404


# --- console -------------------------------------------------------------------------------------


def test_settings_are_for_admins(client_a, offering, admin_a, operator_a, region_a, in_region):
    client_a.force_login(operator_a)
    assert client_a.get("/antrean/kelola/").status_code == 404
    figures = client_a.get("/antrean/kelola/statistik/")
    assert figures.status_code == 200
    assert "<h1>Statistik antrean</h1>" in figures.content.decode()
    assert "Hitung angka hari ini sekarang" not in figures.content.decode()  # admins only
    client_a.force_login(admin_a)
    assert (
        "Hitung angka hari ini sekarang"
        in client_a.get("/antrean/kelola/statistik/").content.decode()
    )
    page = client_a.get("/antrean/kelola/")
    assert page.status_code == 200
    assert "Perekaman KTP-el" in page.content.decode()
    data = {
        "booking_days_ahead": 7,
        "slot_minutes": 20,
        "online_per_slot": 3,
        "service_minutes": 12,
        "max_bookings_per_day": 2,
        "max_bookings_per_service_day": 1,
        "max_upcoming_per_service": 1,
        "checkin_early_minutes": 30,
        "checkin_late_minutes": 15,
    }
    assert client_a.post("/antrean/kelola/", data).status_code == 302
    with in_region(region_a):
        assert QueueSettings.objects.get(key=1).slot_minutes == 20
    bad = client_a.post("/antrean/kelola/", {**data, "slot_minutes": 1})
    assert bad.status_code == 400
    assert "errorlist" in bad.content.decode()
    response = client_a.post(
        f"/antrean/kelola/layanan/{offering.pk}/",
        {"slot_minutes": 15, "online_per_slot": "", "service_minutes": ""},
    )
    assert response.status_code == 302
    with in_region(region_a):
        assert offering.__class__.objects.get(pk=offering.pk).queue_config.slot_minutes == 15


def test_admin_registers_and_revokes_a_kiosk(client_a, offering, admin_a, region_a, in_region):
    client_a.force_login(admin_a)
    response = client_a.post("/antrean/kelola/kiosk/", {"name": "Kiosk lantai 2"})
    assert response.status_code == 200
    url = re.search(r'value="(http[^"]+/antrean/kiosk/pasang/[^"]+/)"', response.content.decode())
    assert url
    assert "banyuwangi." in url.group(1)
    with in_region(region_a):
        device = KioskDevice.objects.get(name="Kiosk lantai 2")
    assert client_a.post(f"/antrean/kelola/kiosk/{device.pk}/cabut/").status_code == 302
    with in_region(region_a):
        device.refresh_from_db()
    assert not device.is_active
    assert client_a.post("/antrean/kelola/kiosk/", {"name": ""}).status_code == 400


def test_figures_page_recomputes_today(client_a, offering, admin_a, region_a, in_region):
    from tenants.queue.models import DailyFigure

    with in_region(region_a):
        walk_in_today(offering)
    client_a.force_login(admin_a)
    response = client_a.post("/antrean/kelola/statistik/", follow=True)
    assert response.status_code == 200
    # the page now shows today's figures: the one walk-in ticket
    assert response.context["total"].tickets_issued == 1
    assert re.search(r'<span class="figure">1</span>tiket', response.content.decode())
    with in_region(region_a):
        assert DailyFigure.objects.filter(scope="total", tickets_issued__gte=1).exists()
