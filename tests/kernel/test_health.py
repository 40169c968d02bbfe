"""/healthz and /readyz: real dependencies (PostgreSQL, Redis, the private storage), real
failures (a refused port, a storage location that cannot be a directory)."""

import logging
import threading
import time

import pytest
from django.test import Client

from kernel import health


def _body(response) -> str:
    return response.content.decode()


@pytest.mark.django_db
def test_healthz(national_client):
    assert national_client.get("/healthz").json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_when_everything_is_up(national_client):
    response = national_client.get("/readyz")
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "ready"}


@pytest.mark.django_db
def test_readyz_answers_probes_by_pod_ip_and_on_region_hosts(client_a):
    # The kubelet sends the pod IP as Host, which no ALLOWED_HOSTS entry names.
    assert Client(HTTP_HOST="10.1.2.3:8000").get("/readyz").status_code == 200
    assert client_a.get("/readyz").status_code == 200


@pytest.mark.django_db
def test_database_down_is_503_with_the_reason_only_in_the_log(
    national_client, settings, monkeypatch, caplog
):
    # Point the readiness probe at a port where nothing listens: a real refused connection.
    monkeypatch.setitem(settings.DATABASES["default"], "HOST", "127.0.0.1")
    monkeypatch.setitem(settings.DATABASES["default"], "PORT", "1")
    with caplog.at_level(logging.ERROR, logger="kernel.health"):
        response = national_client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}
    assert "database: OperationalError" in caplog.text
    assert "127.0.0.1" not in _body(response)


@pytest.mark.django_db
def test_broker_down_is_503(national_client, settings, caplog):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    with caplog.at_level(logging.ERROR, logger="kernel.health"):
        response = national_client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}
    assert "broker: ConnectionError" in caplog.text


@pytest.mark.django_db
def test_no_broker_configured_is_not_ready(national_client, settings, caplog):
    # Without REDIS_URL tasks would go to an in-process queue no worker reads: not ready.
    settings.REDIS_URL = ""
    with caplog.at_level(logging.ERROR, logger="kernel.health"):
        response = national_client.get("/readyz")
    assert response.status_code == 503
    assert "broker: REDIS_URL is not set" in caplog.text


@pytest.mark.django_db
def test_storage_not_writable_is_503_with_the_reason_only_in_the_log(
    national_client, settings, tmp_path, caplog
):
    # A location below a plain file can never become a directory (root or not).
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    files = {
        "BACKEND": "kernel.files.PrivateFileSystemStorage",
        "OPTIONS": {"location": blocker / "private"},
    }
    settings.STORAGES = {**settings.STORAGES, "default": files, "private": files}
    with caplog.at_level(logging.ERROR, logger="kernel.health"):
        response = national_client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}
    assert "storage: " in caplog.text
    assert "a-file" not in _body(response)


@pytest.mark.django_db
def test_the_storage_check_leaves_no_file_behind(national_client, private_root):
    assert national_client.get("/readyz").status_code == 200
    assert [p for p in private_root.rglob("*") if p.is_file()] == []


@pytest.mark.django_db
def test_the_result_is_cached_for_a_moment(national_client, settings, monkeypatch):
    assert national_client.get("/readyz").status_code == 200
    monkeypatch.setitem(settings.DATABASES["default"], "HOST", "127.0.0.1")
    monkeypatch.setitem(settings.DATABASES["default"], "PORT", "1")
    # Within the cache window the database is not asked again...
    assert national_client.get("/readyz").status_code == 200
    # ...and once the window has passed it is.
    monkeypatch.setattr(health, "READY_CACHE_SECONDS", 0.0)
    assert national_client.get("/readyz").status_code == 503


@pytest.mark.django_db
def test_a_flood_of_probes_costs_one_check(monkeypatch):
    calls = []
    real = health.check_database

    def counted():
        calls.append(1)
        return real()

    monkeypatch.setattr(health, "check_database", counted)
    barrier = threading.Barrier(40)
    statuses = []

    def probe():
        barrier.wait()
        statuses.append(Client(HTTP_HOST="10.0.0.7").get("/readyz").status_code)

    threads = [threading.Thread(target=probe) for _ in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [200] * 40
    assert len(calls) == 1


@pytest.mark.django_db
def test_a_stuck_check_does_not_hold_every_probe(monkeypatch):
    # A dependency that hangs (an NFS mount that stopped answering) keeps one check busy; the
    # other probes give up after a bounded wait and answer 503 instead of piling up.
    release = threading.Event()
    entered = threading.Event()

    def hung_storage():
        entered.set()
        release.wait(30)

    monkeypatch.setattr(health, "check_storage", hung_storage)
    monkeypatch.setattr(health, "_WAIT_SECONDS", 0.5)
    first = threading.Thread(target=lambda: Client(HTTP_HOST="10.0.0.8").get("/readyz"))
    first.start()
    assert entered.wait(10)
    started = time.monotonic()
    response = Client(HTTP_HOST="10.0.0.9").get("/readyz")
    waited = time.monotonic() - started
    release.set()
    first.join(10)
    assert response.status_code == 503
    assert 0.4 < waited < 5
