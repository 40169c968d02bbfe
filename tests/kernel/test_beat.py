"""Two celery beats on one Redis: the second waits, takes over when the first stops, and a beat
that lost its lock stops before it can send anything (real Redis, real schedulers)."""

import threading

import pytest
import redis
from django.conf import settings

from mpp_platform import beat
from mpp_platform.celery import app


@pytest.fixture
def lock_key(monkeypatch):
    assert settings.REDIS_URL, "make test starts Redis; REDIS_URL must be set"
    monkeypatch.setattr(beat, "WAIT_SECONDS", 0.05)
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete(beat.LOCK_KEY)
    yield client
    client.delete(beat.LOCK_KEY)


def test_a_second_beat_waits_until_the_first_stops(lock_key, tmp_path):
    assert app.conf.beat_scheduler == "mpp_platform.beat:SingleBeatScheduler"
    first = beat.SingleBeatScheduler(app=app, schedule_filename=str(tmp_path / "first"))
    assert lock_key.get(beat.LOCK_KEY) is not None
    started = threading.Event()
    holder: list = []

    def second_beat():
        holder.append(beat.SingleBeatScheduler(app=app, schedule_filename=str(tmp_path / "b")))
        started.set()

    thread = threading.Thread(target=second_beat, daemon=True)
    thread.start()
    assert not started.wait(1.0)  # still waiting: the first beat holds the lock
    assert first.tick() <= beat.RENEW_SECONDS  # the holder renews and keeps ticking
    assert 0 < lock_key.pttl(beat.LOCK_KEY) <= beat.LOCK_SECONDS * 1000
    first.close()
    assert started.wait(10)  # the second takes over once the first is gone
    second = holder[0]
    assert second.tick() <= beat.RENEW_SECONDS
    second.close()
    assert lock_key.get(beat.LOCK_KEY) is None


def test_a_beat_that_lost_its_lock_stops_before_sending(lock_key, tmp_path):
    scheduler = beat.SingleBeatScheduler(app=app, schedule_filename=str(tmp_path / "s"))
    lock_key.delete(beat.LOCK_KEY)  # expired while the process stalled, or Redis was flushed
    lock_key.set(beat.LOCK_KEY, b"someone-else")
    with pytest.raises(SystemExit):
        scheduler.tick()
    scheduler.close()
    assert lock_key.get(beat.LOCK_KEY) == b"someone-else"  # not freed by the loser
