"""Every API error of both sites has one shape: RFC 9457 problem details, from one handler."""

import pytest

REQUIRED = {"type", "title", "status", "detail", "code"}


def _assert_problem(response, status_code: int, code: str) -> dict:
    assert response.status_code == status_code
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert set(body) >= REQUIRED
    assert body["status"] == status_code
    assert body["code"] == code
    assert body["type"] == f"urn:mpp-digital:problem:{code}"
    assert body["title"]
    assert body["detail"]
    return body


def test_not_found_on_a_region_host(db, client_a):
    response = client_a.get("/api/v1/catalogue/services/999999/")
    _assert_problem(response, 404, "not_found")


def test_unauthenticated_on_the_national_host(db, national_client):
    response = national_client.get("/api/v1/onboarding/regions/")
    body = _assert_problem(response, response.status_code, response.json()["code"])
    assert body["code"] in ("not_authenticated", "authentication_failed")


def test_field_errors_are_listed_per_field(db, national_client, make_user):
    admin = make_user(superadmin=True)
    national_client.force_login(admin)
    response = national_client.post(
        "/api/v1/catalogue/agencies/", {"name": ""}, content_type="application/json"
    )
    body = _assert_problem(response, 400, "invalid")
    assert "name" in body["errors"]
    assert all(isinstance(m, str) for m in body["errors"]["name"])


def test_errors_follow_the_language_asked(db, client_a):
    indonesian = client_a.get("/api/v1/catalogue/services/999999/").json()
    english = client_a.get("/api/v1/catalogue/services/999999/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert indonesian["type"] == english["type"]
    assert indonesian["title"] == "Tidak ditemukan"


@pytest.mark.parametrize("page_size", ["500", "100000"])
def test_list_page_size_is_capped(db, client_a, page_size):
    from kernel.pagination import CappedPageNumberPagination
    from shared.catalogue.api.views import CataloguePagination

    assert CappedPageNumberPagination.max_page_size == 100
    response = client_a.get(f"/api/v1/catalogue/services/?page_size={page_size}")
    assert response.status_code == 200
    assert len(response.json()["results"]) <= CataloguePagination.max_page_size
