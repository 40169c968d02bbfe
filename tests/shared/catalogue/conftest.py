import itertools

import pytest

from shared.catalogue.models import DocumentType, ServiceAvailability
from shared.catalogue.services import agency_create, catalogue_load_starter, service_create

_codes = itertools.count(1)


@pytest.fixture
def starter(db):
    """The real starter catalogue, loaded through the real loader (rolled back after the test)."""
    return catalogue_load_starter()


@pytest.fixture
def superadmin(make_user):
    return make_user(superadmin=True)


@pytest.fixture
def agency(db):
    return agency_create(actor=None, code="uji-instansi", name="Instansi Uji", kind="other")


@pytest.fixture
def ktp(db):
    return DocumentType.objects.get_or_create(code="ktp-el", defaults={"name": "KTP-el"})[0]


@pytest.fixture
def make_service(agency):
    """make_service(**fields) → a service created through the real service function."""

    def _make(*, actor=None, **fields):
        n = next(_codes)
        fields.setdefault("code", f"layanan-uji-{n}")
        fields.setdefault("name", f"Layanan Uji {n}")
        fields.setdefault("agency", agency)
        fields.setdefault("product", "Dokumen hasil layanan")
        fields.setdefault("complaint_handling", "Loket pengaduan MPP dan SP4N-LAPOR!")
        return service_create(actor=actor, **fields)

    return _make


@pytest.fixture
def offer():
    """offer(service, mpp) → the availability row a region's offering change would write."""

    def _offer(service, mpp, channels=("queue", "walk_in")):
        return ServiceAvailability.objects.create(
            service=service, region=mpp.region, offering_id=service.pk, channels=list(channels)
        )

    return _offer
