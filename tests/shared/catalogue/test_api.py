"""/api/v1/catalogue/: everyone reads (on the national and every region's host); only national
superadmins write, through the same versioning as the admin."""

import pytest
from django.conf import settings

from shared.accounts.models import Role
from shared.catalogue.models import Agency, Service, ServiceVersion
from tests.conftest import issue_api_token

SERVICES = "/api/v1/catalogue/services/"


def _new_service_payload(**overrides):
    payload = {
        "code": "dukcapil-surat-domisili",
        "name": "Surat Keterangan Domisili",
        "agency": "dukcapil",
        "category": "kependudukan",
        "life_events": ["pindah-rumah"],
        "requirements": [
            {"document_type": "ktp-el", "text": "Asli"},
            {"text": "Surat pengantar RT/RW"},
        ],
        "steps": ["Ajukan di loket", "Ambil surat"],
        "completion_days": 1,
        "product": "Surat keterangan domisili",
        "complaint_handling": "Loket pengaduan MPP",
        "channels": ["queue", "walk_in"],
    }
    payload.update(overrides)
    return payload


@pytest.mark.parametrize("host", ["national", "region"])
def test_anonymous_can_read_on_every_host(starter, client_a, national_client, host):
    client = national_client if host == "national" else client_a
    listing = client.get(SERVICES)
    assert listing.status_code == 200
    assert listing.json()["count"] >= 40
    paspor = Service.objects.get(code="imigrasi-paspor-biasa")
    detail = client.get(f"{SERVICES}{paspor.pk}/").json()
    assert detail["fee_amount"] == 350000
    assert detail["fee_kind"] == "fixed"
    assert detail["requirements"]
    assert detail["steps"]
    assert detail["legal_basis"]
    assert (
        detail["page_url"]
        == f"http://{settings.MPP_BASE_DOMAIN}:{settings.MPP_PUBLIC_PORT}/layanan/imigrasi-paspor-biasa/"
    )
    search = client.get("/api/v1/catalogue/search/", {"q": "pasport"}).json()
    assert search["results"][0]["code"].startswith("imigrasi-paspor")
    assert client.get("/api/v1/catalogue/agencies/").json()["count"] >= 12
    assert client.get("/api/v1/catalogue/document-types/").status_code == 200
    assert client.get("/api/v1/catalogue/categories/").status_code == 200
    assert client.get("/api/v1/catalogue/life-events/").status_code == 200


@pytest.mark.parametrize("role", [Role.DPMPTSP_ADMIN, Role.OPERATOR])
def test_regional_staff_can_read_but_not_write(
    starter, make_user, region_a, client_a, national_client, role
):
    staff = make_user(role=role, region=region_a)
    paspor = Service.objects.get(code="imigrasi-paspor-biasa")
    for client in (client_a, national_client):
        client.force_login(staff)
        # Writes exist on the national site only: elsewhere 404, there 403 for non-superadmins.
        refused = 403 if client is national_client else 404
        assert client.get(SERVICES).status_code == 200
        assert client.get(f"{SERVICES}{paspor.pk}/").status_code == 200
        assert (
            client.post(
                SERVICES, _new_service_payload(), content_type="application/json"
            ).status_code
            == refused
        )
        response = client.patch(
            f"{SERVICES}{paspor.pk}/", {"fee_amount": 1}, content_type="application/json"
        )
        assert response.status_code == refused
        assert (
            client.post(
                "/api/v1/catalogue/agencies/", {"code": "x", "name": "X", "kind": "other"}
            ).status_code
            == refused
        )
    paspor.refresh_from_db()
    assert paspor.version == 1
    assert paspor.fee_amount == 350000
    assert not Service.objects.filter(code="dukcapil-surat-domisili").exists()


def test_anonymous_and_citizens_cannot_write(starter, make_user, national_client):
    paspor = Service.objects.get(code="imigrasi-paspor-biasa")
    anonymous = national_client.patch(
        f"{SERVICES}{paspor.pk}/", {"name": "X"}, content_type="application/json"
    )
    assert anonymous.status_code in (401, 403)
    national_client.force_login(make_user())
    citizen = national_client.patch(
        f"{SERVICES}{paspor.pk}/", {"name": "X"}, content_type="application/json"
    )
    assert citizen.status_code == 403
    paspor.refresh_from_db()
    assert paspor.version == 1


