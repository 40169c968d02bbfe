"""The columns of the national figures contract (brief "Shared contract for national figures").

Each tenant app that feeds national monitoring exposes ``tenants/<app>/figures.py`` with
``daily_figures(day) -> dict[str, int | float | None]``; ``tenants.reporting`` merges the dicts of
the apps that exist and stores one public row per region per day. A column of an absent app stays
NULL (unknown), never 0 (none happened).
"""

from __future__ import annotations

APPLICATIONS = (
    "applications_received",
    "applications_completed",
    "applications_rejected",
    "applications_overdue",
    "applications_completed_on_time",
    "channel_online",
    "channel_counter",
    "channel_assisted",
)
APPLICATION_QUANTILES = ("processing_days_p50", "processing_days_p90")
QUEUE = ("tickets_served", "tickets_no_show")
QUEUE_QUANTILES = ("wait_minutes_p50", "wait_minutes_p90")
COMPLAINTS = (
    "complaints_received",
    "complaints_closed",
    "complaints_closed_on_time",
    "complaints_overdue",
    "complaints_forwarded",
    "complaints_rating_sum",
    "complaints_rating_count",
)
SKM_ELEMENTS = (
    "persyaratan",
    "prosedur",
    "waktu",
    "biaya",
    "produk",
    "kompetensi",
    "perilaku",
    "pengaduan",
    "sarana",
)
SKM = ("skm_respondents", *(f"skm_sum_u{i}" for i in range(1, 10)))
# Snapshots of the MPP as it stands when its latest day is rolled up (tenants.mpp).
SNAPSHOT = ("offerings_active", "booths_active", "staff_active")

#: Additive columns: a province's or the nation's value is the sum of its regions'.
COUNT_COLUMNS: tuple[str, ...] = (*APPLICATIONS, *QUEUE, *COMPLAINTS, *SKM, *SNAPSHOT)
#: Per-region quantiles: not additive; aggregated as a weighted mean of the regions' values.
QUANTILE_COLUMNS: tuple[str, ...] = (*APPLICATION_QUANTILES, *QUEUE_QUANTILES)
ALL_COLUMNS: tuple[str, ...] = (*COUNT_COLUMNS, *QUANTILE_COLUMNS)
#: The weight of each quantile column when regions are combined.
QUANTILE_WEIGHT = {
    "processing_days_p50": "applications_completed",
    "processing_days_p90": "applications_completed",
    "wait_minutes_p50": "tickets_served",
    "wait_minutes_p90": "tickets_served",
}
#: Columns that measure activity (a region with none of these for 14 days is flagged).
ACTIVITY_COLUMNS = ("applications_received", "tickets_served", "complaints_received")


def ikm(respondents: float | None, sums: list[float | None]) -> float | None:
    """IKM (25–100) from the element sums: NRR per element = sum / respondents, IKM = ΣNRR × 1/9
    × 25 with the exact 1/9 (PermenPANRB 14/2017; published results reproduce with it)."""
    if not respondents or any(s is None for s in sums):
        return None
    nrr = [float(s) / float(respondents) for s in sums]  # type: ignore[arg-type]
    return sum(nrr) / 9 * 25


def ikm_grade(value: float | None) -> str:
    """A 88.31–100, B 76.61–88.30, C 65.00–76.60, D 25.00–64.99 (PermenPANRB 14/2017)."""
    if value is None:
        return ""
    value = round(value, 2)
    if value >= 88.31:
        return "A"
    if value >= 76.61:
        return "B"
    if value >= 65.00:
        return "C"
    return "D"


def ratio(part: float | None, whole: float | None) -> float | None:
    """part / whole as a percentage, None when there is nothing to divide."""
    if part is None or not whole:
        return None
    return 100.0 * float(part) / float(whole)
