"""The applications' part of the national figures (contract: shared.monitoring.figures).

Runs in the CURRENT region schema, for the region's local calendar day ``day``:

- received: first submitted that day, split by channel: *online* (the citizen submitted it) and
  *assisted* (counter staff entered it for a walk-in). *counter* (walk-ins served at a counter
  without an application) comes from the queue (tenants.queue.figures); here it is None;
- completed / rejected: finished that day; completed on time: finished no later than its due
  date (the standard's working days, counted from the latest submission);
- overdue: a snapshot at the end of the day of submitted, unfinished applications whose due date
  had passed (returned ones excluded: the clock stops while the citizen fixes them);
- processing days p50/p90: working days from the first submission to the finish, over the
  applications finished (completed or rejected) that day.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q

from shared.citizens.models import ApplicationStatus
from tenants.applications.models import Application
from tenants.mpp.selectors import region_timezone, working_day_calendar


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of the region's local day, as aware datetimes."""
    tz = region_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    return start, start + dt.timedelta(days=1)


def percentile(values: list[float], q: float) -> float | None:
    """Linear interpolation between closest ranks, as PostgreSQL's percentile_cont."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def working_days_until(starts: list[dt.date], day: dt.date) -> list[int]:
    """Working days after each start up to ``day`` (inclusive), from one calendar of the
    region (one query for its closures, not one per application)."""
    if not starts:
        return []
    first = min(starts) + dt.timedelta(days=1)
    calendar = working_day_calendar(first, day)
    # Working days from ``first`` to each date, as a running count.
    running, count, d = {}, 0, first
    while d <= day:
        count += calendar.is_working_day(d)
        running[d] = count
        d += dt.timedelta(days=1)
    return [count - running.get(s, 0) if s >= first else count for s in starts]


def daily_figures(day: dt.date) -> dict[str, int | float | None]:
    start, end = day_bounds(day)
    tz = region_timezone()
    received = Application.objects.filter(
        first_submitted_at__gte=start, first_submitted_at__lt=end
    ).aggregate(
        total=Count("id"),
        assisted=Count("id", filter=Q(is_assisted=True)),
    )
    finished = list(
        Application.objects.filter(
            finished_at__gte=start,
            finished_at__lt=end,
            status__in=[ApplicationStatus.COMPLETED, ApplicationStatus.REJECTED],
        ).values_list("status", "first_submitted_at", "due_date")
    )
    completed = [f for f in finished if f[0] == ApplicationStatus.COMPLETED]
    overdue = (
        Application.objects.filter(first_submitted_at__lt=end, due_date__lt=day)
        .exclude(status__in=[ApplicationStatus.DRAFT, ApplicationStatus.RETURNED])
        .filter(Q(finished_at__isnull=True) | Q(finished_at__gte=end))
        .count()
    )

    submitted_days = [s.astimezone(tz).date() for _, s, _ in finished if s is not None]
    durations = [float(n) for n in working_days_until(submitted_days, day)]
    return {
        "applications_received": received["total"],
        "applications_completed": len(completed),
        "applications_rejected": len(finished) - len(completed),
        "applications_overdue": overdue,
        "applications_completed_on_time": sum(
            1 for _, _, due in completed if due is None or day <= due
        ),
        "channel_online": received["total"] - received["assisted"],
        "channel_assisted": received["assisted"],
        "processing_days_p50": percentile(durations, 0.5),
        "processing_days_p90": percentile(durations, 0.9),
    }


def changed_days(since: dt.datetime) -> set[dt.date]:
    """Local days whose figures an application changed since ``since`` touches (late changes:
    a back-dated finish, a correction): its first submission and its finish."""
    tz = region_timezone()
    days: set[dt.date] = set()
    for submitted, finished in Application.objects.filter(updated_at__gte=since).values_list(
        "first_submitted_at", "finished_at"
    ):
        for moment in (submitted, finished):
            if moment is not None:
                days.add(moment.astimezone(tz).date())
    return days
