from celery import shared_task


@shared_task(name="citizens.retention_purge", ignore_result=True)
def retention_purge_task() -> int:
    """Destroy the archives of deleted accounts whose retention period is over (daily; runs in
    ``public`` and visits only the regions each citizen had applications in)."""
    from shared.citizens.services.retention import retention_purge

    return sum(1 for _profile, counts in retention_purge() if counts)
