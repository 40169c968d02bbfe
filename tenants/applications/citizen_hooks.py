"""What this app tells the citizen's side (shared.citizens.hooks) about one citizen: which
vault documents submitted applications carry, the drafts an account deletion removes, and what
the end of the retention period destroys. Runs only in the schemas of the regions the citizen
has applications in."""

from __future__ import annotations

import functools

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


def _delete_files(files) -> None:
    for row in files:
        if row.file.name:
            row.file.storage.delete(row.file.name)


def purge_retained(profile, *, dry_run: bool) -> dict[str, int]:
    """The retention period after the account's deletion is over: the applicant snapshots, the
    extra-field answers and every file of the citizen's applications go (result documents
    included), and the requirements let go of the vault documents that are destroyed next. The
    application rows stay, anonymous, for the region's records and figures. ``dry_run``: count
    only."""
    from django.db import transaction

    from tenants.applications.models import Application, ApplicationFile, ApplicationRequirement

    counts = {"applications": 0, "application_files": 0}
    for region in _regions_of(profile):
        with schema_context(region.schema_name):
            applications = Application.objects.filter(citizen_id=profile.pk)
            files = list(ApplicationFile.objects.filter(application__in=applications))
            counts["applications"] += applications.count()
            counts["application_files"] += len(files)
            if dry_run:
                continue
            transaction.on_commit(functools.partial(_delete_files, files))
            ApplicationFile.objects.filter(pk__in=[f.pk for f in files]).delete()
            ApplicationRequirement.objects.filter(application__in=applications).update(
                document=None
            )
            applications.update(applicant={}, data={}, claim_code_hash="")
    return counts


def rotate_applicant_niks(stdout) -> int:
    """Re-encrypt the NIK of every applicant snapshot, region by region (rotate_nik_keys)."""
    from django.db import transaction
    from django_tenants.utils import get_public_schema_name, get_tenant_model

    from shared.citizens.crypto import is_current_token, reencrypt_nik
    from tenants.applications.models import Application

    total = 0
    tenants = get_tenant_model().objects.exclude(schema_name=get_public_schema_name())
    for tenant in tenants.order_by("schema_name"):
        changed = 0
        with schema_context(tenant.schema_name):
            rows = Application.objects.filter(applicant__has_key="nik_encrypted").only(
                "pk", "applicant"
            )
            for application in rows.iterator():
                snapshot = dict(application.applicant)
                if not is_current_token(snapshot["nik_encrypted"]):
                    snapshot["nik_encrypted"] = reencrypt_nik(snapshot["nik_encrypted"])
                    with transaction.atomic():
                        Application.objects.filter(pk=application.pk).update(applicant=snapshot)
                    changed += 1
        stdout.write(f"{tenant.schema_name}: {changed}")
        total += changed
    return total
