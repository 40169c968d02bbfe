"""What this app tells the citizen's side (shared.citizens.hooks) about one citizen: their
complaints for "download my data", and what an account deletion erases. Runs only in the schemas
of the regions the citizen complained in (from the public ``ComplaintIndex``), never all 514."""

from __future__ import annotations

from django_tenants.utils import schema_context, tenant_context

from kernel.files import extension_for
from shared.complaints.models import ComplaintIndex
from shared.regions.models import Mpp, Region


def complaints_export(profile) -> dict:
    """``pengaduan.json`` (each complaint as its author sees it on the complaint page: status,
    history, messages, answer, rating) and ``pengaduan/`` with the evidence files the citizen
    can open there. Internal staff notes and their files are not the citizen's and stay out."""
    from tenants.complaints.models import Complaint
    from tenants.complaints.selectors import citizen_view, with_thread

    user_id = profile.user_id
    if user_id is None:
        return {}
    rows = ComplaintIndex.objects.filter(owner_id=user_id)
    region_ids = set(rows.values_list("region_id", flat=True))
    complaints: list[dict] = []
    files: dict[str, bytes] = {}
    for mpp in Mpp.objects.filter(region_id__in=region_ids).select_related("region__province"):
        # The tenant itself (not only its schema): the complaint pages read the region's clock.
        with tenant_context(mpp):
            for complaint in with_thread(Complaint.objects.filter(owner_id=user_id)):
                view = citizen_view(complaint)
                internal = {
                    a.pk
                    for m in complaint.messages.all()
                    if m.is_internal
                    for a in m.attachments.all()
                }
                shown = []
                for attachment in complaint.attachments.all():
                    if attachment.pk in internal:
                        continue
                    name = (
                        f"pengaduan/{complaint.number}/{attachment.pk}"
                        f"{extension_for(attachment.content_type)}"
                    )
                    try:
                        with attachment.file.open("rb") as handle:
                            files[name] = handle.read()
                    except FileNotFoundError:
                        name = ""
                    shown.append(
                        {
                            "file": name,
                            "original_name": attachment.original_name,
                            "from": attachment.get_side_display(),
                            "uploaded_at": attachment.uploaded_at,
                        }
                    )
                for page_only in (
                    "id",
                    "offering_id",
                    "application_id",
                    "can_message",
                    "can_reopen",
                    "reopen_until",
                    "can_rate",
                ):
                    view.pop(page_only, None)
                complaints.append({"region": mpp.region.name, **view, "attachments": shown})
    return {"pengaduan.json": complaints, **files}


def erase_complainant(profile) -> None:
    """On account deletion: the identity their complaints carry (name, phone, e-mail) is erased
    in the regions they complained in, and their "Pengaduan saya" rows go. The complaints
    themselves stay: the MPP's record of what was reported and how it was handled, now without
    a person."""
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
