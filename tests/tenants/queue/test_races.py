"""Races that staff and citizens really run into, each with 50 threads on their own connections:
many counters calling "next" at once, cancellations and reschedules racing new bookings.
Committed data, removed afterwards (see test_concurrency.committed_region)."""

from __future__ import annotations

import datetime as dt
from collections import Counter as Tally

import pytest
from django.db import connection

from tests.tenants.queue.test_concurrency import committed_region, make_citizens, race

pytestmark = pytest.mark.concurrency

THREADS = 50
NINE, TEN = dt.time(9, 0), dt.time(10, 0)


def test_ten_counters_calling_next_at_once_never_share_a_ticket(
    django_db_setup, django_db_blocker, on_a_working_day
):
    from tenants.mpp.models import Counter
    from tenants.queue.models import Ticket
    from tenants.queue.services.tickets import ticket_call_next
    from tests.tenants.queue.factories import EVERY_DAY_ALL_DAY, queue_offering, walk_in_today

    with committed_region(django_db_blocker) as (mpp, _users, offerings):
        connection.set_tenant(mpp)
        offering = queue_offering(prefix="Y", hours=EVERY_DAY_ALL_DAY, counters=10)
        offerings.append(offering)
        counter_ids = [c.pk for c in offering.test_counters]
        waiting = [walk_in_today(offering).pk for _ in range(30)]
        connection.set_schema_to_public()

        def attempt(i: int) -> int | None:
            connection.set_tenant(mpp)
            counter = Counter.objects.get(pk=counter_ids[i % 10])
            ticket = ticket_call_next(actor=None, counter=counter)
            return ticket.pk if ticket else None

        results = race(attempt, THREADS)
        called = [pk for kind, pk in results if kind == "ok"]
        # One ticket per counter: the other 40 find their counter busy.
        assert len(called) == 10
        assert len(set(called)) == 10
        assert set(called) <= set(waiting)
        assert Tally(code for kind, code in results if kind == "refused") == {"counter_busy": 40}
        connection.set_tenant(mpp)
        rows = Ticket.objects.filter(pk__in=waiting, status=Ticket.Status.CALLED)
        assert sorted(rows.values_list("counter_id", flat=True)) == sorted(counter_ids)
        # The queue order holds: the ten oldest tickets were called, the rest still wait.
        assert set(called) == set(waiting[:10])
        connection.set_schema_to_public()


def _full_slot(offering, citizens, day, starts_at):
    from tenants.queue.services.bookings import booking_create

    return [
        booking_create(actor=c, offering=offering, day=day, starts_at=starts_at) for c in citizens
    ]


def test_cancellations_racing_new_bookings_never_overbook(django_db_setup, django_db_blocker):
    from tenants.mpp.models import Offering
    from tenants.queue.models import Booking, OfferingQueueConfig, Slot
    from tenants.queue.services.bookings import booking_cancel, booking_create
    from tests.tenants.queue.factories import EVERY_DAY_ALL_DAY, open_day, queue_offering

    half = THREADS // 2
    with committed_region(django_db_blocker) as (mpp, users, offerings):
        holders = make_citizens(half, users)
        newcomers = make_citizens(half, users)
        connection.set_tenant(mpp)
        offering = queue_offering(prefix="Y", hours=EVERY_DAY_ALL_DAY)
        offerings.append(offering)
        OfferingQueueConfig.objects.create(offering=offering, online_per_slot=half)
        day = open_day(offering)
        held = _full_slot(offering, holders, day, NINE)
        connection.set_schema_to_public()

        def attempt(i: int) -> str:
            connection.set_tenant(mpp)
            if i < half:
                return booking_cancel(actor=holders[i], booking=held[i]).status
            own = Offering.objects.select_related("service", "booth").get(pk=offering.pk)
            return booking_create(
                actor=newcomers[i - half], offering=own, day=day, starts_at=NINE
            ).code

        results = race(attempt, THREADS)
        assert list(results[:half]) == [("ok", Booking.Status.CANCELLED)] * half
        connection.set_tenant(mpp)
        slot = Slot.objects.get(day__offering=offering, day__date=day, starts_at=NINE)
        active = Booking.objects.filter(slot=slot, status=Booking.Status.BOOKED).count()
        won = sum(1 for kind, _ in results[half:] if kind == "ok")
        assert slot.booked == active == won
        assert won <= slot.capacity
        refused = Tally(code for kind, code in results[half:] if kind == "refused")
        assert set(refused) <= {"slot_full"}
        connection.set_schema_to_public()


def test_reschedules_racing_new_bookings_keep_both_slots_exact(django_db_setup, django_db_blocker):
    from tenants.mpp.models import Offering
    from tenants.queue.models import Booking, OfferingQueueConfig, Slot
    from tenants.queue.services.bookings import booking_create, booking_reschedule
    from tests.tenants.queue.factories import EVERY_DAY_ALL_DAY, open_day, queue_offering

    half = THREADS // 2
    with committed_region(django_db_blocker) as (mpp, users, offerings):
        movers = make_citizens(half, users)
        newcomers = make_citizens(half, users)
        connection.set_tenant(mpp)
        offering = queue_offering(prefix="Y", hours=EVERY_DAY_ALL_DAY)
        offerings.append(offering)
        OfferingQueueConfig.objects.create(offering=offering, online_per_slot=half)
        day = open_day(offering)
        held = _full_slot(offering, movers, day, NINE)
        connection.set_schema_to_public()

        def attempt(i: int) -> str:
            connection.set_tenant(mpp)
            if i < half:
                return booking_reschedule(
                    actor=movers[i], booking=held[i], day=day, starts_at=TEN
                ).code
            own = Offering.objects.select_related("service", "booth").get(pk=offering.pk)
            return booking_create(
                actor=newcomers[i - half], offering=own, day=day, starts_at=TEN
            ).code

        results = race(attempt, THREADS)
        assert {code for kind, code in results if kind == "refused"} <= {"slot_full"}
        moved = sum(1 for kind, _ in results[:half] if kind == "ok")
        connection.set_tenant(mpp)
        nine = Slot.objects.get(day__offering=offering, day__date=day, starts_at=NINE)
        ten = Slot.objects.get(day__offering=offering, day__date=day, starts_at=TEN)
        booked = Booking.objects.filter(status=Booking.Status.BOOKED)
        # Every place is counted exactly once, and nobody over capacity.
        assert ten.booked == booked.filter(slot=ten).count() <= ten.capacity
        assert ten.booked == sum(1 for kind, _ in results if kind == "ok")
        # A mover refused keeps the old booking exactly as it was: nothing lost.
        assert nine.booked == booked.filter(slot=nine).count() == half - moved
        for i, (kind, _) in enumerate(results[:half]):
            still = Booking.objects.get(pk=held[i].pk)
            expected = Booking.Status.BOOKED if kind == "refused" else Booking.Status.RESCHEDULED
            assert still.status == expected, (i, still.status)
        connection.set_schema_to_public()
