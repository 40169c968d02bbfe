"""Region jobs of the applications app: the periodic ones (fanned out by
``mpp_platform.dispatch_to_live_regions``; see CELERY_BEAT_SCHEDULE) and the citizen's notice
of a status change (enqueued by the change itself)."""

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


@region_task(name="applications.status_notify")
def status_notify(*, schema_name: str, status_change_id: int) -> int:
    """The citizen's notice of one status change, after the change committed (once, in their
    language)."""
    from tenants.applications.services.notify import application_status_notify

    return application_status_notify(status_change_id=status_change_id)
