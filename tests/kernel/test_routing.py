import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kernel.routing import clear_routing_cache, host_kind
from tests.conftest import host_of


@pytest.mark.django_db
def test_national_host_serves_the_national_site_in_public(national_client):
    response = national_client.get("/")
    assert response.status_code == 200
    assert "Mal Pelayanan Publik Digital" in response.content.decode()
    assert response.wsgi_request.tenant is None


def test_region_host_serves_its_own_schema(client_a, region_a):
    response = client_a.get("/")
    assert response.status_code == 200
    assert response.wsgi_request.tenant.schema_name == region_a.schema_name
    assert "Banyuwangi" in response.content.decode()


def test_region_b_host_is_region_b(client_b, region_b):
    response = client_b.get("/")
    assert response.wsgi_request.tenant.schema_name == region_b.schema_name
    assert "Probolinggo" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "host", ["tidakada.mpp.localhost", "bintan.mpp.localhost", "a.b.mpp.localhost"]
)
def test_unknown_subdomain_gets_friendly_404(client, host):
    response = client.get("/", HTTP_HOST=host)
    assert response.status_code == 404
    body = response.content.decode()
    assert "tidak ditemukan" in body
    assert host in body


@pytest.mark.django_db
def test_region_not_yet_provisioned_is_unknown(client):
    # Kabupaten Bintan exists as a region but has no MPP: never the national site.
    response = client.get("/api/v1/me/", HTTP_HOST="bintan.mpp.localhost")
    assert response.status_code == 404


def test_health_answers_on_any_host(client, db):
    assert client.get("/healthz", HTTP_HOST="10.1.2.3").status_code == 200


def test_warm_process_spends_no_query_on_tenant_lookup(client_a, region_a):
    """A real region page (not /healthz, which the middleware answers before any host lookup)."""
    client_a.get("/")  # warm the routing cache
    for path in ("/", "/layanan/"):
        with CaptureQueriesContext(connection) as ctx:
            response = client_a.get(path)
        assert response.status_code == 200
        assert response.wsgi_request.tenant.schema_name == region_a.schema_name
        sqls = [q["sql"] for q in ctx.captured_queries]
        lookups = [q for q in sqls if "onboarding_domain" in q or "onboarding_mpp" in q]
        search_paths = [q for q in sqls if "search_path" in q.lower()]
        assert sqls, "the page must have reached the database (else nothing was measured)"
        assert lookups == [], lookups
        assert len(search_paths) <= 1, search_paths


def test_a_cold_process_looks_the_host_up_once(client_a, region_a):
    """The positive control of the warm test: without the cache, the lookup query is there."""
    clear_routing_cache()
    with CaptureQueriesContext(connection) as ctx:
        client_a.get("/")
    assert any("onboarding_domain" in q["sql"] for q in ctx.captured_queries)


def test_host_kind():
    assert host_kind("mpp.localhost") == "national"
    assert host_kind("banyuwangi.mpp.localhost") == "banyuwangi.mpp.localhost"
    assert host_kind("x.y.mpp.localhost") is None
    assert host_kind("evil.com") is None
    assert host_kind("localhost.evil.com") is None


def test_host_helper(region_a):
    assert host_of(region_a) == "banyuwangi.mpp.localhost"


def test_national_home_lists_only_live_mpps_in_a_fixed_number_of_queries(
    national_client, region_a, region_b, django_assert_max_num_queries
):
    from shared.regions.models import Mpp

    with django_assert_max_num_queries(6):
        first = national_client.get("/")
    assert "Banyuwangi" in first.content.decode()
    Mpp.objects.filter(pk=region_b.pk).update(status=Mpp.Status.SUSPENDED)
    with django_assert_max_num_queries(6):
        second = national_client.get("/")
    # A suspended MPP is no longer listed as live.
    assert "Kota Probolinggo" not in second.content.decode()
