"""Beat tasks of national monitoring (public schema). The per-region work is the region task
``reporting.rollup_region`` in ``tenants.reporting``, enqueued by name."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="monitoring.rollup_nightly")
def monitoring_rollup_nightly() -> int:
    """After midnight: yesterday (and the trailing days) for every live region."""
    from shared.monitoring.rollups import rollup_nightly

    return rollup_nightly().pk


@shared_task(name="monitoring.rollup_resume")
def monitoring_rollup_resume() -> int:
    """Retries failed regions after their back-off, and re-sends items lost in a crash."""
    from shared.monitoring.rollups import rollup_resume

    return rollup_resume()
