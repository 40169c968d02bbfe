"""Daily figures per offering, counter and MPP, and the nightly region task."""

import datetime as dt

from django.db import connection

from tenants.queue.models import Booking, DailyFigure
from tenants.queue.services.bookings import booking_create
from tenants.queue.services.figures import daily_figures_compute
from tenants.queue.services.tickets import (
    booking_check_in,
    ticket_call_next,
    ticket_finish,
    ticket_no_show,
    ticket_take_walk_in,
)
from tests.tenants.queue.factories import MONDAY, at, queue_offering


def _serve(counter, *, called, finished):
    ticket_call_next(actor=None, counter=counter, at=called)
    ticket_finish(actor=None, counter=counter, at=finished)


def test_daily_figures(in_a, make_user):
    offering = queue_offering(prefix="A", counters=2)
    c1, c2 = offering.test_counters
    # Five walk-ins at 08:00; waits 2, 4, 6, 8 minutes and one no-show after 10.
    for _ in range(5):
        ticket_take_walk_in(actor=None, offering=offering, at=at(2026, 11, 23, 8, 0))
    _serve(c1, called=at(2026, 11, 23, 8, 2), finished=at(2026, 11, 23, 8, 7))
    _serve(c2, called=at(2026, 11, 23, 8, 4), finished=at(2026, 11, 23, 8, 9))
    _serve(c1, called=at(2026, 11, 23, 8, 6), finished=at(2026, 11, 23, 8, 11))
    _serve(c2, called=at(2026, 11, 23, 8, 8), finished=at(2026, 11, 23, 8, 13))
    ticket_call_next(actor=None, counter=c1, at=at(2026, 11, 23, 8, 10))
    ticket_no_show(actor=None, counter=c1, at=at(2026, 11, 23, 8, 15))
    # A booking for 09:00, checked in at 08:30 (early), called at 09:03: waited 3 minutes.
    sunday = at(2026, 11, 22, 19)
    booked = booking_create(
        actor=make_user(), offering=offering, day=MONDAY, starts_at=dt.time(9), at=sunday
    )
    booking_check_in(actor=None, code=booked.code, at=at(2026, 11, 23, 8, 30))
    _serve(c2, called=at(2026, 11, 23, 9, 3), finished=at(2026, 11, 23, 9, 10))
    # A booking never used, and one still waiting at the end of the day.
    missed = booking_create(
        actor=make_user(), offering=offering, day=MONDAY, starts_at=dt.time(10), at=sunday
    )
    ticket_take_walk_in(actor=None, offering=offering, at=at(2026, 11, 23, 11, 0))

    assert daily_figures_compute(day=MONDAY, mark_missed=True) >= 4
    total = DailyFigure.objects.get(date=MONDAY, scope="total")
    assert (total.tickets_issued, total.walk_ins, total.booked_tickets) == (7, 6, 1)
    assert (total.served, total.no_shows, total.unserved) == (5, 1, 1)
    assert (total.bookings, total.bookings_missed) == (2, 1)
    # Waits (min): 2, 3, 4, 6, 8, 10 → median 5 min; p90 = 9 min (linear interpolation).
    assert total.wait_median_s == 300
    assert total.wait_p90_s == 540
    assert total.service_median_s == 300

    per_offering = DailyFigure.objects.get(date=MONDAY, scope="offering", offering=offering)
    assert (per_offering.served, per_offering.bookings, per_offering.bookings_missed) == (5, 2, 1)
    first = DailyFigure.objects.get(date=MONDAY, scope="counter", counter=c1)
    second = DailyFigure.objects.get(date=MONDAY, scope="counter", counter=c2)
    assert (first.served, first.no_shows) == (2, 1)
    assert (second.served, second.no_shows) == (3, 0)
    missed.refresh_from_db()
    assert missed.status == Booking.Status.MISSED

    # Idempotent: a second run replaces the rows.
    before = DailyFigure.objects.filter(date=MONDAY).count()
    daily_figures_compute(day=MONDAY)
    assert DailyFigure.objects.filter(date=MONDAY).count() == before


def test_the_nightly_task_runs_in_the_region_schema(region_a, in_region):
    from tenants.queue.tasks import queue_daily_figures

    connection.set_schema_to_public()
    result = queue_daily_figures.apply(
        kwargs={"schema_name": region_a.schema_name, "day": "2026-11-23"},
        headers={"_schema_name": region_a.schema_name},
        throw=True,
    )
    assert result.get() == 1  # only the (empty) total row
    with in_region(region_a):
        total = DailyFigure.objects.get(date=MONDAY, scope="total")
        assert total.tickets_issued == 0
        assert total.wait_median_s is None


def test_the_task_refuses_without_a_region(db):
    import pytest

    from kernel.errors import MissingRegionSchemaError
    from tenants.queue.tasks import queue_daily_figures

    with pytest.raises(MissingRegionSchemaError):
        queue_daily_figures.apply(kwargs={}, throw=True)


def test_the_nightly_job_is_scheduled_through_the_dispatcher():
    from django.conf import settings

    from mpp_platform.celery import app

    job = settings.CELERY_BEAT_SCHEDULE["queue-daily-figures"]
    assert job["task"] == "mpp_platform.dispatch_to_live_regions"
    assert job["args"] == ["queue.daily_figures"]
    app.loader.import_default_modules()
    assert "queue.daily_figures" in app.tasks
