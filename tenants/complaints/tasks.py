"""Periodic region job of the complaints app, fanned out to every live region by
``mpp_platform.dispatch_to_live_regions`` (see CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

import datetime as dt

from kernel.tasks import region_task


@region_task(name="complaints.daily")
def complaints_daily(*, schema_name: str, day: str | None = None) -> dict:
    """Runs in one region's schema each morning: reminders and escalations for ``day`` (ISO
    date; default today in the region's time zone), then the figures of the day before."""
    from tenants.complaints.figures import daily_figures_store
    from tenants.complaints.services import complaints_sweep
    from tenants.mpp.selectors import region_today

    today = dt.date.fromisoformat(day) if day else region_today()
    result = complaints_sweep(today=today)
    daily_figures_store(day=today - dt.timedelta(days=1))
    return result
