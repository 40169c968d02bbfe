"""Measured indicators: a value from the region's roll-ups over the period's data range and its
score on the 0–5 scale. Reads only public roll-up tables."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Q, Sum

from shared.monitoring.figures import ikm, ratio
from shared.monitoring.models import RegionDay


@dataclass(frozen=True)
class Measured:
    value: float | None
    score: float | None
    note: str = ""


def _clamp(score: float) -> float:
    return round(max(0.0, min(5.0, score)), 2)


def _percent_score(value: float | None) -> Measured:
    return Measured(value, None if value is None else _clamp(value / 20))


def region_totals(region_id: int, start: dt.date, end: dt.date) -> dict:
    rows = RegionDay.objects.filter(region_id=region_id, day__gte=start, day__lte=end)
    return rows.aggregate(
        completed=Sum("applications_completed"),
        on_time=Sum("applications_completed_on_time"),
        received=Sum("applications_received"),
        online=Sum("channel_online"),
        closed=Sum("complaints_closed"),
        closed_on_time=Sum("complaints_closed_on_time"),
        respondents=Sum("skm_respondents"),
        **{f"u{i}": Sum(f"skm_sum_u{i}") for i in range(1, 10)},
        active_days=Count("id", filter=Q(applications_received__gt=0) | Q(tickets_served__gt=0)),
        weekdays=Count("id", filter=Q(day__week_day__in=[2, 3, 4, 5, 6])),
        offerings=Max("offerings_active"),
    )


def _measure(name: str, t: dict) -> Measured:
    if name == "sla_compliance":
        return _percent_score(ratio(t["on_time"], t["completed"]))
    if name == "complaints_on_time":
        return _percent_score(ratio(t["closed_on_time"], t["closed"]))
    if name == "online_share":
        return _percent_score(ratio(t["online"], t["received"]))
    if name == "service_days":
        return _percent_score(ratio(min(t["active_days"], t["weekdays"]), t["weekdays"]))
    if name == "ikm":
        value = ikm(t["respondents"], [t[f"u{i}"] for i in range(1, 10)])
        return Measured(value, None if value is None else _clamp(value / 20))
    if name == "skm_respondents":
        n = t["respondents"]
        return Measured(n, None if n is None else _clamp(float(n) / 100 * 5))
    if name == "offerings_published":
        n = t["offerings"]
        return Measured(n, None if n is None else (5.0 if n > 0 else 0.0))
    raise KeyError(name)


MEASURES: tuple[str, ...] = (
    "sla_compliance",
    "complaints_on_time",
    "online_share",
    "service_days",
    "ikm",
    "skm_respondents",
    "offerings_published",
)


def measure(name: str, totals: dict) -> Measured:
    """The value and score of measure ``name`` from ``region_totals``."""
    return _measure(name, totals)
