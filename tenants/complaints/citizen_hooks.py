"""What this app does when a citizen deletes their account (shared.citizens.hooks): the identity
their complaints carry (name, phone, e-mail) is erased in the regions they complained in, and
their "Pengaduan saya" rows go. The complaints themselves stay: the MPP's record of what was
reported and how it was handled, now without a person. Runs only in those regions' schemas."""

from __future__ import annotations

from django_tenants.utils import schema_context

from shared.complaints.models import ComplaintIndex
from shared.regions.models import Region


def erase_complainant(profile) -> None:
    from tenants.complaints.models import Complaint

    user_id = profile.user_id
    if user_id is None:
        return
    rows = ComplaintIndex.objects.filter(owner_id=user_id)
    regions = Region.objects.filter(pk__in=set(rows.values_list("region_id", flat=True)))
    for region in regions:
        with schema_context(region.schema_name):
            Complaint.objects.filter(owner_id=user_id).update(
                complainant_name="", complainant_phone="", complainant_email=""
            )
    rows.delete()
