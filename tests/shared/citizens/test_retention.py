"""The end of the retention period: what a deleted account kept with its completed applications
(applicant data, attached vault documents, result files) is destroyed by the daily task, which a
dry run lists first; live accounts and archives still in their period are never touched."""

import datetime as dt
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from shared.audit.models import AuditEntry
from shared.citizens.models import (
    AccessAction,
    ApplicationIndex,
    CitizenProfile,
    DataAccessLog,
    Document,
)
from shared.citizens.services import access_log_record
from shared.citizens.services.retention import retention_purge
from shared.citizens.services.rights import citizen_account_delete
from tests.shared.citizens.conftest import pdf_bytes
from tests.tenants.applications import conftest as _applications

doc_types = _applications.doc_types
citizen = _applications.citizen
submitted = _applications.submitted
mpp_a = _applications.mpp_a


@pytest.fixture
def deleted_with_archive(mpp_a, citizen, submitted, in_region):
    """``citizen`` completed ``submitted`` (a result file was issued), then deleted the account:
    the application, its applicant data, its KTP/KK and the result are kept for the period."""
    from tenants.applications.models import Application, ApplicationFile

    with in_region(mpp_a.mpp):
        Application.objects.filter(pk=submitted.pk).update(status="completed", result_kind="pickup")
        result = ApplicationFile(
            application_id=submitted.pk,
            purpose=ApplicationFile.Purpose.RESULT,
            original_name="surat.pdf",
            content_type="application/pdf",
            size=10,
            sha256="0" * 64,
        )
        result.file.save("surat.pdf", ContentFile(pdf_bytes("hasil")), save=False)
        result.save()
    ApplicationIndex.objects.filter(profile=citizen.profile).update(status="completed")
    access_log_record(
        profile=citizen.profile,
        actor=mpp_a.operator,
        role="operator",
        region=mpp_a.mpp.region,
        action=AccessAction.APPLICATION_OPENED,
    )
    citizen_account_delete(user=citizen.user, profile=citizen.profile, password="rahasia-123")
    profile = CitizenProfile.objects.get(pk=citizen.profile.pk)
    return profile, result


def _storage_has(document_or_file) -> bool:
    return document_or_file.file.storage.exists(document_or_file.file.name)


def test_kept_until_the_last_day_then_destroyed_after_a_dry_run(
    deleted_with_archive,
    citizen,
    submitted,
    mpp_a,
    in_region,
    make_citizen,
    doc_types,
    django_capture_on_commit_callbacks,
):
    from tenants.applications.models import Application, ApplicationFile, ApplicationRequirement

    profile, result = deleted_with_archive
    assert profile.retain_until == timezone.localdate().replace(year=timezone.localdate().year + 5)
    kept = list(Document.objects.filter(profile=profile, archived_at__isnull=True))
    assert {d.pk for d in kept} == {citizen.ktp.pk, citizen.kk.pk}
    live_user, live_profile = make_citizen(nik="3510011508850002", email="hidup@warga.test")

    # The last day of the period: still kept.
    assert retention_purge(today=profile.retain_until) == []

    # The day after, a dry run lists it and changes nothing.
    CitizenProfile.objects.filter(pk=profile.pk).update(
        retain_until=timezone.localdate() - dt.timedelta(days=1)
    )
    out = StringIO()
    call_command("retention_purge", "--dry-run", stdout=out)
    listed = out.getvalue()
    assert f"profile {profile.pk} " in listed
    assert "applications=1" in listed
    assert "application_files=1" in listed
    assert "vault_documents=2" in listed
    assert "1 archive(s) would be purged" in listed
    assert all(_storage_has(d) for d in kept)
    assert CitizenProfile.objects.get(pk=profile.pk).purged_at is None

    # The real run destroys it.
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("retention_purge", stdout=out)
    assert "1 archive(s) purged, 0 failed" in out.getvalue()
    assert not Document.objects.filter(profile=profile).exists()
    assert not any(_storage_has(d) for d in kept)
    assert not ApplicationIndex.objects.filter(profile=profile).exists()
    assert not DataAccessLog.objects.filter(profile=profile).exists()
    purged = CitizenProfile.objects.get(pk=profile.pk)
    assert purged.purged_at is not None
    with in_region(mpp_a.mpp):
        application = Application.objects.get(pk=submitted.pk)  # the anonymous record stays
        assert application.number == submitted.number
        assert application.status == "completed"
        assert application.applicant == {}
        assert application.data == {}
        assert not ApplicationRequirement.objects.filter(
            application=application, document__isnull=False
        ).exists()
        assert not ApplicationFile.objects.filter(application=application).exists()
    assert not result.file.storage.exists(result.file.name)
    entry = AuditEntry.objects.get(action="citizens.archive.purged", target_id=str(profile.pk))
    assert entry.data["vault_documents"] == 2
    assert entry.data["applications"] == 1

    # Nothing is due any more; the live account was never touched.
    assert retention_purge() == []
    assert CitizenProfile.objects.get(pk=live_profile.pk).purged_at is None
    assert CitizenProfile.objects.get(pk=live_profile.pk).full_name == live_user.full_name


def test_staff_can_still_open_a_purged_application(
    deleted_with_archive, submitted, mpp_a, client_a
):
    profile, _result = deleted_with_archive
    CitizenProfile.objects.filter(pk=profile.pk).update(
        retain_until=timezone.localdate() - dt.timedelta(days=1)
    )
    retention_purge()
    client_a.force_login(mpp_a.operator)
    page = client_a.get(f"/petugas/permohonan/{submitted.pk}/")
    assert page.status_code == 200
    assert submitted.number in page.content.decode()


def test_the_daily_task_is_scheduled_and_registered(settings):
    from mpp_platform.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["citizens-retention-purge"]
    assert entry["task"] == "citizens.retention_purge"
    assert "citizens.retention_purge" in app.tasks


def test_the_task_purges_what_is_due(deleted_with_archive):
    from shared.citizens.tasks import retention_purge_task

    profile, _result = deleted_with_archive
    assert retention_purge_task() == 0
    CitizenProfile.objects.filter(pk=profile.pk).update(
        retain_until=timezone.localdate() - dt.timedelta(days=1)
    )
    assert retention_purge_task() == 1
    assert CitizenProfile.objects.get(pk=profile.pk).purged_at is not None
