"""Capacity and online bookings: slots from opening hours, quotas, per-citizen limits, cancel and
reschedule. Services are called with an explicit ``at`` (the moment "now")."""

import datetime as dt

import pytest

from kernel.errors import ConflictError, DomainError
from tenants.mpp.models import Closure, OpeningHours
from tenants.queue.models import Booking, OfferingQueueConfig, QueueDay, Slot
from tenants.queue.services.bookings import booking_cancel, booking_create, booking_reschedule
from tenants.queue.services.capacity import day_view
from tenants.queue.services.settings import queue_settings_update
from tenants.queue.services.tickets import ticket_take_walk_in
from tests.tenants.queue.factories import MONDAY, at, queue_offering

SUNDAY_EVENING = at(2026, 11, 22, 19, 0)
T8, T830, T9 = dt.time(8, 0), dt.time(8, 30), dt.time(9, 0)


def slot_of(booking) -> Slot:
    return Slot.objects.get(pk=booking.slot_id)


def test_slots_come_from_the_opening_intervals(in_a):
    offering = queue_offering(
        hours={0: [(dt.time(8, 0), dt.time(11, 30)), (dt.time(13, 0), dt.time(14, 15))]}
    )
    view = day_view(offering, MONDAY, at=SUNDAY_EVENING)
    starts = [s.starts_at.strftime("%H:%M") for s in view.slots]
    # 08:00–11:30 gives 7 slots; 13:00–14:15 gives 2 and a 15-minute rest (half a slot: kept).
    assert starts == [
        "08:00", "08:30", "09:00", "09:30", "10:00", "10:30", "11:00", "13:00", "13:30", "14:00",
    ]  # fmt: skip
    assert view.slots[-1].ends_at == dt.time(14, 15)
    assert {s.capacity for s in view.slots} == {4}  # the region default per slot
    assert view.online_left == 40


def test_daily_booking_quota_is_spread_over_the_slots(in_a):
    offering = queue_offering(quota_queue=10)
    view = day_view(offering, MONDAY, at=SUNDAY_EVENING)
    assert [s.capacity for s in view.slots] == [2, 2, 1, 1, 1, 1, 1, 1]
    assert QueueDay.objects.get(offering=offering, date=MONDAY).online_quota == 10


def test_citizen_books_a_slot(in_a, citizen):
    from tenants.audit.models import AuditEntry

    offering = queue_offering()
    booking = booking_create(
        actor=citizen, offering=offering, day=MONDAY, starts_at=T9, at=SUNDAY_EVENING
    )
    assert len(booking.code) == 8
    assert booking.status == Booking.Status.BOOKED
    assert (booking.starts_at, booking.ends_at) == (T9, dt.time(9, 30))
    assert slot_of(booking).booked == 1
    assert QueueDay.objects.get(pk=slot_of(booking).day_id).online_booked == 1
    assert AuditEntry.objects.filter(action="queue.booking.created", actor=citizen).exists()


@pytest.mark.parametrize(
    ("day", "now", "code", "words"),
    [
        (dt.date(2026, 11, 20), SUNDAY_EVENING, "past", "sudah lewat"),
        (MONDAY + dt.timedelta(days=30), SUNDAY_EVENING, "too_far", "paling jauh 14 hari"),
        (dt.date(2026, 11, 28), SUNDAY_EVENING, "closed", "Tidak ada layanan"),  # Saturday
        (dt.date(2026, 12, 25), at(2026, 12, 20, 9), "closed", "libur nasional"),
        (MONDAY, at(2026, 11, 23, 9, 45), "slot_past", "sudah lewat"),  # the 09:00 slot ended
    ],
)
def test_refused_dates_say_why(in_a, citizen, day, now, code, words):
    offering = queue_offering(hours={d: [(T8, dt.time(12, 0))] for d in range(5)})
    with pytest.raises(DomainError) as exc:
        booking_create(actor=citizen, offering=offering, day=day, starts_at=T9, at=now)
    assert exc.value.code == code
    assert words in exc.value.message
    assert not Booking.objects.filter(offering=offering).exists()


def test_local_closure_refuses_bookings(in_a, citizen):
    offering = queue_offering()
    Closure.objects.create(start_date=MONDAY, end_date=MONDAY, reason="Pemadaman listrik")
    with pytest.raises(DomainError) as exc:
        booking_create(
            actor=citizen, offering=offering, day=MONDAY, starts_at=T9, at=SUNDAY_EVENING
        )
    assert exc.value.code == "closed"
    assert "Pemadaman listrik" in exc.value.message


def test_a_time_that_is_not_a_slot_is_refused(in_a, citizen):
    offering = queue_offering()
    with pytest.raises(DomainError) as exc:
        booking_create(
            actor=citizen,
            offering=offering,
            day=MONDAY,
            starts_at=dt.time(9, 10),
            at=SUNDAY_EVENING,
        )
    assert exc.value.code == "no_such_slot"