def test_superadmin_creates_and_changes_a_service_as_versions(starter, superadmin, national_client):
    national_client.force_login(superadmin)
    created = national_client.post(
        SERVICES, _new_service_payload(), content_type="application/json"
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["version"] == 1
    assert body["requirements"][0]["document_type"]["code"] == "ktp-el"
    service_id = body["id"]

    changed = national_client.patch(
        f"{SERVICES}{service_id}/",
        {"completion_days": 2, "steps": ["Ajukan daring", "Ambil surat"], "note": "Pakai aplikasi"},
        content_type="application/json",
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json()["version"] == 2
    version = ServiceVersion.objects.get(service_id=service_id, number=2)
    assert version.changed_by == superadmin
    assert version.note == "Pakai aplikasi"
    assert version.changed_fields == ["steps", "completion_days"]

    versions = national_client.get(f"{SERVICES}{service_id}/versions/").json()
    assert [v["number"] for v in versions] == [2, 1]
    assert versions[0]["changed_by"] == str(superadmin)
    snapshot = national_client.get(f"{SERVICES}{service_id}/versions/1/").json()["snapshot"]
    assert snapshot["completion_days"] == 1
    changes = national_client.get(f"{SERVICES}{service_id}/changes/", {"from": 1}).json()
    assert changes["to_version"] == 2
    assert {c["field"] for c in changes["changes"]} == {"steps", "completion_days"}


def test_regions_see_what_changed_but_not_who(starter, superadmin, client_a, national_client):
    from shared.catalogue.services import service_update

    skck = Service.objects.get(code="polri-skck")
    service_update(actor=superadmin, service=skck, fee_amount=35000)
    versions = client_a.get(f"{SERVICES}{skck.pk}/versions/").json()
    assert versions[0]["number"] == 2
    assert versions[0]["changed_by"] is None
    changes = client_a.get(f"{SERVICES}{skck.pk}/changes/", {"from": 1}).json()["changes"]
    assert changes == [
        {
            "field": "fee_amount",
            "label": "Biaya (Rp)",
            "before": 30000,
            "after": 35000,
            "added": [],
            "removed": [],
        }
    ]
    assert client_a.get(f"{SERVICES}{skck.pk}/changes/", {"from": 7}).status_code == 404
    assert client_a.get(f"{SERVICES}{skck.pk}/changes/", {"from": "x"}).status_code == 400


def test_writes_only_on_the_national_host(starter, superadmin, client_a):
    client_a.force_login(superadmin)
    paspor = Service.objects.get(code="imigrasi-paspor-biasa")
    response = client_a.patch(
        f"{SERVICES}{paspor.pk}/", {"name": "X"}, content_type="application/json"
    )
    assert response.status_code == 404  # catalogue writes do not exist on a region's host


def test_bad_input_gets_clear_400s_in_indonesian(starter, superadmin, national_client):
    national_client.force_login(superadmin)
    bad = national_client.post(
        SERVICES,
        _new_service_payload(
            agency="tidak-ada", channels=["teleport"], requirements=[{"text": ""}]
        ),
        content_type="application/json",
    )
    assert bad.status_code == 400
    # RFC 9457 problem details: field errors under "errors", nested ones as dotted paths
    errors = {key.split(".")[0] for key in bad.json()["errors"]}
    assert {"agency", "channels", "requirements"} <= errors
    free_with_fee = national_client.post(
        SERVICES,
        _new_service_payload(fee_kind="free", fee_amount=1000),
        content_type="application/json",
    )
    assert free_with_fee.status_code == 400
    assert "gratis" in str(free_with_fee.json()).lower()
    duplicate = national_client.post(
        SERVICES, _new_service_payload(code="polri-skck"), content_type="application/json"
    )
    assert duplicate.status_code == 400
    assert not Service.objects.filter(code="dukcapil-surat-domisili").exists()


def test_superadmin_manages_agencies_through_the_api(starter, superadmin, national_client):
    national_client.force_login(superadmin)
    created = national_client.post(
        "/api/v1/catalogue/agencies/",
        {
            "code": "kantor-pos",
            "name": "PT Pos Indonesia",
            "abbreviation": "Pos",
            "kind": "enterprise",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    agency = Agency.objects.get(code="kantor-pos")
    renamed = national_client.patch(
        f"/api/v1/catalogue/agencies/{agency.pk}/",
        {"name": "PT Pos Indonesia (Persero)"},
        content_type="application/json",
    )
    assert renamed.status_code == 200
    assert renamed.json()["name"] == "PT Pos Indonesia (Persero)"


def test_token_authenticated_superadmin_can_write(starter, superadmin, national_client):
    token = issue_api_token(superadmin)
    paspor = Service.objects.get(code="imigrasi-paspor-biasa")
    response = national_client.patch(
        f"{SERVICES}{paspor.pk}/",
        {"synonyms": "pasport, passport, paspor baru"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
    )
    assert response.status_code == 200
    paspor.refresh_from_db()
    assert "passport" in paspor.synonyms  # the write went through


def test_filters_on_the_list(starter, region_a, offer, national_client):
    offer(Service.objects.get(code="polri-skck"), region_a)
    by_agency = national_client.get(SERVICES, {"agency": "polri"}).json()
    assert by_agency["count"] == 4
    by_province = national_client.get(SERVICES, {"province": "35"}).json()
    assert [s["code"] for s in by_province["results"]] == ["polri-skck"]
    assert by_province["results"][0]["mpps"][0]["slug"] == "banyuwangi"
    by_code = national_client.get(SERVICES, {"code": "polri-skck"}).json()
    assert by_code["count"] == 1
    assert national_client.get("/api/v1/catalogue/search/", {"q": "x"}).status_code == 400


def test_inactive_services_are_hidden_from_the_public(starter, superadmin, national_client):
    from shared.catalogue.services import service_update

    kir = service_update(
        actor=superadmin, service=Service.objects.get(code="dishub-uji-kir"), is_active=False
    )
    assert national_client.get(f"{SERVICES}{kir.pk}/").status_code == 404
    codes = [s["code"] for s in national_client.get(SERVICES, {"page_size": 200}).json()["results"]]
    assert "dishub-uji-kir" not in codes
    national_client.force_login(superadmin)
    assert national_client.get(f"{SERVICES}{kir.pk}/").status_code == 200
    everything = national_client.get(SERVICES, {"page_size": 200, "include_inactive": "1"}).json()
    assert "dishub-uji-kir" in [s["code"] for s in everything["results"]]


def test_list_endpoints_have_bounded_query_counts(
    starter, region_a, region_b, offer, client_a, national_client, django_assert_max_num_queries
):
    for service in Service.objects.all():
        offer(service, region_a)
        offer(service, region_b)
    # Counted per request: a region host adds its routing (domain lookup, search_path) on a cold
    # cache; what matters is that nothing grows with the number of services or MPPs.
    for client in (national_client, client_a):
        with django_assert_max_num_queries(7):
            body = client.get(SERVICES, {"page_size": 100}).json()
        assert len(body["results"]) >= 40
        assert all(len(s["mpps"]) == 2 for s in body["results"])
        with django_assert_max_num_queries(8):
            found = client.get("/api/v1/catalogue/search/", {"q": "surat", "page_size": 50}).json()
        assert found["count"] > 5
        for path in ("agencies", "document-types", "categories", "life-events"):
            with django_assert_max_num_queries(5):
                assert client.get(f"/api/v1/catalogue/{path}/").status_code == 200
    first = Service.objects.first()
    with django_assert_max_num_queries(6):
        national_client.get(f"{SERVICES}{first.pk}/")


def test_fast_serializers_give_exactly_what_the_declared_fields_give(starter, region_a, offer, rf):
    """The list and detail serializers build their output by hand for speed; DRF's generic
    field walk over the same declared fields (what the OpenAPI schema documents) must agree."""
    from shared.catalogue.api.serializers import ServiceDetailSerializer, ServiceListSerializer
    from shared.catalogue.selectors import attach_live_mpps, standard_prefetches

    offer(Service.objects.get(code="polri-skck"), region_a)
    services = attach_live_mpps(
        Service.objects.select_related("agency", "category").prefetch_related(
            *standard_prefetches()
        )
    )
    assert any(s.live_mpps for s in services)
    for serializer_class in (ServiceListSerializer, ServiceDetailSerializer):
        for service in services:
            serializer = serializer_class(service)
            assert serializer.to_representation(service) == serializer.generic_representation(
                service
            ), (serializer_class.__name__, service.code)
