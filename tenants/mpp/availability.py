"""Keeps the national availability index (``catalogue.ServiceAvailability``, in ``public``) in
step with this region's offerings.

Every offering change schedules ``availability_sync`` on commit. The sync is state-based: it reads
the offering as it is now and makes the index row match (create, update or delete), so callbacks
arriving in any order, or twice, end in the right state. Local-only services have no national
service and never appear in the index.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction
from django_tenants.utils import schema_context

from kernel.oncommit import on_commit_batched
from shared.catalogue.models import ServiceAvailability
from tenants.mpp.models import Offering
from tenants.mpp.selectors import offering_effective_channels
from tenants.mpp.services._common import current_region_id


def availability_sync(*, service_ids: Iterable[int]) -> None:
    """Make the index rows of these national services match this region's offerings now."""
    service_ids = sorted(set(service_ids))
    if not service_ids:
        return
    region_id = current_region_id()
    offerings = {
        o.service_id: o
        for o in Offering.objects.select_related("service").filter(service_id__in=service_ids)
    }
    for service_id in service_ids:
        offering = offerings.get(service_id)
        if offering is None or not offering.is_active:
            ServiceAvailability.objects.filter(service_id=service_id, region_id=region_id).delete()
            continue
        ServiceAvailability.objects.update_or_create(
            service_id=service_id,
            region_id=region_id,
            defaults={
                "offering_id": offering.pk,
                "channels": offering_effective_channels(offering),
            },
        )


def availability_sync_on_commit(*, service_ids: Iterable[int]) -> None:
    """Schedule ``availability_sync`` for after the current transaction commits, in this schema:
    one sync per transaction, for every service it changed."""
    service_ids = {s for s in service_ids if s is not None}
    if not service_ids:
        return
    schema_name = getattr(connection, "schema_name", "public")

    def _run(ids: set) -> None:
        with schema_context(schema_name), transaction.atomic():
            availability_sync(service_ids=ids)

    on_commit_batched(("availability", schema_name), service_ids, _run)


def availability_resync() -> int:
    """Rebuild this region's whole index from its offerings (repair, or after a national change
    of channels). Returns the number of rows now in the index for the region."""
    region_id = current_region_id()
    with transaction.atomic():
        indexed = set(
            ServiceAvailability.objects.filter(region_id=region_id).values_list(
                "service_id", flat=True
            )
        )
        offered = set(
            Offering.objects.filter(service__isnull=False).values_list("service_id", flat=True)
        )
        availability_sync(service_ids=indexed | offered)
        return ServiceAvailability.objects.filter(region_id=region_id).count()
