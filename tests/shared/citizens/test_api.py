"""The citizen API (/api/v1/citizen/…), on the national host and every region's host."""

import pytest
from django.test import Client

from shared.citizens.models import Document
from tests.shared.citizens.conftest import NIK_SITI, pdf_bytes, upload


@pytest.fixture
def api(region_a):
    def _client(user=None, host="banyuwangi.mpp.localhost"):
        client = Client(HTTP_HOST=host)
        if user is not None:
            client.force_login(user)
        return client

    return _client


def test_sign_up_answers_no_token_until_the_address_is_verified(api, db, mailoutbox):
    from shared.accounts.models import ApiToken
    from shared.citizens.services import email_verification_token

    national = api(host="mpp.localhost")
    response = national.post(
        "/api/v1/citizen/sign-up/",
        {"full_name": "Rina", "email": "rina.api@example.id", "password": "sandi-warga-2026"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert "token" not in response.json()
    credentials = {"username": "rina.api@example.id", "password": "sandi-warga-2026"}
    refused = national.post("/api/v1/auth/sign-in/", credentials, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "contact_unverified"
    assert not ApiToken.objects.filter(user__email="rina.api@example.id").exists()

    from shared.accounts.models import User

    user = User.objects.get(email="rina.api@example.id")
    national.post(
        "/api/v1/citizen/verify-email/",
        {"token": email_verification_token(user)},
        content_type="application/json",
    )
    signed_in = national.post("/api/v1/auth/sign-in/", credentials, content_type="application/json")
    assert signed_in.status_code == 200
    token = signed_in.json()["token"]
    me = Client(HTTP_HOST="mpp.localhost", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.get("/api/v1/citizen/profile/").json()["full_name"] == "Rina"
    # Stored hashed: the token itself is nowhere in the table.
    row = ApiToken.objects.get(user=user)
    assert token not in (row.digest, row.token_key)


def test_sign_up_errors_are_per_field(api, db):
    response = api().post(
        "/api/v1/citizen/sign-up/",
        {"full_name": "Rina", "phone": "123", "password": "1"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert {"phone", "password"} <= set(response.json()["errors"])


def test_profile_patch_validates_together(api, make_citizen):
    user, _profile = make_citizen(complete=False)
    client = api(user)
    bad = client.patch(
        "/api/v1/citizen/profile/",
        {"nik": NIK_SITI, "birth_date": "1991-01-01", "regency_code": "35.10"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "birth_date" in bad.json()["errors"]
    good = client.patch(
        "/api/v1/citizen/profile/",
        {
            "nik": NIK_SITI,
            "full_name": "Siti",
            "birth_place": "Banyuwangi",
            "birth_date": "1990-01-01",
            "address_line": "Jl. Mawar 2",
            "regency_code": "35.10",
        },
        content_type="application/json",
    )
    assert good.status_code == 200
    assert good.json()["is_complete"] is True
    assert good.json()["gender"] == "P"


def test_documents_upload_list_file_and_archive(api, make_citizen, doc_types):
    user, _profile = make_citizen()
    client = api(user)
    response = client.post(
        "/api/v1/citizen/documents/",
        {"document_type": "ktp-el", "file": upload("ktp.pdf", pdf_bytes())},
    )
    assert response.status_code == 201, response.content
    doc_id = response.json()["id"]
    assert client.get("/api/v1/citizen/documents/").json()["count"] == 1
    file = client.get(f"/api/v1/citizen/documents/{doc_id}/file/")
    assert file.status_code == 200
    assert file["Content-Type"] == "application/pdf"
    assert client.delete(f"/api/v1/citizen/documents/{doc_id}/").status_code == 204
    assert client.get("/api/v1/citizen/documents/").json()["count"] == 0


def test_wrong_type_upload_is_a_400(api, make_citizen, doc_types, fake_pdf):
    user, _profile = make_citizen()
    response = api(user).post(
        "/api/v1/citizen/documents/", {"document_type": "ktp-el", "file": fake_pdf}
    )
    assert response.status_code == 400
    assert "Jenis berkas" in str(response.json())
    assert not Document.objects.exists()


def test_another_citizen_gets_404_on_documents(api, make_citizen, doc_types):
    user, _ = make_citizen()
    other, _ = make_citizen(nik="3510011508850002")
    doc_id = (
        api(user)
        .post(
            "/api/v1/citizen/documents/",
            {"document_type": "ktp-el", "file": upload("ktp.pdf", pdf_bytes())},
        )
        .json()["id"]
    )
    intruder = api(other)
    assert intruder.get(f"/api/v1/citizen/documents/{doc_id}/").status_code == 404
    assert intruder.get(f"/api/v1/citizen/documents/{doc_id}/file/").status_code == 404
    assert intruder.delete(f"/api/v1/citizen/documents/{doc_id}/").status_code == 404


def test_anonymous_is_refused(api, db):
    client = api()
    for path in (
        "/api/v1/citizen/profile/",
        "/api/v1/citizen/documents/",
        "/api/v1/citizen/applications/",
        "/api/v1/citizen/access-log/",
    ):
        assert client.get(path).status_code in (401, 403), path


def test_list_endpoints_do_not_query_per_row(api, make_citizen, doc_types, count_queries, region_a):
    import datetime as dt

    from shared.citizens.models import ApplicationIndex, DataAccessLog

    user, profile = make_citizen()
    client = api(user)

    def add_rows(first: int, last: int) -> None:
        for n in range(first, last):
            client.post(
                "/api/v1/citizen/documents/",
                {"document_type": "kk", "file": upload(f"kk{n}.pdf", pdf_bytes())},
            )
            ApplicationIndex.objects.create(
                region=region_a.region,
                application_id=n,
                profile=profile,
                number=f"3510-2026-{n:06d}",
                offering_name=f"Layanan {n}",
                status="submitted",
                timeline=[],
                updated_at=dt.datetime(2026, 3, 2, tzinfo=dt.UTC),
            )
            DataAccessLog.objects.create(
                profile=profile,
                actor_name="Petugas",
                region=region_a.region,
                action="application_opened",
            )

    paths = (
        "/api/v1/citizen/documents/",
        "/api/v1/citizen/applications/",
        "/api/v1/citizen/access-log/",
    )
    add_rows(0, 2)
    few = {}
    for path in paths:
        assert client.get(path).json()["count"] == 2, path
        few[path] = count_queries(lambda path=path: client.get(path))
    add_rows(2, 8)
    for path in paths:
        assert client.get(path).json()["count"] == 8, path
        assert count_queries(lambda path=path: client.get(path)) == few[path], path
        assert few[path] <= 8, path
