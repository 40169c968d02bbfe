"""Region jobs of the complaints app: the periodic one, fanned out to every live region by
``mpp_platform.dispatch_to_live_regions`` (see CELERY_BEAT_SCHEDULE), and the notices of a
complaint's steps and messages (enqueued by the step itself, after commit)."""

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


@region_task(name="complaints.event_notify")
def event_notify(*, schema_name: str, event_id: int) -> int:
    """The notices of one step of a complaint (complainant and staff), once, after commit."""
    from tenants.complaints.services.notify import complaint_event_notify

    return complaint_event_notify(event_id=event_id)


@region_task(name="complaints.message_notify")
def message_notify(*, schema_name: str, message_id: int) -> int:
    """The notice of one message on a complaint (to the other side), once, after commit."""
    from tenants.complaints.services.notify import complaint_message_notify

    return complaint_message_notify(message_id=message_id)
