"""Offboarding: a downloadable archive of the region's data first, then the schema is dropped."""

import hashlib
import io
import json
import zipfile
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client

from kernel.audit import audit_log
from kernel.files import private_storage
from onboarding import services
from onboarding.models import OnboardingDocument, PipelineStep, Stage
from onboarding.provisioning.pipeline import OFFBOARD, pipeline_run
from onboarding.provisioning.template import schema_exists
from shared.accounts.models import Membership, Role
from shared.catalogue.models import ServiceAvailability
from shared.citizens.models import ResultKind
from shared.regions.models import Domain, Mpp
from tenants.applications.models import ApplicationFile
from tests.objectstorage import object_names, s3_endpoint, s3_storage
from tests.onboarding.faults import inject_fault
from tests.shared.citizens import conftest as _citizens
from tests.shared.citizens.conftest import pdf_bytes, upload
from tests.tenants.applications.conftest import build_mpp

# Citizens, document types and a whole MPP, as the applications tests build them.
doc_types = _citizens.doc_types
make_citizen = _citizens.make_citizen
__all__ = ["doc_types", "make_citizen", "s3_endpoint", "s3_storage"]

RESULT_PDF = b"%PDF-1.4\n% surat keterangan domisili bertanda tangan\n%%EOF\n"


@pytest.fixture
def live_bintan(
    make_onboarding,
    superadmin,
    in_region,
    pdf_file,
    make_user,
    make_citizen,
    doc_types,
    django_capture_on_commit_callbacks,
):
    """Bintan live, with one application completed through the real workflow: a citizen applies
    with vault documents, staff verify, process and upload the result document."""
    from shared.citizens.services import document_upload
    from tenants.applications import services as applications

    onboarding = make_onboarding(stage=Stage.DESIGNATED, admin_email="admin@bintankab.go.id")
    services.document_attach(
        actor=superadmin, onboarding=onboarding, kind="commitment", uploaded=pdf_file()
    )
    mpp = services.mpp_provision(region=onboarding.region, admin_email="admin@bintankab.go.id")
    user, profile = make_citizen()
    vault = {
        kind: document_upload(
            actor=user,
            profile=profile,
            document_type=doc_types[kind],
            upload=upload(f"{kind}.pdf", pdf_bytes(kind)),
        )
        for kind in ("ktp", "kk")
    }
    with in_region(mpp), django_capture_on_commit_callbacks(execute=True):
        audit_log(actor=superadmin, action="tests.region.work", data={"note": "data daerah"})
        desk = build_mpp(doc_types=doc_types, make_user=make_user, region=mpp)
        draft, errors = applications.application_draft_save(
            actor=user,
            citizen=profile,
            offering=desk.offering,
            answers={"keperluan": "Sekolah"},
            choices={f"doc-{d.document_type_id}": d.pk for d in vault.values()},
            confirmations={desk.text_key},
        )
        assert not errors
        submitted = applications.application_submit(actor=user, application=draft)
        applications.application_verify(actor=desk.operator, application=submitted)
        applications.application_process(actor=desk.operator, application=submitted)
        done = applications.application_complete(
            actor=desk.operator,
            application=submitted,
            result_kind=ResultKind.DOCUMENT,
            upload=upload("hasil-domisili.pdf", RESULT_PDF),
        )
        result = ApplicationFile.objects.get(application=done, purpose="result")
    from shared.catalogue.models import Agency, Service

    service = Service.objects.create(
        code="uji-arsip",
        name="Layanan uji arsip",
        agency=Agency.objects.create(code="uji-arsip", name="Instansi uji", kind="other"),
        product="Dokumen",
        complaint_handling="Loket",
    )
    ServiceAvailability.objects.create(service=service, region=mpp.region, offering_id=1)
    onboarding.refresh_from_db()
    return SimpleNamespace(
        onboarding=onboarding, mpp=mpp, result=result, vault=list(vault.values())
    )


def _offboard(onboarding, actor, capture):
    with capture(execute=True):
        services.onboarding_offboard(
            actor=actor, onboarding=onboarding, confirmation="Kabupaten Bintan", reason="Mundur."
        )