def test_full_slot_refuses_and_keeps_earlier_bookings(in_a, make_user):
    offering = queue_offering()
    OfferingQueueConfig.objects.create(offering=offering, online_per_slot=2)
    first = [
        booking_create(
            actor=make_user(), offering=offering, day=MONDAY, starts_at=T9, at=SUNDAY_EVENING
        )
        for _ in range(2)
    ]
    with pytest.raises(ConflictError) as exc:
        booking_create(
            actor=make_user(), offering=offering, day=MONDAY, starts_at=T9, at=SUNDAY_EVENING
        )
    assert exc.value.code == "slot_full"
    assert "09:00 sudah penuh" in exc.value.message
    assert Booking.objects.filter(pk__in=[b.pk for b in first], status="booked").count() == 2
    assert slot_of(first[0]).booked == 2
    assert QueueDay.objects.get(offering=offering).online_booked == 2  # the refusal rolled back


def test_daily_quota_refuses_beyond_it(in_a, make_user):
    offering = queue_offering(quota_queue=2)
    booking_create(
        actor=make_user(), offering=offering, day=MONDAY, starts_at=T8, at=SUNDAY_EVENING
    )
    booking_create(
        actor=make_user(), offering=offering, day=MONDAY, starts_at=T830, at=SUNDAY_EVENING
    )
    with pytest.raises(ConflictError) as exc:
        booking_create(
            actor=make_user(), offering=offering, day=MONDAY, starts_at=T8, at=SUNDAY_EVENING
        )
    assert exc.value.code == "day_full"
    assert "Kuota booking daring" in exc.value.message


def test_limits_per_citizen_stop_hoarding(in_a, citizen):
    offering = queue_offering()
    other = queue_offering(prefix="B")
    third = queue_offering(prefix="C")
    booking_create(actor=citizen, offering=offering, day=MONDAY, starts_at=T8, at=SUNDAY_EVENING)
    with pytest.raises(DomainError) as exc:
        booking_create(
            actor=citizen, offering=offering, day=MONDAY, starts_at=T9, at=SUNDAY_EVENING
        )
    assert exc.value.code == "limit_service_day"

    queue_settings_update(actor=None, max_bookings_per_day=2)
    booking_create(actor=citizen, offering=other, day=MONDAY, starts_at=T9, at=SUNDAY_EVENING)
    with pytest.raises(DomainError) as exc:
        booking_create(actor=citizen, offering=third, day=MONDAY, starts_at=T9, at=SUNDAY_EVENING)
    assert exc.value.code == "limit_day"
    assert "2 booking per hari" in exc.value.message

    # Two active bookings of one service on different days; a third day is refused.
    booking_create(
        actor=citizen,
        offering=offering,
        day=MONDAY + dt.timedelta(days=1),
        starts_at=T8,
        at=SUNDAY_EVENING,
    )
    with pytest.raises(DomainError) as exc:
        booking_create(
            actor=citizen,
            offering=offering,
            day=MONDAY + dt.timedelta(days=2),
            starts_at=T8,
            at=SUNDAY_EVENING,
        )
    assert exc.value.code == "limit_upcoming"
    assert Booking.objects.filter(citizen_id=citizen.pk, status="booked").count() == 3


def test_cancel_gives_the_place_back(in_a, make_user):
    offering = queue_offering()
    OfferingQueueConfig.objects.create(offering=offering, online_per_slot=1)
    first, second = make_user(), make_user()
    booking = booking_create(
        actor=first, offering=offering, day=MONDAY, starts_at=T9, at=SUNDAY_EVENING
    )
    with pytest.raises(ConflictError):
        booking_create(actor=second, offering=offering, day=MONDAY, starts_at=T9, at=SUNDAY_EVENING)
    booking_cancel(actor=first, booking=booking, at=SUNDAY_EVENING)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert slot_of(booking).booked == 0
    booking_create(actor=second, offering=offering, day=MONDAY, starts_at=T9, at=SUNDAY_EVENING)
    with pytest.raises(ConflictError) as exc:
        booking_cancel(actor=first, booking=booking, at=SUNDAY_EVENING)
    assert "sudah dibatalkan" in exc.value.message


def test_cancel_after_the_slot_is_refused(in_a, citizen):
    offering = queue_offering()
    booking = booking_create(
        actor=citizen, offering=offering, day=MONDAY, starts_at=T8, at=SUNDAY_EVENING
    )
    with pytest.raises(DomainError) as exc:
        booking_cancel(actor=citizen, booking=booking, at=at(2026, 11, 23, 10))
    assert exc.value.code == "too_late"
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED


