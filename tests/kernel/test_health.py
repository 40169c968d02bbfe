import pytest


@pytest.mark.django_db
def test_healthz(national_client):
    assert national_client.get("/healthz").json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_when_everything_is_up(national_client):
    response = national_client.get("/readyz")
    assert response.status_code == 200, response.content


@pytest.mark.django_db
def test_readyz_is_503_with_the_reason_when_the_database_is_unreachable(
    national_client, settings, monkeypatch
):
    # Point the readiness probe at a port where nothing listens: a real refused connection.
    monkeypatch.setitem(settings.DATABASES["default"], "HOST", "127.0.0.1")
    monkeypatch.setitem(settings.DATABASES["default"], "PORT", "1")
    response = national_client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["problems"][0].startswith("database:")


@pytest.mark.django_db
def test_readyz_is_503_when_the_broker_is_unreachable(national_client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = national_client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["problems"][0].startswith("broker:")
