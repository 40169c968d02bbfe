"""The region task of a roll-up run (``shared.monitoring.rollups`` creates and retries them)."""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from kernel.tasks import region_task


@region_task(name="reporting.rollup_region")
def reporting_rollup_region(*, schema_name: str, item_id: int) -> int:
    """One region's share of a run. A failure is recorded on the item (and retried later by
    ``monitoring.rollup_resume``), not raised: the worker goes on with the other regions."""
    from shared.monitoring import rollups
    from tenants.reporting.compute import region_rollup

    item = rollups.rollup_item_begin(item_id=item_id)
    if item is None:
        return 0
    if item.schema_name != schema_name:
        raise ValueError(f"item {item_id} belongs to {item.schema_name}, not {schema_name}")
    started = timezone.now()
    try:
        with transaction.atomic():
            # A roll-up can always be recomputed: no need to wait for its commit to reach disk
            # (a crash loses at most this region's run, which rollup_resume then repeats).
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
            days, _changed = region_rollup(
                start=item.job.start,
                end=item.job.end,
                since=rollups.rollup_since(item.region_id),
                province_id=item.region.province_id,
            )
            rollups.rollup_item_done(item=item, days_written=days, started_at=started)
    except Exception as exc:
        rollups.rollup_item_failed(item=item, error=exc)
        return -1
    return days
