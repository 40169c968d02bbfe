"""The onboarding API: superadmins only, the same flow as the console, and Idempotency-Key."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from onboarding.models import BulkBatch, IdempotencyRecord, Onboarding, Stage
from shared.accounts.models import Role

from .conftest import PDF_BYTES

BASE = "/api/v1/onboarding/"
HOST = "mpp.localhost"
COMMIT = {
    "region": "21.01",
    "signer_name": "Roby Kurniawan",
    "signer_title": "Bupati Bintan",
    "signed_on": "2024-03-07",
    "occasion": "Penandatanganan komitmen MPP Digital",
}


@pytest.fixture
def api(superadmin):
    client = APIClient(HTTP_HOST=HOST)
    client.force_authenticate(superadmin)
    return client


@pytest.fixture
def outsider_clients(make_user, region_a):
    clients = {"anonymous": APIClient(HTTP_HOST=HOST)}
    for who, kwargs in {
        "citizen": {},
        "region_admin": {"role": Role.DPMPTSP_ADMIN, "region": region_a},
        "operator": {"role": Role.OPERATOR, "region": region_a},
    }.items():
        client = APIClient(HTTP_HOST=HOST)
        client.force_authenticate(make_user(**kwargs))
        clients[who] = client
    return clients


ENDPOINTS = [
    ("get", "regions/"),
    ("post", "regions/"),
    ("get", "regions/35.10/"),
    ("get", "regions/35.10/progress/"),
    ("get", "regions/35.10/timeline/"),
    ("post", "regions/35.10/suspend/"),
    ("put", "regions/35.10/readiness/"),
    ("get", "indicators/"),
    ("post", "indicators/"),
    ("post", "bulk/"),
]


@pytest.mark.parametrize("who", ["anonymous", "citizen", "region_admin", "operator"])
@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_only_superadmins_may_use_the_onboarding_api(outsider_clients, who, method, path):
    response = getattr(outsider_clients[who], method)(
        BASE + path, {**COMMIT, "reason": "Tidak melapor."}, format="json"
    )
    assert response.status_code in (401, 403)
    assert not Onboarding.objects.filter(region__code="21.01").exists()
    assert Onboarding.objects.get(region__code="35.10").stage == Stage.LIVE


def test_list_filters_and_bounded_queries(api, make_onboarding, django_assert_max_num_queries):
    for code in ("21.01", "21.02", "21.03", "13.01"):
        make_onboarding(code, stage=Stage.COMMITTED)
    with django_assert_max_num_queries(6):
        response = api.get(BASE + "regions/", {"provinsi": "21"})
    assert response.status_code == 200
    assert [r["region"]["code"] for r in response.json()["results"]] == ["21.01", "21.02", "21.03"]
    response = api.get(BASE + "regions/", {"tahap": "live"})
    assert {r["region"]["code"] for r in response.json()["results"]} >= {"35.10", "35.74"}


def test_the_flow_through_the_api(api, eager_celery, django_capture_on_commit_callbacks):
    response = api.post(
        BASE + "regions/",
        {**COMMIT, "document": SimpleUploadedFile("komitmen.pdf", PDF_BYTES)},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["stage"] == "committed"
    assert response.json()["documents"][0]["download_url"].startswith("http://mpp.localhost")

    values = [
        {"indicator": "health-workforce-data", "value": "61", "evidence": "Laporan Dinkes"},
        {"indicator": "digital-id-activation", "value": "4,5", "evidence": "Dukcapil"},
        {"indicator": "physical-mpp", "value": "ya", "evidence": "MPP Bintan sejak 2022"},
        {"indicator": "dpmptsp-operator", "value": "Rina Wulandari"},
        {"indicator": "internet-connectivity", "value": "ya"},
    ]
    response = api.put(BASE + "regions/21.01/readiness/", {"values": values}, format="json")
    assert response.status_code == 200
    readiness = response.json()["readiness"]
    assert len(readiness) >= len(values)
    assert all(v["passed"] for v in readiness)
    assert api.post(BASE + "regions/21.01/assess/").status_code == 200
    response = api.post(
        BASE + "regions/21.01/designate/",
        {"decree_number": "457/2024", "decree_date": "2024-06-03"},
        format="json",
    )
    assert response.json()["stage"] == "designated"
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            BASE + "regions/21.01/provision/",
            {"admin_email": "admin@bintankab.go.id"},
            format="json",
        )
    assert response.status_code == 202
    assert api.get(BASE + "regions/21.01/").json()["stage"] == "live"
    assert api.get(BASE + "regions/21.01/progress/").json()["percent"] == 100
    timeline = [e["action"] for e in api.get(BASE + "regions/21.01/timeline/").json()]
    assert timeline[0] == "onboarding.region.committed"
    assert timeline[-1] == "onboarding.region.live"


def test_bad_requests_get_clear_4xx_answers(api, make_onboarding):
    assert (
        api.post(BASE + "regions/", {**COMMIT, "region": "99.99"}, format="json").status_code == 400
    )
    make_onboarding()
    response = api.post(BASE + "regions/", COMMIT, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "already_onboarding"
    response = api.post(BASE + "regions/21.01/reject/", {"reason": ""}, format="json")
    assert response.status_code == 400
    response = api.post(
        BASE + "regions/21.01/suspend/", {"reason": "Tidak melapor."}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    response = api.post(BASE + "regions/21.01/assess/")
    assert response.status_code == 400
    assert response.json()["code"] == "not_ready"
    assert response.json()["gaps"]
    assert api.post(BASE + "regions/21.01/terbang/").status_code == 404
    assert api.get(BASE + "regions/21.02/").status_code == 404
    response = api.post(
        BASE + "regions/21.01/documents/",
        {"kind": "commitment", "document": SimpleUploadedFile("x.pdf", b"GIF89a....")},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "not_pdf"


def test_a_retried_create_with_the_same_key_replays_the_first_answer(api):
    first = api.post(BASE + "regions/", COMMIT, format="json", HTTP_IDEMPOTENCY_KEY="k-123")
    again = api.post(BASE + "regions/", COMMIT, format="json", HTTP_IDEMPOTENCY_KEY="k-123")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Onboarding.objects.filter(region__code="21.01").count() == 1
    # Without the key the same request is a new one, and it conflicts.
    assert api.post(BASE + "regions/", COMMIT, format="json").status_code == 409


def test_a_multipart_retry_with_a_new_boundary_still_replays(api):
    def send():
        return api.post(
            BASE + "regions/",
            {**COMMIT, "document": SimpleUploadedFile("komitmen.pdf", PDF_BYTES)},
            format="multipart",
            HTTP_IDEMPOTENCY_KEY="upload-1",
        )

    first, again = send(), send()
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert Onboarding.objects.get(region__code="21.01").documents.count() == 1
    assert first.json()["id"] == again.json()["id"]


def test_a_key_reused_for_another_request_is_refused(api):
    api.post(BASE + "regions/", COMMIT, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    response = api.post(
        BASE + "regions/", {**COMMIT, "region": "21.02"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert not Onboarding.objects.filter(region__code="21.02").exists()


def test_keys_are_per_user_and_must_be_sane(api, make_user):
    other = APIClient(HTTP_HOST=HOST)
    other.force_authenticate(make_user(superadmin=True))
    api.post(BASE + "regions/", COMMIT, format="json", HTTP_IDEMPOTENCY_KEY="same")
    response = other.post(BASE + "regions/", COMMIT, format="json", HTTP_IDEMPOTENCY_KEY="same")
    assert response.status_code == 409  # not a replay of someone else's answer
    response = api.post(BASE + "regions/", COMMIT, format="json", HTTP_IDEMPOTENCY_KEY="a b")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_idempotency_key"


def test_a_failed_request_is_not_remembered(api, make_onboarding):
    make_onboarding()
    response = api.post(BASE + "regions/21.01/assess/", HTTP_IDEMPOTENCY_KEY="try-1")
    assert response.status_code == 400
    assert not IdempotencyRecord.objects.filter(key="try-1").exists()


def test_starting_provisioning_twice_with_a_key_enqueues_once(
    api, make_onboarding, django_capture_on_commit_callbacks
):
    make_onboarding(stage=Stage.DESIGNATED, admin_email="admin@bintankab.go.id")
    with django_capture_on_commit_callbacks() as callbacks:
        first = api.post(BASE + "regions/21.01/provision/", HTTP_IDEMPOTENCY_KEY="go")
        again = api.post(BASE + "regions/21.01/provision/", HTTP_IDEMPOTENCY_KEY="go")
    assert first.status_code == again.status_code == 202
    assert again["Idempotent-Replayed"] == "true"
    assert len(callbacks) == 1


def test_bulk_through_the_api(api, eager_celery, django_capture_on_commit_callbacks):
    bad = b"kode;nomor_keputusan;tanggal_keputusan;email_admin\n99.99;1;2024-06-03;a@x.test\n"
    response = api.post(
        BASE + "bulk/", {"file": SimpleUploadedFile("x.csv", bad)}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_rows"
    assert response.json()["rows"] == [
        {"row": 2, "column": "kode", "message": "Kode wilayah 99.99 tidak dikenal."}
    ]
    good = (
        b"kode,nomor_keputusan,tanggal_keputusan,email_admin\n"
        b"21.01,457/2024,2024-06-03,a@bintan.test\n21.02,457/2024,2024-06-03,a@karimun.test\n"
    )

    def send():
        return api.post(
            BASE + "bulk/",
            {"file": SimpleUploadedFile("kepmen.csv", good)},
            format="multipart",
            HTTP_IDEMPOTENCY_KEY="bulk-1",
        )

    with django_capture_on_commit_callbacks(execute=True):
        first = send()
    again = send()
    assert first.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert BulkBatch.objects.count() == 1
    progress = api.get(BASE + f"bulk/{first.json()['batch']}/").json()
    assert progress["live"] == 2
    assert progress["percent"] == 100


def test_indicators_through_the_api(api):
    response = api.post(
        BASE + "indicators/",
        {"code": "perda", "name": "Perkada MPP", "kind": "percent"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "threshold_required"
    response = api.post(
        BASE + "indicators/",
        {"code": "perda", "name": "Perkada MPP", "kind": "boolean"},
        format="json",
    )
    assert response.status_code == 201
    pk = response.json()["id"]
    response = api.patch(BASE + f"indicators/{pk}/", {"is_active": False}, format="json")
    assert response.status_code == 200
    assert response.json()["is_active"] is False


def test_openapi_schema_lists_the_onboarding_endpoints_without_warnings(db, capsys):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator(urlconf="mpp_platform.urls_national").get_schema(public=True)
    paths = schema["paths"]
    assert "/api/v1/onboarding/regions/{code}/{action}/" in paths
    assert "/api/v1/onboarding/bulk/" in paths
    assert "Idempotency-Key" in str(paths["/api/v1/onboarding/regions/"]["post"]["parameters"])
    assert "onboarding/api" not in capsys.readouterr().err
