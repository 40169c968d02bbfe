"""``/api/v1/queue/``: citizens, kiosk, counter staff, the public board; isolation between
regions and query counts of the lists."""

import pytest

from tenants.queue.models import Booking, Ticket
from tenants.queue.services.kiosk import kiosk_device_create
from tests.tenants.queue.factories import EVERY_DAY_ALL_DAY, open_day, queue_offering, walk_in_today


@pytest.fixture
def offering(region_a, in_region):
    with in_region(region_a):
        return queue_offering(prefix="A", counters=2, hours=EVERY_DAY_ALL_DAY)


def api(client, method, path, data=None, **extra):
    call = getattr(client, method)
    if data is None:
        return call(f"/api/v1/queue/{path}", **extra)
    return call(f"/api/v1/queue/{path}", data, content_type="application/json", **extra)


def test_citizen_books_through_the_api(client_a, offering, citizen, region_a, in_region):
    with in_region(region_a):
        day = open_day(offering)
    client_a.force_login(citizen)
    offerings = api(client_a, "get", "offerings/").json()
    assert offering.pk in [o["id"] for o in offerings]
    slots = api(client_a, "get", f"offerings/{offering.pk}/slots/?date={day}").json()
    assert slots["is_open"]
    assert slots["slots"][0]["left"] == 4
    response = api(
        client_a, "post", "bookings/", {"offering": offering.pk, "date": str(day), "time": "09:00"}
    )
    assert response.status_code == 201, response.content
    code = response.json()["code"]
    assert api(client_a, "get", f"bookings/{code}/").json()["status"] == "booked"
    # Bad input: clear 4xx answers in Bahasa Indonesia, nothing lost.
    again = api(
        client_a, "post", "bookings/", {"offering": offering.pk, "date": str(day), "time": "10:00"}
    )
    assert again.status_code == 400
    assert again.json()["code"] == "limit_service_day"
    assert "sudah memiliki booking" in again.json()["detail"]
    past = api(
        client_a,
        "post",
        "bookings/",
        {"offering": offering.pk, "date": "2020-01-01", "time": "9:00"},
    )
    assert past.status_code == 400
    assert past.json()["code"] == "past"
    junk = api(client_a, "post", "bookings/", {"offering": offering.pk, "date": "x", "time": "y"})
    assert junk.status_code == 400
    moved = api(
        client_a, "post", f"bookings/{code}/reschedule/", {"date": str(day), "time": "11:00"}
    )
    assert moved.status_code == 200
    new_code = moved.json()["code"]
    assert api(client_a, "post", f"bookings/{new_code}/cancel/").json()["status"] == "cancelled"
    assert api(client_a, "post", f"bookings/{new_code}/cancel/").status_code == 409
    with in_region(region_a):
        assert Booking.objects.get(code=code).status == Booking.Status.RESCHEDULED


def test_booking_endpoints_refuse_anonymous_and_hide_others_bookings(
    client_a, offering, citizen, make_user, region_a, in_region
):
    assert api(client_a, "get", "bookings/").status_code in (401, 403)
    assert api(client_a, "get", "offerings/").status_code in (401, 403)
    with in_region(region_a):
        from tenants.queue.services.bookings import booking_create

        booking = booking_create(
            actor=citizen, offering=offering, day=open_day(offering), starts_at=_nine()
        )
    client_a.force_login(make_user())
    assert api(client_a, "get", f"bookings/{booking.code}/").status_code == 404
    assert api(client_a, "post", f"bookings/{booking.code}/cancel/").status_code == 404
    assert api(client_a, "get", "bookings/").json() == []


def _nine():
    import datetime as dt

    return dt.time(9, 0)


def test_counter_actions(client_a, offering, operator_a, region_a, in_region, assign_booth):
    assign_booth(operator_a, offering.test_counters[0].booth, region_a)
    with in_region(region_a):
        first = walk_in_today(offering)
        walk_in_today(offering)
    counter = offering.test_counters[0]
    client_a.force_login(operator_a)
    called = api(client_a, "post", f"counters/{counter.pk}/call-next/", {})
    assert called.status_code == 200
    assert called.json()["number"] == first.number
    busy = api(client_a, "post", f"counters/{counter.pk}/call-next/", {})
    assert busy.status_code == 409
    assert "masih menangani" in busy.json()["detail"]
    assert api(client_a, "post", f"counters/{counter.pk}/recall/", {}).json()["call_count"] == 2
    moved = api(
        client_a,
        "post",
        f"counters/{counter.pk}/transfer/",
        {"ticket": first.pk, "to_counter": offering.test_counters[1].pk},
    )
    assert moved.json()["status"] == "waiting"
    other = offering.test_counters[1]
    assert api(client_a, "post", f"counters/{other.pk}/call-next/", {}).json()["id"] == first.pk
    assert api(client_a, "post", f"counters/{other.pk}/start/", {}).json()["status"] == "serving"
    assert api(client_a, "post", f"counters/{other.pk}/finish/", {}).json()["status"] == "done"
    detail = api(client_a, "get", f"counters/{counter.pk}/").json()
    assert detail["current"] is None
    assert detail["waiting_total"] == 1
    assert api(client_a, "post", f"counters/{counter.pk}/dance/", {}).status_code == 404
    assert api(client_a, "post", f"counters/{counter.pk}/transfer/", {}).status_code == 400


