"""Oversized or broken input answers 4xx with a message, never a 500 (issue 12).

Each case is one request a careless spreadsheet or a crafted URL produces: a CSV field over the
csv module's 128 KiB limit (bulk onboarding, catalogue import; page and API), a page number no
database OFFSET can hold (catalogue search; page and API), a vault file gone from disk.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

HUGE_FIELD = "A" * (128 * 1024 + 10)
CSV_WITH_HUGE_FIELD = f"code,name\nx-satu,{HUGE_FIELD}\n".encode()
HUGE_PAGE = str(10**30)


def _csv(name="berkas.csv"):
    return SimpleUploadedFile(name, CSV_WITH_HUGE_FIELD, content_type="text/csv")


@pytest.fixture
def superadmin_client(make_user, national_client):
    national_client.force_login(make_user(superadmin=True))
    return national_client


@pytest.fixture
def vault_document(make_user, settings, tmp_path):
    """A citizen's document whose file has disappeared from the private storage."""
    from shared.catalogue.models import DocumentType
    from shared.citizens.services import document_upload, profile_ensure
    from tests.shared.citizens.conftest import pdf_bytes

    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    user = make_user()
    ktp, _ = DocumentType.objects.get_or_create(code="ktp-el", defaults={"name": "KTP-el"})
    document = document_upload(
        actor=user,
        profile=profile_ensure(user=user),
        document_type=ktp,
        upload=SimpleUploadedFile("ktp.pdf", pdf_bytes(), content_type="application/pdf"),
    )
    document.file.storage.delete(document.file.name)
    return user, document


def _bulk_page(client, **_):
    return client.post("/onboarding/massal/", {"file": _csv()})


def _bulk_api(client, **_):
    return client.post("/api/v1/onboarding/bulk/", {"file": _csv()})


def _import_page(client, **_):
    return client.post("/katalog/kelola/", {"file": _csv("katalog.csv")})


def _import_api(client, **_):
    return client.post("/api/v1/catalogue/import/", {"file": _csv("katalog.csv")})


def _search_page(client, **_):
    return client.get("/layanan/", {"q": "paspor", "page": HUGE_PAGE})


def _search_api(client, **_):
    return client.get("/api/v1/catalogue/search/", {"q": "paspor", "page": HUGE_PAGE})


def _vault_page(client, document, **_):
    return client.get(f"/warga/dokumen/{document.pk}/berkas/")


def _vault_api(client, document, **_):
    return client.get(f"/api/v1/citizen/documents/{document.pk}/file/")


CASES = [
    ("bulk onboarding page", _bulk_page, 400, "Baris 2 tidak dapat dibaca"),
    ("bulk onboarding API", _bulk_api, 400, "Baris 2 tidak dapat dibaca"),
    ("catalogue import page", _import_page, 400, "Baris 2 tidak dapat dibaca"),
    ("catalogue import API", _import_api, 400, "Baris 2 tidak dapat dibaca"),
    ("catalogue search page", _search_page, 400, "Nomor halaman terlalu besar"),
    ("catalogue search API", _search_api, 400, "Nomor halaman terlalu besar"),
    ("vault file missing, page", _vault_page, 404, "tidak ditemukan"),
    ("vault file missing, API", _vault_api, 404, "tidak ditemukan"),
]


@pytest.mark.parametrize(
    ("case", "send", "status", "message"), CASES, ids=[case for case, *_ in CASES]
)
def test_oversized_or_missing_input_answers_4xx_with_a_message(
    case, send, status, message, superadmin_client, national_client, request
):
    if case.startswith("vault"):
        user, document = request.getfixturevalue("vault_document")
        national_client.force_login(user)
        response = send(national_client, document=document)
    else:
        response = send(superadmin_client)
    assert response.status_code == status, response.content[:500]
    body = response.content.decode()
    assert message in body
