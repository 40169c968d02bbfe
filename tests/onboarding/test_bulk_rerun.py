"""Re-running a decree is safe: rows for regions already live (the pilots) or already being
provisioned are "nothing to do", the file applies to the others, and applying the same file a
second time changes nothing. A decree provisions in parallel, one process per core."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from rest_framework.test import APIClient

from onboarding.bulk import bulk_apply, bulk_validate
from onboarding.models import BulkBatch, Onboarding, PipelineStep
from onboarding.provisioning.parallel import pipelines_run
from onboarding.provisioning.template import schema_drop
from shared.accounts.models import Membership, User
from shared.audit.models import AuditEntry
from shared.regions.models import Mpp, Region

HEADER = "kode;nomor_keputusan;tanggal_keputusan;email_admin\n"
LIVE = "35.10"  # region_a: provisioned for the whole session, the "pilot"
NEW = ["21.01", "21.02", "21.03"]


def _decree(codes) -> bytes:
    return (
        HEADER + "".join(f"{code};457/2024;2024-06-03;admin.{code}@decree.test\n" for code in codes)
    ).encode()


def _state(schemas):
    return (
        Onboarding.objects.count(),
        BulkBatch.objects.count(),
        PipelineStep.objects.count(),
        AuditEntry.objects.count(),
        Mpp.objects.count(),
        User.objects.count(),
        frozenset(schemas()),
    )


def test_a_decree_listing_live_regions_applies_to_the_others(region_a, superadmin, schemas):
    validation = bulk_validate(_decree([LIVE, *NEW]))
    assert validation.ok, validation.errors
    assert [r.region.code for r in validation.rows] == NEW
    [skipped] = validation.skipped
    assert (skipped.row, skipped.code) == (2, LIVE)
    assert skipped.message == "Kabupaten Banyuwangi sudah live, tidak ada yang perlu dilakukan."
    batch = bulk_apply(actor=superadmin, validation=validation, enqueue=False)
    assert batch.row_count == 3
    outcomes = pipelines_run([o.pk for o in batch.onboardings.all()], jobs=1)
    assert set(outcomes.values()) == {"done"}
    assert Mpp.objects.filter(region__code__in=NEW, status=Mpp.Status.LIVE).count() == 3

    before = _state(schemas)
    again = bulk_validate(_decree([LIVE, *NEW]))
    assert again.ok
    assert again.rows == []
    assert {r.code for r in again.skipped} == {LIVE, *NEW}
    assert all("sudah live, tidak ada yang perlu dilakukan" in r.message for r in again.skipped)
    assert bulk_apply(actor=superadmin, validation=again, enqueue=False) is None
    assert _state(schemas) == before


def test_regions_still_being_provisioned_are_nothing_to_do_too(superadmin, schemas):
    first = bulk_apply(actor=superadmin, validation=bulk_validate(_decree(NEW)), enqueue=False)
    before = _state(schemas)
    again = bulk_validate(_decree(NEW))
    assert again.rows == []
    assert {r.code for r in again.skipped} == set(NEW)
    assert all("sedang disiapkan" in r.message for r in again.skipped)
    assert bulk_apply(actor=superadmin, validation=again, enqueue=False) is None
    assert _state(schemas) == before
    assert first.onboardings.count() == 3


def test_console_reports_the_live_regions_and_changes_nothing(region_a, superadmin_client):
    upload = SimpleUploadedFile("kepmen.csv", _decree([LIVE]), "text/csv")
    response = superadmin_client.post("/onboarding/massal/", {"file": upload})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Tidak ada yang perlu dilakukan" in body
    assert "sudah live, tidak ada yang perlu dilakukan" in body
    assert not BulkBatch.objects.exists()


def test_console_applies_the_rest_and_says_which_were_live(
    region_a, superadmin_client, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("kepmen.csv", _decree([LIVE, "21.01"]), "text/csv")
    with django_capture_on_commit_callbacks(execute=False):
        response = superadmin_client.post("/onboarding/massal/", {"file": upload}, follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert "1 daerah sudah live atau sedang disiapkan" in body
    assert "Kabupaten Banyuwangi" in body
    assert BulkBatch.objects.get().row_count == 1


def test_api_reports_skipped_rows(region_a, superadmin, django_capture_on_commit_callbacks):
    from django.conf import settings

    api = APIClient(HTTP_HOST=settings.MPP_BASE_DOMAIN)
    api.force_authenticate(superadmin)

    def send(codes):
        return api.post(
            "/api/v1/onboarding/bulk/",
            {"file": SimpleUploadedFile("kepmen.csv", _decree(codes))},
            format="multipart",
        )

    with django_capture_on_commit_callbacks(execute=False):
        mixed = send([LIVE, "21.01"])
    assert mixed.status_code == 201
    assert mixed.json()["regions"] == 1
    assert [r["code"] for r in mixed.json()["skipped"]] == [LIVE]
    nothing = send([LIVE])
    assert nothing.status_code == 200
    assert nothing.json()["batch"] is None
    assert nothing.json()["skipped"][0]["message"].endswith("tidak ada yang perlu dilakukan.")


@pytest.mark.concurrency
def test_a_decree_provisions_in_parallel_processes_and_reruns_as_a_no_op(
    django_db_setup, django_db_blocker, tmp_path
):
    """Committed data: forked workers see only what is committed. Cleaned up afterwards."""
    codes = ["21.04", "21.05", "21.71", "21.72"]
    path = tmp_path / "kepmen-457.csv"
    path.write_bytes(_decree([LIVE, *codes]))
    with django_db_blocker.unblock():
        actor = User.objects.create_superuser(email="decree.parallel@test.example", password="x")
        regions = list(Region.objects.filter(code__in=codes))
        try:
            out = io.StringIO()
            call_command("onboard_bulk", str(path), actor=actor.email, jobs=2, stdout=out)
            text = out.getvalue()
            assert "4 baris valid." in text
            assert "sudah live, tidak ada yang perlu dilakukan" in text
            assert "4/4 daerah aktif." in text
            live = Mpp.objects.filter(region__in=regions, status=Mpp.Status.LIVE)
            assert live.count() == 4
            # Each region was provisioned exactly once, by one of the worker processes.
            steps = PipelineStep.objects.filter(onboarding__region__in=regions)
            assert set(steps.values_list("attempts", flat=True)) == {1}

            batches = BulkBatch.objects.count()
            again = io.StringIO()
            call_command("onboard_bulk", str(path), actor=actor.email, jobs=2, stdout=again)
            assert "Tidak ada yang perlu dilakukan" in again.getvalue()
            assert BulkBatch.objects.count() == batches
        finally:
            connection.set_schema_to_public()
            for region in regions:
                schema_drop(region.schema_name)
            Mpp.objects.filter(region__in=regions).delete()
            batch_ids = list(
                Onboarding.objects.filter(region__in=regions).values_list("batch_id", flat=True)
            )
            Onboarding.objects.filter(region__in=regions).delete()
            BulkBatch.objects.filter(pk__in=[b for b in batch_ids if b]).delete()
            Membership.objects.filter(region__in=regions).delete()
            AuditEntry.objects.filter(actor=actor)._raw_delete(AuditEntry.objects.db)
            emails = [f"admin.{c}@decree.test" for c in codes] + [actor.email]
            User.objects.filter(email__in=emails)._raw_delete(User.objects.db)
