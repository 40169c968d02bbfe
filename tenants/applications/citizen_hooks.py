"""What this app tells the citizen's side (shared.citizens.hooks) about one citizen: which
vault documents submitted applications carry, and the drafts an account deletion removes. Runs
only in the schemas of the regions the citizen has applications in."""

from __future__ import annotations

from django_tenants.utils import schema_context

from shared.citizens.models import ApplicationIndex, ApplicationStatus
from shared.regions.models import Region


def _regions_of(profile) -> list[Region]:
    ids = ApplicationIndex.objects.filter(profile=profile).values_list("region_id", flat=True)
    return list(Region.objects.filter(pk__in=set(ids)))


def attached_documents(profile) -> set[int]:
    from tenants.applications.models import ApplicationRequirement

    found: set[int] = set()
    for region in _regions_of(profile):
        with schema_context(region.schema_name):
            found |= set(
                ApplicationRequirement.objects.filter(
                    application__citizen_id=profile.pk, document_id__isnull=False
                )
                .exclude(application__status=ApplicationStatus.DRAFT)
                .values_list("document_id", flat=True)
            )
    return found


def delete_drafts(profile) -> None:
    from tenants.applications.models import Application

    for region in _regions_of(profile):
        with schema_context(region.schema_name):
            Application.objects.filter(
                citizen_id=profile.pk, status=ApplicationStatus.DRAFT
            ).delete()
