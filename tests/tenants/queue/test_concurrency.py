"""Many threads, each with its own PostgreSQL connection, race for the last places.

These tests commit (a rolled-back test transaction cannot be shared between connections): no
``db`` fixture; rows are created with unique names through ``django_db_blocker`` and removed
at the end. PostgreSQL's ``max_connections`` (100, shared with the test session) bounds how
many attempts hold a connection at the same instant, so the 200 threads pass a gate of
``MPP_CONCURRENCY_CONNECTIONS`` (default 50) connections: every attempt still races dozens of
others inside the database, and a race of 50 threads (test_races.py) has all 50 at once.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import uuid
from collections import Counter as Tally
from contextlib import contextmanager

import pytest
from django.db import connection

from kernel.errors import DomainError

pytestmark = pytest.mark.concurrency

ATTEMPTS = 200
GATE = threading.BoundedSemaphore(int(os.environ.get("MPP_CONCURRENCY_CONNECTIONS", "50")))


def race(fn, n: int) -> list:
    """Run ``fn(i)`` for i in range(n) on n threads started together; each thread uses (and
    closes) its own database connection. Returns the results in order."""
    results: list = [None] * n
    start = threading.Barrier(n)

    def run(i: int) -> None:
        start.wait()
        with GATE:
            try:
                results[i] = ("ok", fn(i))
            except DomainError as exc:
                results[i] = ("refused", exc.code)
            except Exception as exc:  # reported by the assertion below
                results[i] = ("error", repr(exc))
            finally:
                connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    errors = [r for r in results if r is None or r[0] == "error"]
    assert not errors, errors[:5]
    return results


@contextmanager
def committed_region(django_db_blocker):
    """Banyuwangi's schema with committed rows; every queue row made here is removed after."""
    from shared.accounts.models import User
    from shared.regions.models import Mpp

    made_users: list[int] = []
    made_offerings: list = []
    with django_db_blocker.unblock():
        mpp = Mpp.objects.select_related("region").get(region__code="35.10")
        try:
            yield mpp, made_users, made_offerings
        finally:
            connection.set_tenant(mpp)
            _remove(made_offerings)
            # In the region's schema, so that Django's delete collector finds the region's
            # audit entries (their actor becomes empty; the log itself stays).
            User.objects.filter(pk__in=made_users).delete()
            connection.set_schema_to_public()


def _remove(offerings) -> None:
    from tenants.mpp.models import Booth, Counter, LocalAgency, Offering, OpeningHours
    from tenants.queue.models import (
        Booking,
        DailyFigure,
        OfferingQueueConfig,
        QueueDay,
        Slot,
        Ticket,
        TicketSequence,
    )

    ids = [o.pk for o in offerings]
    counters = list(Counter.objects.filter(offerings__in=ids).distinct())
    prefixes = {c.ticket_prefix for c in counters}
    Ticket.objects.filter(offering_id__in=ids).delete()
    Booking.objects.filter(offering_id__in=ids).update(rescheduled_to=None)
    Booking.objects.filter(offering_id__in=ids).delete()
    Slot.objects.filter(day__offering_id__in=ids).delete()
    QueueDay.objects.filter(offering_id__in=ids).delete()
    OfferingQueueConfig.objects.filter(offering_id__in=ids).delete()
    DailyFigure.objects.filter(offering_id__in=ids).delete()
    TicketSequence.objects.filter(prefix__in=prefixes).delete()
    booths = {o.booth_id for o in offerings}
    agencies = {o.local_agency_id for o in offerings}
    for counter in counters:
        counter.offerings.clear()
        counter.delete()
    OpeningHours.objects.filter(offering_id__in=ids).delete()
    Offering.objects.filter(pk__in=ids).delete()
    Booth.objects.filter(pk__in=booths).delete()
    LocalAgency.objects.filter(pk__in=agencies).delete()


