"""Daily figures of the queue, kept in the region's schema (``DailyFigure``) for the national
monitoring to roll up later: per offering, per counter and for the whole MPP.

Waiting time is from arrival to the first call; a booked citizen's wait starts at the later of
check-in and the booked time (arriving early is not waiting). Service time is from the start of
service (or the call) to the end.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from kernel.audit import audit_log
from tenants.queue.models import Booking, DailyFigure, Ticket
from tenants.queue.selectors import local_today

_TICKET_SQL = """
SELECT GROUPING(offering_id) AS g_offering, GROUPING(counter_id) AS g_counter,
       offering_id, counter_id,
       count(*),
       count(*) FILTER (WHERE kind = 'walk_in'),
       count(*) FILTER (WHERE kind = 'booked'),
       count(*) FILTER (WHERE status = 'done'),
       count(*) FILTER (WHERE status = 'no_show'),
       count(*) FILTER (WHERE status IN ('waiting', 'called', 'serving')),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY {wait}) FILTER (WHERE called_at IS NOT NULL),
       percentile_cont(0.9) WITHIN GROUP (ORDER BY {wait}) FILTER (WHERE called_at IS NOT NULL),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY {service})
           FILTER (WHERE status = 'done' AND finished_at IS NOT NULL)
FROM {table}
WHERE date = %s
GROUP BY GROUPING SETS ((), (offering_id), (counter_id))
""".format(
    table=Ticket._meta.db_table,
    wait="GREATEST(0, EXTRACT(EPOCH FROM called_at"
    " - GREATEST(issued_at, COALESCE(appointment_at, issued_at))))",
    service="GREATEST(0, EXTRACT(EPOCH FROM finished_at"
    " - COALESCE(serving_started_at, called_at)))",
)

_FIELDS = (
    "tickets_issued",
    "walk_ins",
    "booked_tickets",
    "served",
    "no_shows",
    "unserved",
    "wait_median_s",
    "wait_p90_s",
    "service_median_s",
)


def _seconds(value) -> int | None:
    return None if value is None else round(float(value))


@transaction.atomic
def bookings_mark_missed(*, actor=None, day: dt.date) -> int:
    """Bookings of ``day`` (or earlier) never checked in become *missed*. Their places are not
    given back: the day is over."""
    count = Booking.objects.filter(status=Booking.Status.BOOKED, date__lte=day).update(
        status=Booking.Status.MISSED
    )
    if count:
        audit_log(
            actor=actor,
            action="queue.booking.missed_marked",
            data={"date": day.isoformat(), "count": count},
        )
    return count


@transaction.atomic
def daily_figures_compute(*, actor=None, day: dt.date, mark_missed: bool | None = None) -> int:
    """Compute (or recompute: idempotent) the figures of ``day``. Returns the rows written.

    Bookings of a finished day that were never used are first marked *missed* (by default only
    when ``day`` is over, so that recomputing today never touches later bookings of today).
    """
    if mark_missed is None:
        mark_missed = day < local_today()
    if mark_missed:
        bookings_mark_missed(actor=actor, day=day)
    with connection.cursor() as cursor:
        cursor.execute(_TICKET_SQL, [day])
        rows = cursor.fetchall()
    now = timezone.now()
    figures: dict[tuple[str, int | None], dict] = {("total", None): {}}
    for g_offering, g_counter, offering_id, counter_id, *values in rows:
        if g_offering and g_counter:
            key = ("total", None)
        elif not g_offering:
            key = ("offering", offering_id)
        elif counter_id is not None:
            key = ("counter", counter_id)
        else:
            continue  # tickets at no counter (waiting, transferred): in the total only
        figures[key] = {
            **dict(zip(_FIELDS[:6], values[:6], strict=True)),
            "wait_median_s": _seconds(values[6]),
            "wait_p90_s": _seconds(values[7]),
            "service_median_s": _seconds(values[8]),
        }
    booked = (
        Booking.objects.filter(date=day)
        .exclude(status__in=[Booking.Status.CANCELLED, Booking.Status.RESCHEDULED])
        .values_list("offering_id")
        .annotate(n=Count("id"), missed=Count("id", filter=Q(status=Booking.Status.MISSED)))
    )
    total_bookings = total_missed = 0
    for offering_id, n, missed in booked:
        figures.setdefault(("offering", offering_id), {}).update(bookings=n, bookings_missed=missed)
        total_bookings += n
        total_missed += missed
    figures[("total", None)].update(bookings=total_bookings, bookings_missed=total_missed)
    DailyFigure.objects.filter(date=day).delete()
    DailyFigure.objects.bulk_create(
        DailyFigure(
            date=day,
            scope=scope,
            offering_id=ref if scope == "offering" else None,
            counter_id=ref if scope == "counter" else None,
            computed_at=now,
            **values,
        )
        for (scope, ref), values in figures.items()
    )
    return len(figures)