def test_offboarding_archives_every_file_then_deletes_them_and_drops_the_schema(
    live_bintan, superadmin, eager_celery, django_capture_on_commit_callbacks, private_root
):
    onboarding, mpp, result = live_bintan.onboarding, live_bintan.mpp, live_bintan.result
    storage = private_storage()
    # The result was written by the workflow under the region's one prefix.
    assert result.file.name.startswith(f"regions/{mpp.schema_name}/applications/")
    assert storage.exists(result.file.name)
    _offboard(onboarding, superadmin, django_capture_on_commit_callbacks)
    onboarding.refresh_from_db()
    assert onboarding.stage == Stage.OFFBOARDED
    assert not schema_exists(mpp.schema_name)
    assert not Mpp.objects.filter(pk=mpp.pk).exists()
    assert not Domain.objects.filter(domain="bintan.mpp.localhost").exists()
    assert not Membership.objects.filter(region=onboarding.region, is_active=True).exists()
    assert not ServiceAvailability.objects.filter(region=onboarding.region).exists()
    assert Client(HTTP_HOST="bintan.mpp.localhost").get("/").status_code == 404
    # Gone from the storage: the file and the region's whole folder.
    assert not storage.exists(result.file.name)
    assert not (private_root / "regions" / mpp.schema_name).exists()
    # The citizen's vault is national: offboarding a region leaves it alone.
    assert live_bintan.vault
    assert all(storage.exists(d.file.name) for d in live_bintan.vault)

    archive = onboarding.documents.get(kind=OnboardingDocument.Kind.ARCHIVE)
    assert archive.file.name == f"national/archives/{mpp.schema_name}-{onboarding.pk}.zip"
    with storage.open(archive.file.name, "rb") as fh:
        data = fh.read()
    assert hashlib.sha256(data).hexdigest() == archive.sha256
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
        archived_as = f"files/{result.file.name.removeprefix(f'regions/{mpp.schema_name}/')}"
        result_bytes = zf.read(archived_as)
        audit_csv = zf.read("tables/region_audit_auditentry.csv").decode()
        files_csv = zf.read("tables/applications_applicationfile.csv").decode()
        dump = zf.read("schema.sql").decode()
    assert result_bytes == RESULT_PDF
    assert result.file.name in files_csv  # the row and its file travel together
    assert {f["name"] for f in manifest["files"]} == {result.file.name}
    assert manifest["missing"] == []
    assert {"schema.sql", "manifest.json"} <= names
    assert any(n.startswith("documents/") for n in names)
    assert manifest["schema"] == "mpp_21_01"
    assert manifest["tables"]["region_audit_auditentry"] >= 1
    assert "tests.region.work" in audit_csv
    assert 'CREATE SCHEMA "mpp_21_01";' in dump
    assert "tests.region.work" in dump
    steps = {s.name: s for s in onboarding.steps.filter(pipeline=OFFBOARD)}
    assert list(steps) == ["archive", "delete_files", "drop_schema", "mark_offboarded"]
    assert steps["delete_files"].detail["deleted"] == 1


def test_offboarding_on_object_storage(
    s3_storage, live_bintan, superadmin, eager_celery, django_capture_on_commit_callbacks
):
    """The same pipeline when the files live in an S3-compatible bucket (MPP_STORAGE=s3)."""
    client, bucket = s3_storage
    onboarding, mpp, result = live_bintan.onboarding, live_bintan.mpp, live_bintan.result
    prefix = f"regions/{mpp.schema_name}/"
    assert result.file.name in object_names(client, bucket)
    _offboard(onboarding, superadmin, django_capture_on_commit_callbacks)
    onboarding.refresh_from_db()
    assert onboarding.stage == Stage.OFFBOARDED
    names = object_names(client, bucket)
    assert not [n for n in names if n.startswith(prefix)]
    assert {d.file.name for d in live_bintan.vault} <= set(names)  # the vault stays
    archive = onboarding.documents.get(kind=OnboardingDocument.Kind.ARCHIVE)
    assert archive.file.name in names
    data = client.get_object(Bucket=bucket, Key=archive.file.name)["Body"].read()
    assert hashlib.sha256(data).hexdigest() == archive.sha256
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.read("files/" + result.file.name.removeprefix(prefix)) == RESULT_PDF


def test_files_referenced_outside_the_prefix(
    live_bintan, superadmin, eager_celery, django_capture_on_commit_callbacks, in_region
):
    """A file written before the prefix rule is archived and removed with its region; a national
    file that a region row happens to name is neither the region's to archive nor to delete."""
    from django.core.files.base import ContentFile

    onboarding, mpp, result = live_bintan.onboarding, live_bintan.mpp, live_bintan.result
    storage = private_storage()
    legacy = storage.save("applications/lama/hasil-lama.pdf", ContentFile(b"%PDF lama"))
    national = live_bintan.vault[0].file.name
    with in_region(mpp):
        field = ApplicationFile.objects.get(pk=result.pk)
        ApplicationFile.objects.create(
            application_id=field.application_id,
            purpose="field",
            file=national,
            original_name="ktp.pdf",
            content_type="application/pdf",
            size=1,
            sha256="0" * 64,
        )
        ApplicationFile.objects.filter(pk=result.pk).update(file=legacy)
    _offboard(onboarding, superadmin, django_capture_on_commit_callbacks)
    assert not storage.exists(legacy)
    assert storage.exists(national)
    archive = onboarding.documents.get(kind=OnboardingDocument.Kind.ARCHIVE)
    with storage.open(archive.file.name, "rb") as fh, zipfile.ZipFile(fh) as zf:
        assert zf.read(f"files-elsewhere/{legacy}") == b"%PDF lama"
        assert not [n for n in zf.namelist() if national in n]
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["not_the_regions"] == [national]
    assert manifest["missing"] == []


