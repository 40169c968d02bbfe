"""Offboarding: a downloadable archive of the region's data first, then the schema is dropped."""

import io
import json
import zipfile

import pytest
from django.db import connection
from django.test import Client

from kernel.audit import audit_log
from onboarding import services
from onboarding.models import OnboardingDocument, PipelineStep, Stage
from onboarding.provisioning.pipeline import OFFBOARD, inject_fault, pipeline_run
from onboarding.provisioning.template import schema_exists
from shared.accounts.models import Membership, Role
from shared.catalogue.models import ServiceAvailability
from shared.regions.models import Domain, Mpp


@pytest.fixture
def live_bintan(make_onboarding, superadmin, in_region, pdf_file, settings):
    onboarding = make_onboarding(stage=Stage.DESIGNATED, admin_email="admin@bintankab.go.id")
    services.document_attach(
        actor=superadmin, onboarding=onboarding, kind="commitment", uploaded=pdf_file()
    )
    mpp = services.mpp_provision(region=onboarding.region, admin_email="admin@bintankab.go.id")
    with in_region(mpp):
        audit_log(actor=superadmin, action="tests.region.work", data={"note": "data daerah"})
    from shared.catalogue.models import Agency, Service

    service = Service.objects.create(
        code="uji-arsip",
        name="Layanan uji arsip",
        agency=Agency.objects.create(code="uji-arsip", name="Instansi uji", kind="other"),
        product="Dokumen",
        complaint_handling="Loket",
    )
    ServiceAvailability.objects.create(service=service, region=mpp.region, offering_id=1)
    files = settings.PRIVATE_STORAGE_ROOT / mpp.schema_name / "berkas"
    files.mkdir(parents=True)
    (files / "ktp-warga.pdf").write_bytes(b"%PDF-1.4 warga")
    onboarding.refresh_from_db()
    return onboarding, mpp


def _offboard(onboarding, actor, capture):
    with capture(execute=True):
        services.onboarding_offboard(
            actor=actor, onboarding=onboarding, confirmation="Kabupaten Bintan", reason="Mundur."
        )


def test_offboarding_archives_then_drops_the_schema(
    live_bintan, superadmin, eager_celery, django_capture_on_commit_callbacks, settings
):
    onboarding, mpp = live_bintan
    _offboard(onboarding, superadmin, django_capture_on_commit_callbacks)
    onboarding.refresh_from_db()
    assert onboarding.stage == Stage.OFFBOARDED
    assert not schema_exists(mpp.schema_name)
    assert not Mpp.objects.filter(pk=mpp.pk).exists()
    assert not Domain.objects.filter(domain="bintan.mpp.localhost").exists()
    assert not Membership.objects.filter(region=onboarding.region, is_active=True).exists()
    assert not ServiceAvailability.objects.filter(region=onboarding.region).exists()
    assert not (settings.PRIVATE_STORAGE_ROOT / mpp.schema_name).exists()
    assert Client(HTTP_HOST="bintan.mpp.localhost").get("/").status_code == 404

    archive = onboarding.documents.get(kind=OnboardingDocument.Kind.ARCHIVE)
    with zipfile.ZipFile(archive.file.path) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
        audit_csv = zf.read("tables/region_audit_auditentry.csv").decode()
        dump = zf.read("schema.sql").decode()
    assert {"schema.sql", "manifest.json"} <= names
    assert "files/private/berkas/ktp-warga.pdf" in names
    assert any(n.startswith("documents/") for n in names)
    assert manifest["schema"] == "mpp_21_01"
    assert manifest["tables"]["region_audit_auditentry"] == 1
    assert "tests.region.work" in audit_csv
    assert 'CREATE SCHEMA "mpp_21_01";' in dump
    assert "tests.region.work" in dump


def test_the_archive_restores_the_schema(
    live_bintan, superadmin, eager_celery, django_capture_on_commit_callbacks
):
    from onboarding.provisioning.inspect import schema_structure, structure_diff

    onboarding, mpp = live_bintan
    before = schema_structure(mpp.schema_name)
    _offboard(onboarding, superadmin, django_capture_on_commit_callbacks)
    archive = onboarding.documents.get(kind=OnboardingDocument.Kind.ARCHIVE)
    with zipfile.ZipFile(archive.file.path) as zf:
        _restore(zf.read("schema.sql").decode())
    assert structure_diff(before, schema_structure(mpp.schema_name)) == {}
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT action FROM "{mpp.schema_name}".region_audit_auditentry')
        assert [row[0] for row in cursor.fetchall()] == ["tests.region.work"]


def _restore(sql: str) -> None:
    """Replay a COPY-based dump over this connection (what `psql -f` does)."""
    statements: list[str] = []
    lines = iter(sql.splitlines(keepends=True))

    def flush(cursor):
        if "".join(statements).strip():
            cursor.execute("".join(statements))
        statements.clear()

    with connection.cursor() as cursor:
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
    onboarding, _mpp = live_bintan
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
    onboarding, mpp = live_bintan
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

    onboarding, _mpp = live_bintan
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
