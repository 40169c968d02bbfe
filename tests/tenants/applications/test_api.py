"""The applications API for the mobile app: citizen and staff flows, errors and query counts."""

import uuid

import pytest
from django.test import Client

from shared.citizens.models import AccessAction, DataAccessLog
from tests.shared.citizens.conftest import pdf_bytes, upload

A = "banyuwangi.mpp.localhost"


def _client(user=None):
    client = Client(HTTP_HOST=A)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def body(citizen, mpp_a):
    return {
        "offering": mpp_a.offering.pk,
        "client_key": str(uuid.uuid4()),
        "answers": {"keperluan": "Kerja"},
        "documents": {
            f"doc-{citizen.ktp.document_type_id}": citizen.ktp.pk,
            f"doc-{citizen.kk.document_type_id}": citizen.kk.pk,
        },
        "confirmations": [mpp_a.text_key],
    }


def test_offerings_describe_the_form(mpp_a, citizen):
    data = _client(citizen.user).get("/api/v1/applications/offerings/").json()
    assert [o["name"] for o in data] == ["Surat Keterangan Domisili"]
    offering = data[0]
    assert {r["key"] for r in offering["requirements"]} >= {mpp_a.text_key}
    assert offering["form_fields"][0]["key"] == "keperluan"
    assert offering["form_fields"][0]["choices"] == ["Sekolah", "Kerja"]


def test_create_submit_receipt_and_idempotency(mpp_a, citizen, body):
    client = _client(citizen.user)
    created = client.post("/api/v1/applications/", body, content_type="application/json")
    assert created.status_code == 201, created.content
    app_id = created.json()["id"]
    assert created.json()["problems"] == {}
    again = client.post("/api/v1/applications/", body, content_type="application/json")
    assert again.status_code == 200
    assert again.json()["id"] == app_id
    receipt = client.post(f"/api/v1/applications/{app_id}/submit/")
    assert receipt.status_code == 200
    number = receipt.json()["number"]
    assert number.startswith("3510-")
    assert receipt.json()["qr_svg"].startswith("<?xml") or "<svg" in receipt.json()["qr_svg"]
    assert client.post(f"/api/v1/applications/{app_id}/submit/").json()["number"] == number
    listing = client.get("/api/v1/applications/").json()
    assert listing["count"] == 1
    public = Client(HTTP_HOST=A).get(
        receipt.json()["verify_url"]
        .split(A, 1)[1]
        .replace("/verifikasi/", "/api/v1/applications/verify/")
    )
    assert public.status_code == 200
    assert set(public.json()) == {
        "number",
        "status",
        "status_label",
        "offering_name",
        "first_submitted_at",
        "due_date",
    }


def test_submit_with_missing_parts_is_a_400_with_errors(mpp_a, citizen, body):
    client = _client(citizen.user)
    body["documents"] = {}
    app_id = client.post("/api/v1/applications/", body, content_type="application/json").json()[
        "id"
    ]
    response = client.post(f"/api/v1/applications/{app_id}/submit/")
    assert response.status_code == 400
    assert response.json()["code"] == "incomplete"
    assert f"req-doc-{citizen.kk.document_type_id}" in response.json()["errors"]
    # Upload for the requirement (it joins the vault) and try again.
    for doc in (citizen.ktp, citizen.kk):
        up = client.post(
            f"/api/v1/applications/{app_id}/documents/",
            {"requirement": f"doc-{doc.document_type_id}", "file": upload("x.pdf", pdf_bytes())},
        )
        assert up.status_code == 200, up.content
    bad = client.post(
        f"/api/v1/applications/{app_id}/documents/",
        {"requirement": f"doc-{citizen.kk.document_type_id}", "file": upload("x.pdf", b"x" * 99)},
    )
    assert bad.status_code == 400
    assert "Jenis berkas" in bad.json()["detail"]
    done = client.post(f"/api/v1/applications/{app_id}/submit/")
    assert done.status_code == 200
    assert done.json()["status"] == "submitted"
    assert done.json()["number"]


def test_staff_api_flow_logs_access(mpp_a, citizen, submitted, django_assert_max_num_queries):
    staff = _client(mpp_a.operator)
    with django_assert_max_num_queries(10):
        listing = staff.get("/api/v1/staff/applications/")
    assert listing.json()["results"][0]["number"] == submitted.number
    detail = staff.get(f"/api/v1/staff/applications/{submitted.pk}/")
    assert detail.json()["applicant"]["nik"] == citizen.profile.nik
    assert DataAccessLog.objects.filter(
        profile=citizen.profile, action=AccessAction.APPLICATION_OPENED
    ).exists()
    base = f"/api/v1/staff/applications/{submitted.pk}"
    assert staff.post(f"{base}/return/", {}, content_type="application/json").status_code == 400
    assert staff.post(f"{base}/process/").status_code == 409
    assert staff.post(f"{base}/verify/").json()["status"] == "verified"
    assert staff.post(f"{base}/process/").json()["status"] == "processing"
    done = staff.post(f"{base}/complete/", {"result_kind": "pickup", "note": "Loket 3"})
    assert done.json()["status"] == "completed"


