"""Queue-ready offerings for tests: plain rows of tenants.mpp (booth, offering, hours, counters),
created inside the current region schema."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from tenants.mpp.models import Booth, Counter, LocalAgency, Offering, OpeningHours

WIB = ZoneInfo("Asia/Jakarta")
MONDAY = dt.date(2026, 11, 23)  # an ordinary working Monday
WEEKDAYS_8_TO_12 = {d: [(dt.time(8, 0), dt.time(12, 0))] for d in range(5)}
EVERY_DAY_ALL_DAY = {d: [(dt.time(0, 0), dt.time(23, 59))] for d in range(7)}


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=WIB)


def _uid(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def queue_offering(
    *,
    prefix: str = "A",
    channels=("queue", "walk_in"),
    quota_queue: int | None = None,
    quota_walk_in: int | None = None,
    hours=None,
    counters: int = 1,
    name: str | None = None,
) -> Offering:
    """A local offering with its own booth, hours and ``counters`` counters (prefix shared).
    The counters are on ``offering.test_counters``."""
    agency = LocalAgency.objects.create(name=_uid("Instansi Uji"))
    booth = Booth.objects.create(local_agency=agency, number=_uid("G"), name=_uid("Gerai"))
    offering = Offering.objects.create(
        code=_uid("antrean"),
        name=name or _uid("Layanan Antrean"),
        local_agency=agency,
        booth=booth,
        channels=list(channels),
        quota_queue=quota_queue,
        quota_walk_in=quota_walk_in,
    )
    for weekday, intervals in (hours or WEEKDAYS_8_TO_12).items():
        for opens, closes in intervals:
            OpeningHours.objects.create(
                offering=offering, weekday=weekday, opens_at=opens, closes_at=closes
            )
    offering.test_counters = []
    for _i in range(counters):
        counter = Counter.objects.create(booth=booth, number=_uid("L"), ticket_prefix=prefix)
        counter.offerings.add(offering)
        offering.test_counters.append(counter)
    return offering


def add_counter(offering: Offering, *, prefix: str = "A") -> Counter:
    counter = Counter.objects.create(booth=offering.booth, number=_uid("L"), ticket_prefix=prefix)
    counter.offerings.add(offering)
    return counter


def walk_in_today(offering: Offering, *, prefix: str | None = None):
    """A waiting walk-in ticket of today, made directly (views are tested at the real time of
    day, when the MPP may well be closed)."""
    from tenants.queue.models import Ticket
    from tenants.queue.selectors import local_today
    from tenants.queue.services.tickets import board_changed, next_ticket_number, ticket_prefix_for

    today = local_today()
    prefix = prefix or ticket_prefix_for(offering)
    board_changed()
    return Ticket.objects.create(
        date=today,
        prefix=prefix,
        seq=next_ticket_number(prefix, today),
        offering=offering,
        kind=Ticket.Kind.WALK_IN,
    )


def open_day(offering: Offering, *, start_in_days: int = 1) -> dt.date:
    """The first day from ``start_in_days`` on when ``offering`` is open (skips holidays)."""
    from tenants.queue.selectors import local_today, offering_calendar

    start = local_today() + dt.timedelta(days=start_in_days)
    days = offering_calendar(offering, start, start + dt.timedelta(days=10))
    return next(d.date for d in days if d.is_open)
