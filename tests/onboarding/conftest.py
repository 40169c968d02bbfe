"""Onboarding test helpers: regions at a given stage, built with plain rows where the stage is
not what is under test, and the real services where it is."""

import datetime as dt

import pytest
from django.db import connection

from onboarding.models import Onboarding, Stage
from shared.regions.models import Region

BINTAN = "21.01"  # Kabupaten Bintan: no MPP in the test session


@pytest.fixture
def superadmin(make_user):
    return make_user(superadmin=True, full_name="Superadmin Uji")


@pytest.fixture
def make_onboarding(db):
    def _make(code: str = BINTAN, *, stage: str = Stage.COMMITTED, **fields) -> Onboarding:
        region = Region.objects.get(code=code)
        defaults = {
            "signer_name": "Roby Kurniawan",
            "signer_title": "Bupati Bintan",
            "signed_on": dt.date(2024, 3, 7),
            "occasion": "Penandatanganan komitmen MPP Digital, Jakarta",
        }
        if stage not in (Stage.COMMITTED, Stage.ASSESSED, Stage.REJECTED):
            defaults.update(decree_number="457/2024", decree_date=dt.date(2024, 6, 3))
        defaults.update(fields)
        return Onboarding.objects.create(region=region, stage=stage, **defaults)

    return _make


@pytest.fixture
def schemas():
    """The region schemas that exist right now (to prove no orphan schema is left)."""

    def _list() -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'mpp\\_%%'")
            return {row[0] for row in cursor.fetchall()}

    return _list


PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def pdf_file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    def _make(name: str = "komitmen.pdf", content: bytes = PDF_BYTES):
        return SimpleUploadedFile(name, content, content_type="application/pdf")

    return _make


@pytest.fixture
def eager_celery():
    """Run enqueued tasks right away, in this thread (the real-worker test is separate)."""
    from mpp_platform.celery import app

    old = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = old


@pytest.fixture
def superadmin_client(superadmin, national_client):
    national_client.force_login(superadmin)
    return national_client


def fill_readiness(onboarding, actor, **overrides):
    """Record passing values for every active indicator (overrides by indicator code)."""
    from onboarding.models import ReadinessIndicator
    from onboarding.services import readiness_record

    passing = {
        "health-workforce-data": "72.5",
        "digital-id-activation": "5.1",
        "physical-mpp": True,
        "dpmptsp-operator": "Rina Wulandari, S.Kom.",
        "internet-connectivity": True,
    }
    passing.update(overrides)
    values = {
        i.pk: {"value": passing.get(i.code, "ya"), "evidence": f"Bukti {i.code}"}
        for i in ReadinessIndicator.objects.filter(is_active=True)
    }
    return readiness_record(actor=actor, onboarding=onboarding, values=values)