def test_reschedule_moves_the_booking(in_a, citizen):
    offering = queue_offering()
    old = booking_create(
        actor=citizen, offering=offering, day=MONDAY, starts_at=T8, at=SUNDAY_EVENING
    )
    tuesday = MONDAY + dt.timedelta(days=1)
    new = booking_reschedule(
        actor=citizen, booking=old, day=tuesday, starts_at=T9, at=SUNDAY_EVENING
    )
    old.refresh_from_db()
    assert old.status == Booking.Status.RESCHEDULED
    assert old.rescheduled_to == new
    assert new.code != old.code
    assert (new.date, new.starts_at, new.status) == (tuesday, T9, Booking.Status.BOOKED)
    assert slot_of(old).booked == 0
    assert slot_of(new).booked == 1


def test_failed_reschedule_keeps_the_old_booking(in_a, citizen, make_user):
    offering = queue_offering()
    OfferingQueueConfig.objects.create(offering=offering, online_per_slot=1)
    old = booking_create(
        actor=citizen, offering=offering, day=MONDAY, starts_at=T8, at=SUNDAY_EVENING
    )
    booking_create(
        actor=make_user(), offering=offering, day=MONDAY, starts_at=T9, at=SUNDAY_EVENING
    )
    with pytest.raises(ConflictError):
        booking_reschedule(actor=citizen, booking=old, day=MONDAY, starts_at=T9, at=SUNDAY_EVENING)
    with pytest.raises(DomainError) as exc:  # a Saturday: closed
        booking_reschedule(
            actor=citizen,
            booking=old,
            day=dt.date(2026, 11, 28),
            starts_at=T9,
            at=SUNDAY_EVENING,
        )
    assert exc.value.code == "closed"
    old.refresh_from_db()
    assert old.status == Booking.Status.BOOKED
    assert slot_of(old).booked == 1
    assert Booking.objects.filter(citizen_id=citizen.pk).count() == 1


def test_walk_ins_never_eat_the_online_quota(in_a, make_user):
    offering = queue_offering(quota_walk_in=2)
    OfferingQueueConfig.objects.create(offering=offering, online_per_slot=1)
    morning = at(2026, 11, 23, 8, 5)
    for _ in range(2):
        ticket_take_walk_in(actor=None, offering=offering, at=morning)
    with pytest.raises(ConflictError) as exc:
        ticket_take_walk_in(actor=None, offering=offering, at=morning)
    assert exc.value.code == "walk_in_full"
    # Every online place of the day is still there.
    day = QueueDay.objects.get(offering=offering, date=MONDAY)
    assert (day.online_quota, day.online_booked, day.walk_in_issued) == (8, 0, 2)
    booking = booking_create(
        actor=make_user(), offering=offering, day=MONDAY, starts_at=dt.time(11, 0), at=morning
    )
    assert booking.status == Booking.Status.BOOKED


def test_only_offerings_with_the_booking_channel_and_a_counter(in_a, citizen):
    walk_in_only = queue_offering(channels=("walk_in",))
    with pytest.raises(DomainError) as exc:
        booking_create(
            actor=citizen, offering=walk_in_only, day=MONDAY, starts_at=T9, at=SUNDAY_EVENING
        )
    assert exc.value.code == "not_bookable"
    no_counter = queue_offering(counters=0)
    with pytest.raises(DomainError) as exc:
        booking_create(
            actor=citizen, offering=no_counter, day=MONDAY, starts_at=T9, at=SUNDAY_EVENING
        )
    assert exc.value.code == "no_counter"


def test_changed_hours_keep_existing_bookings(in_a, citizen, make_user):
    offering = queue_offering()
    booking = booking_create(
        actor=citizen, offering=offering, day=MONDAY, starts_at=T8, at=SUNDAY_EVENING
    )
    OpeningHours.objects.filter(offering=offering, weekday=0).update(opens_at=dt.time(10, 0))
    view = day_view(offering, MONDAY, at=SUNDAY_EVENING)
    assert view.slots[0].starts_at == dt.time(10, 0)
    slot = slot_of(booking)
    assert (slot.capacity, slot.booked) == (1, 1)  # closed for new bookings, booking kept
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED
    with pytest.raises(DomainError) as exc:
        booking_create(
            actor=make_user(), offering=offering, day=MONDAY, starts_at=T8, at=SUNDAY_EVENING
        )
    assert exc.value.code == "no_such_slot"


def test_booking_and_cancel_emit_events_without_the_code(in_a, citizen):
    from shared.webhooks.models import Event

    offering = queue_offering()
    booking = booking_create(
        actor=citizen, offering=offering, day=MONDAY, starts_at=T9, at=SUNDAY_EVENING
    )
    booking_cancel(actor=citizen, booking=booking, at=SUNDAY_EVENING)
    events = Event.objects.filter(subject_type="booking", subject_id=str(booking.pk)).order_by("id")
    assert [(e.kind, e.data["status"]) for e in events] == [
        ("booking.created", Booking.Status.BOOKED),
        ("booking.cancelled", Booking.Status.CANCELLED),
    ]
    assert events[0].region_id == in_a.region_id
    assert events[0].data["service_date"] == MONDAY.isoformat()
    assert booking.code not in str([e.data for e in events])
