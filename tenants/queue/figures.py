"""The queue's part of the national figures (contract: shared.monitoring.figures), for the
region's local day ``day``, in the CURRENT region schema.

Waiting time is measured as in ``tenants.queue.services.figures`` (arrival, or the booked time
for an early booked citizen, to the first call), in minutes. ``channel_counter`` is the walk-in
tickets served: citizens served at a counter in person, the third channel beside online and
assisted applications.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection

from tenants.queue.models import Ticket

_SQL = """
SELECT count(*) FILTER (WHERE status = 'done'),
       count(*) FILTER (WHERE status = 'no_show'),
       count(*) FILTER (WHERE status = 'done' AND kind = 'walk_in'),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY {wait}) FILTER (WHERE called_at IS NOT NULL),
       percentile_cont(0.9) WITHIN GROUP (ORDER BY {wait}) FILTER (WHERE called_at IS NOT NULL)
FROM {table} WHERE date = %s
""".format(
    table=Ticket._meta.db_table,
    wait="GREATEST(0, EXTRACT(EPOCH FROM called_at"
    " - GREATEST(issued_at, COALESCE(appointment_at, issued_at)))) / 60.0",
)


def daily_figures(day: dt.date) -> dict[str, int | float | None]:
    with connection.cursor() as cursor:
        cursor.execute(_SQL, [day])
        served, no_show, walk_in, p50, p90 = cursor.fetchone()
    return {
        "tickets_served": served,
        "tickets_no_show": no_show,
        "channel_counter": walk_in,
        "wait_minutes_p50": None if p50 is None else round(float(p50), 2),
        "wait_minutes_p90": None if p90 is None else round(float(p90), 2),
    }