def _archive_step_only(onboarding):
    """The archive step done and the worker gone before the next step (as after a crash)."""
    from onboarding.archive import archive_build

    archive_build(onboarding=onboarding)
    PipelineStep.objects.filter(onboarding=onboarding, pipeline=OFFBOARD, name="archive").update(
        status=PipelineStep.Status.DONE
    )


def test_nothing_is_deleted_when_the_stored_archive_does_not_read_back(
    live_bintan, superadmin, django_capture_on_commit_callbacks
):
    onboarding, mpp, result = live_bintan.onboarding, live_bintan.mpp, live_bintan.result
    storage = private_storage()
    with django_capture_on_commit_callbacks():
        services.onboarding_offboard(
            actor=superadmin, onboarding=onboarding, confirmation="bintan", reason="Mundur."
        )
    _archive_step_only(onboarding)
    archive = onboarding.documents.get(kind=OnboardingDocument.Kind.ARCHIVE)
    # The stored copy goes bad (a truncated upload, a bit flip): it no longer matches its hash.
    with storage.open(archive.file.name, "rb") as fh:
        good = fh.read()
    storage.delete(archive.file.name)
    storage.save(archive.file.name, io.BytesIO(good[: len(good) // 2]))
    assert pipeline_run(onboarding_id=onboarding.pk, pipeline=OFFBOARD) == "failed"
    step = onboarding.steps.get(pipeline=OFFBOARD, name="delete_files")
    assert "berbeda" in step.error or "tidak terbaca" in step.error
    assert storage.exists(result.file.name)
    assert schema_exists(mpp.schema_name)


def test_a_file_written_after_the_archive_is_archived_before_it_is_deleted(
    live_bintan, superadmin, django_capture_on_commit_callbacks, in_region
):
    from django.core.files.base import ContentFile

    onboarding, mpp = live_bintan.onboarding, live_bintan.mpp
    storage = private_storage()
    with django_capture_on_commit_callbacks():
        services.onboarding_offboard(
            actor=superadmin, onboarding=onboarding, confirmation="bintan", reason="Mundur."
        )
    _archive_step_only(onboarding)
    # Meanwhile a late upload lands under the region's prefix (the site stays readable).
    late = storage.save(f"{mpp.region.file_prefix}applications/9/late.pdf", ContentFile(b"late"))
    assert pipeline_run(onboarding_id=onboarding.pk, pipeline=OFFBOARD) == "done"
    assert not storage.exists(late)
    archive = onboarding.documents.get(kind=OnboardingDocument.Kind.ARCHIVE)
    with storage.open(archive.file.name, "rb") as fh, zipfile.ZipFile(fh) as zf:
        assert zf.read("files/applications/9/late.pdf") == b"late"
    step = onboarding.steps.get(pipeline=OFFBOARD, name="delete_files")
    assert step.detail["archive_rebuilt"] is True
    assert step.detail["deleted"] == 2


def test_the_archive_restores_the_schema(
    live_bintan, superadmin, eager_celery, django_capture_on_commit_callbacks
):
    from onboarding.provisioning.inspect import schema_structure, structure_diff

    onboarding, mpp = live_bintan.onboarding, live_bintan.mpp
    before = schema_structure(mpp.schema_name)
    audit_sql = f'SELECT action FROM "{mpp.schema_name}".region_audit_auditentry ORDER BY id'
    with connection.cursor() as cursor:
        cursor.execute(audit_sql)
        audit_before = [row[0] for row in cursor.fetchall()]
    _offboard(onboarding, superadmin, django_capture_on_commit_callbacks)
    archive = onboarding.documents.get(kind=OnboardingDocument.Kind.ARCHIVE)
    with archive.file.open("rb") as fh, zipfile.ZipFile(fh) as zf:
        _restore(zf.read("schema.sql").decode())
    assert structure_diff(before, schema_structure(mpp.schema_name)) == {}
    with connection.cursor() as cursor:
        cursor.execute(audit_sql)
        assert [row[0] for row in cursor.fetchall()] == audit_before
    assert "tests.region.work" in audit_before


def _restore(sql: str) -> None:
    """Replay a COPY-based dump over this connection (what `psql -f` does)."""
    statements: list[str] = []
    lines = iter(sql.splitlines(keepends=True))

    def flush(cursor):
        if "".join(statements).strip():
            cursor.execute("".join(statements))
        statements.clear()

    with connection.cursor() as cursor:
        # A fresh psql session defers Django's foreign keys; this test's transaction does not
        # (the drop made them immediate), so defer them as the real restore would.
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for line in lines:
            if line.startswith("SET LOCAL search_path"):
                # As psql would, but through django-tenants so that it knows the search path.
                flush(cursor)
                schema = line.split("=", 1)[1].split(",")[0].strip(' ";\n')
                connection.set_schema(schema) if schema != "public" else (
                    connection.set_schema_to_public()
                )
                cursor = connection.cursor()
                continue
            if line.strip() in ("BEGIN;", "COMMIT;") or line.startswith(("SET ", "--")):
                continue
            if line.startswith("COPY ") and line.rstrip().endswith("FROM stdin;"):
                flush(cursor)
                data = []
                for row in lines:
                    if row == "\\.\n":
                        break
                    data.append(row)
                with cursor.copy(line.rstrip().rstrip(";")) as copy:
                    copy.write("".join(data))
                continue
            statements.append(line)
        flush(cursor)
    connection.set_schema_to_public()


def test_the_archive_is_downloadable_by_superadmins_only(
    live_bintan,
    superadmin,
    eager_celery,
    django_capture_on_commit_callbacks,
    superadmin_client,
    make_user,
    national_client,
):
    onboarding = live_bintan.onboarding
    _offboard(onboarding, superadmin, django_capture_on_commit_callbacks)
    archive = onboarding.documents.get(kind=OnboardingDocument.Kind.ARCHIVE)
    page = superadmin_client.get("/onboarding/daerah/21.01/").content.decode()
    assert f"/onboarding/dokumen/{archive.pk}/" in page
    response = superadmin_client.get(f"/onboarding/dokumen/{archive.pk}/")
    assert response.status_code == 200
    assert zipfile.is_zipfile(io.BytesIO(b"".join(response.streaming_content)))
    other = Client(HTTP_HOST=national_client.defaults["HTTP_HOST"])
    other.force_login(
        make_user(role=Role.DPMPTSP_ADMIN, region=Mpp.objects.get(region__code="35.10"))
    )
    assert other.get(f"/onboarding/dokumen/{archive.pk}/").status_code == 404


def test_no_drop_without_an_archive_and_a_failed_archive_is_retried(
    live_bintan, superadmin, django_capture_on_commit_callbacks
):
    onboarding, mpp = live_bintan.onboarding, live_bintan.mpp
    with django_capture_on_commit_callbacks():  # enqueue nothing: run by hand below
        services.onboarding_offboard(
            actor=superadmin, onboarding=onboarding, confirmation="bintan", reason="Mundur."
        )
    assert Mpp.objects.get(pk=mpp.pk).status == Mpp.Status.SUSPENDED  # staff out meanwhile
    with inject_fault("archive", exc=OSError("disk penuh")):
        assert pipeline_run(onboarding_id=onboarding.pk, pipeline=OFFBOARD) == "failed"
    assert schema_exists(mpp.schema_name)  # nothing dropped without its archive
    step = onboarding.steps.get(pipeline=OFFBOARD, name="archive")
    assert step.status == PipelineStep.Status.FAILED
    assert "disk penuh" in step.error

    with inject_fault("drop_schema", where="inside", exc=RuntimeError("putus")):
        assert pipeline_run(onboarding_id=onboarding.pk, pipeline=OFFBOARD) == "failed"
    assert schema_exists(mpp.schema_name)
    assert Mpp.objects.filter(pk=mpp.pk).exists()

    assert pipeline_run(onboarding_id=onboarding.pk, pipeline=OFFBOARD) == "done"
    assert not schema_exists(mpp.schema_name)
    assert onboarding.documents.filter(kind=OnboardingDocument.Kind.ARCHIVE).count() == 1


def test_an_offboarded_region_can_onboard_again(
    live_bintan, superadmin, eager_celery, django_capture_on_commit_callbacks
):
    import datetime as dt

    onboarding = live_bintan.onboarding
    _offboard(onboarding, superadmin, django_capture_on_commit_callbacks)
    again = services.onboarding_commit(
        actor=superadmin,
        region=onboarding.region,
        signer_name="Bupati Baru",
        signer_title="Bupati Bintan",
        signed_on=dt.date(2025, 1, 6),
    )
    assert again.pk != onboarding.pk
    assert again.stage == Stage.COMMITTED