def test_worklist_query_count_does_not_grow(
    mpp_a, citizen, in_region, django_assert_max_num_queries
):
    from tenants.applications import services

    with in_region(mpp_a.mpp):
        for _ in range(8):
            draft, _ = services.application_draft_save(
                actor=citizen.user,
                citizen=citizen.profile,
                offering=mpp_a.offering,
                answers={"keperluan": "Kerja"},
                choices={
                    f"doc-{citizen.ktp.document_type_id}": citizen.ktp.pk,
                    f"doc-{citizen.kk.document_type_id}": citizen.kk.pk,
                },
                confirmations={mpp_a.text_key},
            )
            services.application_submit(actor=citizen.user, application=draft)
    admin, owner = _client(mpp_a.admin), _client(citizen.user)
    with django_assert_max_num_queries(10):
        assert len(admin.get("/api/v1/staff/applications/").json()["results"]) == 8
    with django_assert_max_num_queries(10):
        assert owner.get("/api/v1/applications/").json()["count"] == 8


def test_counter_api_for_a_walk_in_citizen(mpp_a, doc_types):
    staff = _client(mpp_a.operator)
    registered = staff.post(
        "/api/v1/staff/counter/citizens/",
        {
            "nik": "3510014508450003",
            "full_name": "Mbah Sumi",
            "birth_place": "Banyuwangi",
            "birth_date": "1945-08-05",
            "address_line": "Krajan",
            "regency_code": "35.10",
        },
        content_type="application/json",
    )
    assert registered.status_code == 201, registered.content
    citizen_id = registered.json()["id"]
    assert registered.json()["nik_status"] == "verified"  # staff held the KTP-el
    bad = staff.post(
        "/api/v1/staff/counter/citizens/",
        {"nik": "123", "full_name": "X", "birth_date": "1990-01-01", "address_line": "X"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    created = staff.post(
        "/api/v1/staff/counter/applications/",
        {
            "citizen": citizen_id,
            "offering": mpp_a.offering.pk,
            "answers": {"keperluan": "Kerja"},
            "confirmations": [mpp_a.text_key],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    app_id = created.json()["id"]
    # Requirements missing → 400; a counter cannot invent documents.
    assert staff.post(f"/api/v1/staff/counter/applications/{app_id}/submit/").status_code == 400
    search = staff.post(
        "/api/v1/staff/counter/search/",
        {"query": "3510014508450003"},
        content_type="application/json",
    )
    assert search.json()["id"] == citizen_id
    assert search.json()["masked_name"] == "M*** S***"
    assert search.json()["consented"] is True  # registered here, this visit
    assert "Mbah Sumi" not in search.content.decode()
    assert (
        staff.post(
            "/api/v1/staff/counter/search/",
            {"query": "0899 0000 0000"},
            content_type="application/json",
        ).status_code
        == 404
    )


def test_counter_api_refuses_unknown_citizens(mpp_a, make_citizen):
    _user, profile = make_citizen()
    staff = _client(mpp_a.operator)
    response = staff.post(
        "/api/v1/staff/counter/applications/",
        {"citizen": profile.pk, "offering": mpp_a.offering.pk},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_admin_form_definition_api(mpp_a):
    admin = _client(mpp_a.admin)
    url = f"/api/v1/admin/offerings/{mpp_a.offering.pk}/form-fields/"
    assert [f["key"] for f in admin.get(url).json()] == ["keperluan", "jumlah-salinan"]
    response = admin.put(
        url,
        {"form_fields": [{"label": "Nomor NPWP", "kind": "text", "is_required": True}]},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert [f["key"] for f in response.json()] == ["nomor-npwp"]
    bad = admin.put(
        url,
        {"form_fields": [{"label": "Pilih", "kind": "choice", "choices": []}]},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "0.choices" in bad.json()["errors"]


def test_endpoints_are_in_the_openapi_schema_without_warnings(db):
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    GENERATOR_STATS.reset()
    regional = SchemaGenerator(urlconf="mpp_platform.urls_regional").get_schema(
        request=None, public=True
    )
    national = SchemaGenerator(urlconf="mpp_platform.urls_national").get_schema(
        request=None, public=True
    )
    validate_schema(regional)
    validate_schema(national)
    messages = [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
    mine = ("tenants/applications", "shared/citizens", "ToStatusEnum", "FromStatusEnum")
    assert [m for m in messages if any(part in m for part in mine)] == []
    assert "post" in regional["paths"]["/api/v1/applications/{application_id}/submit/"]
    assert "get" in regional["paths"]["/api/v1/staff/applications/"]
    assert "patch" in national["paths"]["/api/v1/citizen/profile/"]
