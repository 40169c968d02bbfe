"""While the database is unreachable, pages and the API answer 503 with a human message (no
traceback), whether the failure comes from the routing middleware or from a view."""

import pytest
from django.db import OperationalError
from django.test import Client

from tests.conftest import host_of


@pytest.fixture
def database_down(monkeypatch):
    """The routing middleware's first query fails as it does while PostgreSQL restarts."""
    from kernel import routing

    def refuse(hostname):
        raise OperationalError('connection to server on socket "/x/.s.PGSQL.5432" failed')

    monkeypatch.setattr(routing, "_lookup_tenant", refuse)


@pytest.mark.parametrize("path", ["/", "/layanan/", "/antrean/"])
def test_a_page_during_the_outage_is_a_503_page(region_a, database_down, path):
    client = Client(HTTP_HOST=host_of(region_a), raise_request_exception=False)
    response = client.get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    body = response.content.decode()
    assert "Layanan sedang dipulihkan" in body
    assert "Traceback" not in body
    assert "OperationalError" not in body
    assert "PGSQL" not in body


def test_the_api_during_the_outage_answers_json(region_a, database_down):
    client = Client(HTTP_HOST=host_of(region_a), raise_request_exception=False)
    response = client.get("/api/v1/mpp/status/")
    assert response.status_code == 503
    assert response.json()["code"] == "unavailable"


def test_other_errors_stay_500(region_a, monkeypatch):
    from kernel import routing

    def broken(hostname):
        raise ValueError("a bug, not an outage")

    monkeypatch.setattr(routing, "_lookup_tenant", broken)
    client = Client(HTTP_HOST=host_of(region_a), raise_request_exception=False)
    assert client.get("/").status_code == 500