def make_citizens(n: int, made: list[int]) -> list:
    from shared.accounts.models import User

    tag = uuid.uuid4().hex[:8]
    users = User.objects.bulk_create(
        User(email=f"warga-{tag}-{i}@uji.example", full_name=f"Warga {i}") for i in range(n)
    )
    made.extend(u.pk for u in users)
    return users


def test_200_bookings_race_for_50_places(django_db_setup, django_db_blocker):
    from tenants.mpp.models import Offering
    from tenants.queue.models import Booking, OfferingQueueConfig, QueueDay, Slot
    from tenants.queue.services.bookings import booking_create
    from tests.tenants.queue.factories import EVERY_DAY_ALL_DAY, open_day, queue_offering

    nine = dt.time(9, 0)
    with committed_region(django_db_blocker) as (mpp, users, offerings):
        citizens = make_citizens(ATTEMPTS + 10, users)
        connection.set_tenant(mpp)
        offering = queue_offering(prefix="Y", hours=EVERY_DAY_ALL_DAY)
        offerings.append(offering)
        OfferingQueueConfig.objects.create(offering=offering, online_per_slot=60)
        day = open_day(offering)
        for citizen in citizens[:10]:  # 10 of 60 places already taken: 50 remain
            booking_create(actor=citizen, offering=offering, day=day, starts_at=nine)
        connection.set_schema_to_public()

        def attempt(i: int) -> str:
            connection.set_tenant(mpp)
            own = Offering.objects.select_related("service", "booth").get(pk=offering.pk)
            return booking_create(
                actor=citizens[10 + i], offering=own, day=day, starts_at=nine
            ).code

        results = race(attempt, ATTEMPTS)

        won = [code for kind, code in results if kind == "ok"]
        refusals = Tally(code for kind, code in results if kind == "refused")
        assert len(won) == 50
        assert refusals == {"slot_full": 150}
        connection.set_tenant(mpp)
        slot = Slot.objects.get(day__offering=offering, day__date=day, starts_at=nine)
        assert (slot.capacity, slot.booked) == (60, 60)
        assert QueueDay.objects.get(pk=slot.day_id).online_booked == 60
        codes = list(Booking.objects.filter(slot=slot).values_list("code", flat=True))
        assert len(codes) == 60
        assert len(set(codes)) == 60
        assert set(won) <= set(codes)
        connection.set_schema_to_public()


