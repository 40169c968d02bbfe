"""Periodic region jobs of the applications app (fanned out by
``mpp_platform.dispatch_to_live_regions``; see CELERY_BEAT_SCHEDULE)."""

from kernel.tasks import region_task


@region_task(name="applications.notify_overdue")
def notify_overdue(*, schema_name: str) -> int:
    """Runs in one region's schema: tell booth supervisors about overdue applications."""
    from tenants.applications.services import applications_notify_overdue

    return applications_notify_overdue()


@region_task(name="applications.notify_due_tomorrow")
def notify_due_tomorrow(*, schema_name: str) -> int:
    """Runs in one region's schema: tell booth supervisors what is due tomorrow."""
    from tenants.applications.services import applications_notify_due_tomorrow

    return applications_notify_due_tomorrow()
