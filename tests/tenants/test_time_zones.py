"""Regions outside WIB: Kota Denpasar (WITA, UTC+8) and Kota Jayapura (WIT, UTC+9) keep their own
clock for "today", same-day booking windows and due dates. Each test provisions the region it
needs inside its own transaction (rolled back with it)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from kernel.errors import DomainError

WIB = ZoneInfo("Asia/Jakarta")
WITA_CODE = "51.71"  # Kota Denpasar
WIT_CODE = "91.71"  # Kota Jayapura


def _provision(code: str):
    from onboarding.services import mpp_provision
    from shared.regions.models import Region

    return mpp_provision(region=Region.objects.get(code=code))


@pytest.fixture
def region_wita(db):
    return _provision(WITA_CODE)


@pytest.fixture
def region_wit(db):
    return _provision(WIT_CODE)


def _today(mpp, in_region) -> dt.date:
    from tenants.queue.selectors import local_today

    with in_region(mpp):
        return local_today()


def test_today_follows_each_regions_clock(region_a, region_wita, region_wit, in_region):
    # 23:30 WIB on Wednesday is already Thursday in Bali and Papua.
    with time_machine.travel(dt.datetime(2026, 12, 2, 23, 30, tzinfo=WIB), tick=False):
        assert _today(region_a, in_region) == dt.date(2026, 12, 2)
        assert _today(region_wita, in_region) == dt.date(2026, 12, 3)
        assert _today(region_wit, in_region) == dt.date(2026, 12, 3)
    # 07:30 WIB is 08:30 WITA and 09:30 WIT: the same day everywhere.
    with time_machine.travel(dt.datetime(2026, 12, 3, 7, 30, tzinfo=WIB), tick=False):
        assert {_today(m, in_region) for m in (region_a, region_wita, region_wit)} == {
            dt.date(2026, 12, 3)
        }


def test_a_same_day_slot_closes_by_the_regions_clock(region_a, region_wit, in_region, make_user):
    """At 07:30 WIB (09:30 WIT) the 09:00 slot is gone in Jayapura, still open in Banyuwangi."""
    from tenants.queue.services.bookings import booking_create
    from tenants.queue.services.capacity import day_view
    from tests.tenants.queue.factories import EVERY_DAY_ALL_DAY, queue_offering

    citizen = make_user()
    nine = dt.time(9, 0)
    day = dt.date(2026, 12, 3)
    with time_machine.travel(dt.datetime(2026, 12, 3, 7, 30, tzinfo=WIB), tick=False):
        with in_region(region_wit):
            offering = queue_offering(prefix="J", hours=EVERY_DAY_ALL_DAY)
            slots = {s.starts_at: s for s in day_view(offering, day).slots}
            assert not slots[nine].bookable
            with pytest.raises(DomainError) as refused:
                booking_create(actor=citizen, offering=offering, day=day, starts_at=nine)
            assert refused.value.code == "slot_past"
        with in_region(region_a):
            offering = queue_offering(prefix="B", hours=EVERY_DAY_ALL_DAY)
            slots = {s.starts_at: s for s in day_view(offering, day).slots}
            assert slots[nine].bookable
            booking = booking_create(actor=citizen, offering=offering, day=day, starts_at=nine)
            assert booking.date == day


def test_due_dates_count_from_the_regions_own_day(region_a, region_wit, in_region):
    """Received at 23:30 WIB on Thursday: still Thursday in Banyuwangi (1 working day -> Friday),
    already Friday in Jayapura (1 working day -> Monday)."""
    from tenants.mpp.selectors import add_region_working_days, region_today

    with time_machine.travel(dt.datetime(2026, 12, 3, 23, 30, tzinfo=WIB), tick=False):
        with in_region(region_a):
            assert add_region_working_days(region_today(), 1) == dt.date(2026, 12, 4)
        with in_region(region_wit):
            assert region_today() == dt.date(2026, 12, 4)
            assert add_region_working_days(region_today(), 1) == dt.date(2026, 12, 7)
