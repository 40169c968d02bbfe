import pytest
from django.db import connection, transaction

from kernel.errors import MissingRegionSchemaError
from kernel.tasks import dispatch_to_live_regions, region_task, region_task_send
from mpp_platform.celery import app
from shared.regions.models import Mpp


@region_task(name="tests.where_am_i")
def where_am_i(*, schema_name: str) -> str:
    return connection.schema_name


def test_region_task_without_schema_refuses_to_run(db):
    with pytest.raises(MissingRegionSchemaError):
        where_am_i.apply(kwargs={}, throw=True)
    with pytest.raises(MissingRegionSchemaError):
        where_am_i.apply(kwargs={"schema_name": "public"}, throw=True)


def test_region_task_with_a_schema_that_the_worker_is_not_in_refuses(db, region_a):
    # Enqueued from public with only the kwarg: the header says public, so it must refuse.
    with pytest.raises(MissingRegionSchemaError):
        where_am_i.apply(kwargs={"schema_name": region_a.schema_name}, throw=True)


def test_region_task_runs_in_its_schema(db, region_a):
    result = where_am_i.apply(
        kwargs={"schema_name": region_a.schema_name},
        headers={"_schema_name": region_a.schema_name},
        throw=True,
    )
    assert result.get() == region_a.schema_name
    assert connection.schema_name == "public"


def test_region_tasks_are_enqueued_on_commit_only(db, region_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        region_task_send(where_am_i, schema_name=region_a.schema_name)
    assert len(callbacks) == 1


def test_dispatcher_skips_regions_that_are_not_live(db, region_a, region_b, monkeypatch):
    sent = []
    monkeypatch.setattr(app, "send_task", lambda name, **kw: sent.append((name, kw)))
    Mpp.objects.filter(pk=region_b.pk).update(status=Mpp.Status.SUSPENDED)
    assert dispatch_to_live_regions.apply(args=["tests.where_am_i"]).get() == 1
    assert [kw["headers"]["_schema_name"] for _, kw in sent] == [region_a.schema_name]


@region_task(name="tests.record_schema")
def record_schema(*, schema_name: str, key: str) -> None:
    import redis
    from django.conf import settings

    redis.Redis.from_url(settings.REDIS_URL).set(key, connection.schema_name, ex=60)


def test_region_task_through_a_real_worker_and_broker(db, region_a):
    """The real path: Redis broker, a Celery worker thread, the schema travelling in headers."""
    import time
    import uuid

    import redis
    from celery.contrib.testing.worker import start_worker
    from django.conf import settings

    assert settings.REDIS_URL, "make test starts Redis; REDIS_URL must be set"
    store = redis.Redis.from_url(settings.REDIS_URL)
    key = f"test:{uuid.uuid4()}"
    with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
        record_schema.apply_async(
            kwargs={"schema_name": region_a.schema_name, "key": key},
            headers={"_schema_name": region_a.schema_name},
        )
        deadline = time.monotonic() + 30
        while store.get(key) is None and time.monotonic() < deadline:
            time.sleep(0.1)
    assert store.get(key) == region_a.schema_name.encode()


@region_task(name="tests.collect_schema")
def collect_schema(*, schema_name: str, key: str) -> None:
    import redis
    from django.conf import settings

    store = redis.Redis.from_url(settings.REDIS_URL)
    store.rpush(key, connection.schema_name)
    store.expire(key, 120)


def test_every_beat_entry_names_registered_tasks():
    from django.conf import settings

    assert settings.CELERY_BEAT_SCHEDULE
    app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, name
        if entry["task"] == dispatch_to_live_regions.name:
            assert entry["args"][0] in app.tasks, name


def test_beat_to_broker_to_worker_reaches_every_live_region_once(
    django_db_setup, django_db_blocker
):
    """The whole chain with no stand-in: a beat scheduler applies a due entry as beat does, the
    message crosses Redis, a real worker runs the dispatcher, which fans out over Redis again
    to every live region; a suspended region is skipped."""
    import datetime as dt
    import time
    import uuid

    import redis
    from celery.beat import ScheduleEntry, Scheduler
    from celery.contrib.testing.worker import start_worker
    from django.conf import settings

    store = redis.Redis.from_url(settings.REDIS_URL)
    key = f"test:beat:{uuid.uuid4()}"
    with django_db_blocker.unblock():
        live = list(Mpp.objects.filter(status=Mpp.Status.LIVE).order_by("schema_name"))
        assert len(live) >= 2
        suspended = live[-1]
        Mpp.objects.filter(pk=suspended.pk).update(status=Mpp.Status.SUSPENDED)
        expected = {m.schema_name for m in live[:-1]}
        try:
            entry = ScheduleEntry(
                name="test-fan-out",
                task=dispatch_to_live_regions.name,
                schedule=dt.timedelta(seconds=1),
                args=("tests.collect_schema",),
                kwargs={"key": key},
                app=app,
            )
            with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
                scheduler = Scheduler(app, schedule={}, lazy=True)
                with app.producer_or_acquire() as producer:
                    scheduler.apply_entry(entry, producer=producer)
                deadline = time.monotonic() + 60
                while store.llen(key) < len(expected) and time.monotonic() < deadline:
                    time.sleep(0.1)
                time.sleep(0.5)  # a duplicate or a suspended region's run would land by now
        finally:
            Mpp.objects.filter(pk=suspended.pk).update(status=Mpp.Status.LIVE)
            connection.set_schema_to_public()
    assert sorted(s.decode() for s in store.lrange(key, 0, -1)) == sorted(expected)