def test_one_citizen_racing_many_requests_gets_one_booking(django_db_setup, django_db_blocker):
    """A broker's script firing at every slot at once is held to the per-citizen limit."""
    from tenants.mpp.models import Offering
    from tenants.queue.models import Booking
    from tenants.queue.services.bookings import booking_create
    from tests.tenants.queue.factories import EVERY_DAY_ALL_DAY, open_day, queue_offering

    with committed_region(django_db_blocker) as (mpp, users, offerings):
        [broker] = make_citizens(1, users)
        connection.set_tenant(mpp)
        offering = queue_offering(prefix="Y", hours=EVERY_DAY_ALL_DAY)
        offerings.append(offering)
        day = open_day(offering)
        connection.set_schema_to_public()

        def attempt(i: int) -> str:
            connection.set_tenant(mpp)
            own = Offering.objects.select_related("service", "booth").get(pk=offering.pk)
            start = dt.time(8 + i // 2, 30 * (i % 2))
            return booking_create(actor=broker, offering=own, day=day, starts_at=start).code

        results = race(attempt, 20)
        assert sum(1 for kind, _ in results if kind == "ok") == 1
        assert Tally(code for kind, code in results if kind == "refused") == {
            "limit_service_day": 19
        }
        connection.set_tenant(mpp)
        assert Booking.objects.filter(citizen_id=broker.pk).count() == 1
        connection.set_schema_to_public()


def test_200_walk_ins_race_for_50_tickets(django_db_setup, django_db_blocker, on_a_working_day):
    from tenants.mpp.models import Offering
    from tenants.queue.models import QueueDay, Ticket
    from tenants.queue.selectors import closed_text, local_today
    from tenants.queue.services.tickets import ticket_take_walk_in
    from tests.tenants.queue.factories import EVERY_DAY_ALL_DAY, queue_offering

    with committed_region(django_db_blocker) as (mpp, _users, offerings):
        connection.set_tenant(mpp)
        offering = queue_offering(prefix="Y", hours=EVERY_DAY_ALL_DAY, quota_walk_in=50)
        offerings.append(offering)
        assert not closed_text(offering, local_today()), "the fixed working day must be open"
        connection.set_schema_to_public()

        def attempt(i: int) -> str:
            connection.set_tenant(mpp)
            own = Offering.objects.select_related("service", "booth").get(pk=offering.pk)
            return ticket_take_walk_in(actor=None, offering=own).number

        results = race(attempt, ATTEMPTS)
        numbers = [number for kind, number in results if kind == "ok"]
        assert len(numbers) == 50
        assert Tally(code for kind, code in results if kind == "refused") == {"walk_in_full": 150}
        assert sorted(numbers) == [f"Y-{n:03d}" for n in range(1, 51)]
        connection.set_tenant(mpp)
        assert Ticket.objects.filter(offering=offering).count() == 50
        assert QueueDay.objects.get(offering=offering, date=local_today()).walk_in_issued == 50
        connection.set_schema_to_public()


def test_ticket_numbers_are_unique_under_contention(django_db_setup, django_db_blocker):
    """The number allocator alone, on a fixed day (no opening hours involved)."""
    from tenants.queue.models import Ticket
    from tenants.queue.services.tickets import next_ticket_number
    from tests.tenants.queue.factories import queue_offering

    day = dt.date(2030, 1, 2)
    with committed_region(django_db_blocker) as (mpp, _users, offerings):
        connection.set_tenant(mpp)
        offering = queue_offering(prefix="Y")
        offerings.append(offering)
        connection.set_schema_to_public()

        def attempt(i: int) -> str:
            connection.set_tenant(mpp)
            ticket = Ticket.objects.create(
                date=day,
                prefix="Y",
                seq=next_ticket_number("Y", day),
                offering_id=offering.pk,
                kind=Ticket.Kind.WALK_IN,
            )
            return ticket.number

        numbers = [n for _, n in race(attempt, ATTEMPTS)]
        assert sorted(numbers) == [f"Y-{n:03d}" for n in range(1, ATTEMPTS + 1)]


def test_one_booking_checked_in_by_many_kiosks_at_once(
    django_db_setup, django_db_blocker, on_a_working_day
):
    from tenants.queue.models import Booking, Ticket
    from tenants.queue.selectors import local_today
    from tenants.queue.services.bookings import booking_create
    from tenants.queue.services.capacity import day_view
    from tenants.queue.services.tickets import booking_check_in
    from tests.tenants.queue.factories import EVERY_DAY_ALL_DAY, queue_offering

    with committed_region(django_db_blocker) as (mpp, users, offerings):
        [citizen] = make_citizens(1, users)
        connection.set_tenant(mpp)
        offering = queue_offering(prefix="Y", hours=EVERY_DAY_ALL_DAY)
        offerings.append(offering)
        slot = next((s for s in day_view(offering, local_today()).slots if s.bookable), None)
        assert slot is not None, "the fixed working day must have a free slot"
        booking = booking_create(
            actor=citizen, offering=offering, day=local_today(), starts_at=slot.starts_at
        )
        connection.set_schema_to_public()

        def attempt(i: int) -> str:
            connection.set_tenant(mpp)
            return booking_check_in(actor=None, code=booking.code).number

        results = race(attempt, 20)
        assert sum(1 for kind, _ in results if kind == "ok") == 1
        assert Tally(code for kind, code in results if kind == "refused") == {"already_used": 19}
        connection.set_tenant(mpp)
        assert Ticket.objects.filter(booking__code=booking.code).count() == 1
        assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CHECKED_IN
        connection.set_schema_to_public()
