"""Figures of the complaint handling of the CURRENT region schema, for the national roll-up
(shared contract, see the brief of issues 14–16) and the region's own transparency page.

``daily_figures(day)`` counts, for the region's local calendar ``day``:
- complaints_received: filed that day;
- complaints_closed / complaints_closed_on_time: handling ended that day by an answer or as
  "not a complaint" (forwarding to LAPOR! is counted apart), and how many by their deadline;
- complaints_overdue: still open at the end of the day with their deadline already passed;
- complaints_forwarded: forwarded to SP4N-LAPOR! that day;
- complaints_rating_sum / complaints_rating_count: ratings given that day (mean = sum / count).
One query, no personal data.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import Avg, Count, Q, Sum
from django.utils import timezone

from shared.complaints.models import ComplaintKind, ComplaintStatus
from tenants.complaints.models import Complaint, DailyFigure
from tenants.mpp.selectors import region_timezone, region_today

KEYS = (
    "complaints_received",
    "complaints_closed",
    "complaints_closed_on_time",
    "complaints_overdue",
    "complaints_forwarded",
    "complaints_rating_sum",
    "complaints_rating_count",
)
_ENDED = (ComplaintStatus.CLOSED, ComplaintStatus.NOT_COMPLAINT)


def _bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time.min, tzinfo=region_timezone())
    return start, start + dt.timedelta(days=1)


def daily_figures(day: dt.date) -> dict[str, int | float | None]:
    start, end = _bounds(day)
    ended_today = Q(closed_at__gte=start, closed_at__lt=end)
    still_open_at_end = Q(received_on__lte=day) & (
        Q(closed_at__isnull=True) | Q(closed_at__gte=end)
    )
    triaged = Q(triaged_at__lt=end)
    past_due = (triaged & Q(resolution_due__lt=day)) | (~triaged | Q(triaged_at__isnull=True)) & Q(
        response_due__lt=day
    )
    rated_today = Q(rated_at__gte=start, rated_at__lt=end)
    row = Complaint.objects.aggregate(
        complaints_received=Count("id", filter=Q(received_on=day)),
        complaints_closed=Count("id", filter=ended_today & Q(status__in=_ENDED)),
        complaints_closed_on_time=Count(
            "id", filter=ended_today & Q(status__in=_ENDED, closed_on_time=True)
        ),
        complaints_overdue=Count("id", filter=still_open_at_end & past_due),
        complaints_forwarded=Count(
            "id",
            filter=Q(
                status=ComplaintStatus.FORWARDED, forwarded_at__gte=start, forwarded_at__lt=end
            ),
        ),
        complaints_rating_sum=Sum("rating", filter=rated_today, default=0),
        complaints_rating_count=Count("id", filter=rated_today),
    )
    return {key: row[key] for key in KEYS}


def daily_figures_store(*, day: dt.date) -> DailyFigure:
    """Keep the day's figures in the region's schema (recomputing replaces them)."""
    values = daily_figures(day)
    row, _created = DailyFigure.objects.update_or_create(
        date=day, defaults={**values, "computed_at": timezone.now()}
    )
    return row


# --- transparency (public, last 12 months) -------------------------------------------------------
def _months_back(today: dt.date, n: int) -> dt.date:
    year, month = today.year, today.month - n
    while month <= 0:
        month += 12
        year -= 1
    return dt.date(year, month, 1)


def transparency(today: dt.date | None = None) -> dict:
    """Aggregates of the last 12 months (this month and the 11 before): counts by kind and
    status, the share closed on time, the median days to close, the mean rating. Three queries,
    nothing about any person."""
    today = today or region_today()
    since = _months_back(today, 11)
    period = Complaint.objects.filter(received_on__gte=since, received_on__lte=today)
    counts = {
        (kind, status): n
        for kind, status, n in period.values_list("kind", "status").annotate(n=Count("id"))
    }
    by_kind = [
        {
            "kind": kind,
            "label": label,
            "statuses": [
                {"status": status, "label": s_label, "count": counts.get((kind, status), 0)}
                for status, s_label in ComplaintStatus.choices
            ],
            "total": sum(counts.get((kind, s), 0) for s in ComplaintStatus.values),
        }
        for kind, label in ComplaintKind.choices
    ]
    totals = period.aggregate(
        total=Count("id"),
        ended=Count("id", filter=Q(status__in=_ENDED)),
        on_time=Count("id", filter=Q(status__in=_ENDED, closed_on_time=True)),
        forwarded=Count("id", filter=Q(status=ComplaintStatus.FORWARDED)),
        open=Count(
            "id", filter=Q(status__in=(ComplaintStatus.RECEIVED, ComplaintStatus.IN_PROGRESS))
        ),
        rating_mean=Avg("rating"),
        rating_count=Count("rating"),
    )
    tz = str(region_timezone())
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT percentile_cont(0.5) WITHIN GROUP (
                       ORDER BY (closed_at AT TIME ZONE %s)::date - received_on)
            FROM {Complaint._meta.db_table}
            WHERE received_on BETWEEN %s AND %s AND status = ANY(%s) AND closed_at IS NOT NULL
            """,  # noqa: S608 - the table name is ours, values are parameters
            [tz, since, today, list(_ENDED)],
        )
        median = cursor.fetchone()[0]
    ended = totals["ended"]
    return {
        "since": since,
        "until": today,
        "by_kind": by_kind,
        "total": totals["total"],
        "open": totals["open"],
        "ended": ended,
        "forwarded": totals["forwarded"],
        "on_time": totals["on_time"],
        "on_time_share": round(100 * totals["on_time"] / ended, 1) if ended else None,
        "median_days_to_close": float(median) if median is not None else None,
        "rating_mean": round(float(totals["rating_mean"]), 2)
        if totals["rating_mean"] is not None
        else None,
        "rating_count": totals["rating_count"],
    }
