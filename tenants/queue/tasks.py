"""Background work of the queue. Region tasks: explicit schema, fail closed (kernel.tasks).
``queue.daily_figures`` is dispatched every night to every live region by Celery beat."""

from __future__ import annotations

import datetime as dt

from kernel.tasks import region_task


@region_task(name="queue.daily_figures")
def queue_daily_figures(*, schema_name: str, day: str | None = None) -> int:
    """The figures of ``day`` (ISO date; default yesterday in the region's time zone)."""
    from tenants.queue.selectors import local_today
    from tenants.queue.services.figures import daily_figures_compute

    target = dt.date.fromisoformat(day) if day else local_today() - dt.timedelta(days=1)
    return daily_figures_compute(day=target)


@region_task(name="queue.booking_notify")
def queue_booking_notify(*, schema_name: str, booking_id: int, kind: str) -> int:
    """Booking confirmation or cancellation to the citizen, after the booking committed."""
    from tenants.queue.services.notify import booking_notify

    return booking_notify(booking_id=booking_id, kind=kind)


@region_task(name="queue.booking_reminders")
def queue_booking_reminders(*, schema_name: str) -> int:
    """The reminder the day before each booking (dispatched every afternoon by beat)."""
    from tenants.queue.services.notify import booking_reminders_send

    return booking_reminders_send()