def test_ticket_list_has_a_bounded_query_count(
    client_a, offering, operator_a, region_a, in_region, django_assert_max_num_queries
):
    with in_region(region_a):
        for _ in range(12):
            walk_in_today(offering)
    client_a.force_login(operator_a)
    with django_assert_max_num_queries(8):
        response = api(client_a, "get", "tickets/")
    assert response.json()["count"] == 12
    with django_assert_max_num_queries(8):
        assert api(client_a, "get", "tickets/?status=waiting").json()["count"] == 12
    with django_assert_max_num_queries(10):
        assert api(client_a, "get", "display/").status_code == 200
    with django_assert_max_num_queries(8):
        assert api(client_a, "get", "figures/").status_code == 200


def test_kiosk_api_needs_a_kiosk_token_of_this_region(
    client_a, client_b, offering, admin_a, citizen, region_a, in_region
):
    with in_region(region_a):
        _device, token = kiosk_device_create(actor=admin_a, name="Kiosk API")
    assert api(client_a, "post", "kiosk/check-in/", {"code": "QQQQQQQQ"}).status_code == 404
    unknown = api(
        client_a, "post", "kiosk/check-in/", {"code": "QQQQQQQQ"}, HTTP_X_KIOSK_TOKEN=token
    )
    assert unknown.status_code == 404
    assert "tidak dikenal" in unknown.json()["detail"]
    assert unknown.json()["code"] == "unknown_code"
    # The same token on another region's host is nobody.
    elsewhere = api(
        client_b, "post", "kiosk/check-in/", {"code": "QQQQQQQQ"}, HTTP_X_KIOSK_TOKEN=token
    )
    assert elsewhere.status_code == 404
    assert elsewhere.json()["detail"] == "Tidak ditemukan."


def test_public_board(client_a, offering, region_a, in_region):
    with in_region(region_a):
        walk_in_today(offering)
    board = api(client_a, "get", "display/").json()
    assert any(q["prefix"] == "A" and q["waiting"] >= 1 for q in board["queues"])


@pytest.mark.parametrize("who", ["anonymous", "admin_b", "operator_b", "citizen"])
def test_staff_endpoints_are_404_for_outsiders(
    client_a, offering, who, request, region_a, in_region
):
    with in_region(region_a):
        ticket = walk_in_today(offering)
    if who != "anonymous":
        client_a.force_login(request.getfixturevalue(who))
    counter = offering.test_counters[0]
    gets = ["counters/", f"counters/{counter.pk}/", "tickets/", "figures/"]
    for path in gets:
        assert api(client_a, "get", path).status_code == 404, path
    for action in ("call-next", "recall", "start", "finish", "no-show", "transfer"):
        assert api(client_a, "post", f"counters/{counter.pk}/{action}/", {}).status_code == 404
    assert api(client_a, "post", "kiosk/walk-in/", {"offering": offering.pk}).status_code == 404
    with in_region(region_a):
        ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.WAITING


def test_region_b_staff_cannot_reach_region_a_counters_from_their_own_host(
    client_b, offering, operator_b
):
    """A counter id of region A does not exist on region B's host (its own schema)."""
    client_b.force_login(operator_b)
    counter = offering.test_counters[0]
    assert api(client_b, "post", f"counters/{counter.pk}/call-next/", {}).status_code == 404
    assert api(client_b, "get", f"counters/{counter.pk}/").status_code == 404


def test_queue_endpoints_are_in_the_openapi_schema_without_warnings(db):
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    GENERATOR_STATS.reset()
    schema = SchemaGenerator(urlconf="mpp_platform.urls_regional").get_schema(
        request=None, public=True
    )
    validate_schema(schema)
    messages = [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
    assert [m for m in messages if "tenants/queue" in m] == []
    assert "post" in schema["paths"]["/api/v1/queue/bookings/"]
    assert "get" in schema["paths"]["/api/v1/queue/display/"]


def test_a_call_shows_on_the_board_at_once_despite_its_cache(
    client_a, offering, region_a, in_region
):
    from tenants.queue.services.tickets import ticket_call_next

    with in_region(region_a):
        walk_in_today(offering)
    before = api(client_a, "get", "display/").json()
    with in_region(region_a):
        ticket = ticket_call_next(actor=None, counter=offering.test_counters[0])
    after = api(client_a, "get", "display/").json()
    assert ticket.number not in [c["number"] for c in before["calls"]]
    assert after["calls"][0]["number"] == ticket.number


def test_kiosk_walk_in_api_hands_out_numbered_tickets(
    client_a, client_b, offering, admin_a, region_a, in_region, on_a_working_day
):
    with in_region(region_a):
        _device, token = kiosk_device_create(actor=admin_a, name="Kiosk walk-in")
    first = api(
        client_a, "post", "kiosk/walk-in/", {"offering": offering.pk}, HTTP_X_KIOSK_TOKEN=token
    )
    assert first.status_code in (200, 201), first.content
    second = api(
        client_a, "post", "kiosk/walk-in/", {"offering": offering.pk}, HTTP_X_KIOSK_TOKEN=token
    )
    assert (first.json()["number"], second.json()["number"]) == ("A-001", "A-002")
    with in_region(region_a):
        numbers = Ticket.objects.filter(offering=offering).values_list("prefix", "seq")
        assert sorted(numbers) == [("A", 1), ("A", 2)]
    unknown = api(
        client_a, "post", "kiosk/walk-in/", {"offering": 999999}, HTTP_X_KIOSK_TOKEN=token
    )
    assert unknown.status_code == 404
    bad = api(client_a, "post", "kiosk/walk-in/", {"offering": "x"}, HTTP_X_KIOSK_TOKEN=token)
    assert bad.status_code == 400
    # The token of region A's kiosk means nothing on region B's host.
    elsewhere = api(
        client_b, "post", "kiosk/walk-in/", {"offering": offering.pk}, HTTP_X_KIOSK_TOKEN=token
    )
    assert elsewhere.status_code == 404
