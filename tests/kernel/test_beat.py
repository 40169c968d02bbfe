"""Two celery beats on one Redis: only the one holding the lock sends; the other stands by, takes
over when the first stops (counting its schedule from then), and a beat that lost the lock stops
sending (real Redis, real schedulers; only the final send is recorded instead of enqueued)."""

import datetime as dt

import pytest
import redis
from django.conf import settings
from django.utils import timezone

from mpp_platform import beat
from mpp_platform.celery import app

EVERY_INSTANT = {"probe": {"task": "mpp_platform.beat_probe", "schedule": dt.timedelta(0)}}


@pytest.fixture
def lock(monkeypatch):
    assert settings.REDIS_URL, "make test starts Redis; REDIS_URL must be set"
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete(beat.LOCK_KEY)
    yield client
    client.delete(beat.LOCK_KEY)


@pytest.fixture
def make_beat(tmp_path, monkeypatch):
    sent: list[tuple[str, str]] = []

    def record(self, entry, producer=None, advance=True, **kwargs):
        sent.append((self.schedule_filename.rsplit("/", 1)[-1], entry.name))

    monkeypatch.setattr(beat.SingleBeatScheduler, "apply_entry", record)
    made = []

    def _make(name: str) -> beat.SingleBeatScheduler:
        scheduler = beat.SingleBeatScheduler(app=app, schedule_filename=str(tmp_path / name))
        scheduler.update_from_dict(EVERY_INSTANT)
        made.append(scheduler)
        return scheduler

    yield _make, sent
    for scheduler in made:
        scheduler.close()


def test_the_project_uses_the_single_beat_scheduler():
    assert app.conf.beat_scheduler == "mpp_platform.beat:SingleBeatScheduler"


def test_only_the_lock_holder_sends_and_the_other_takes_over(lock, make_beat):
    make, sent = make_beat
    first, second = make("first"), make("second")
    first.tick()
    assert ("first", "probe") in sent
    token = lock.get(beat.LOCK_KEY)
    assert 0 < lock.pttl(beat.LOCK_KEY) <= beat.LOCK_SECONDS * 1000
    for _ in range(3):
        assert second.tick() == beat.STANDBY_SECONDS  # stands by: sends nothing
        first.tick()
    assert [s for s in sent if s[0] == "second"] == []
    assert lock.get(beat.LOCK_KEY) == token
    first.close()  # a rollout or a crash: the lock is freed (or expires)
    before = timezone.now()
    second.tick()
    assert lock.get(beat.LOCK_KEY) not in (None, token)
    # It counts its schedule from the takeover: nothing the first beat owned is replayed.
    assert second.schedule["probe"].last_run_at >= before - dt.timedelta(seconds=1)
    second.tick()
    assert ("second", "probe") in sent
    sent.clear()
    first.tick()  # the old one, if it came back, would only stand by
    assert [s for s in sent if s[0] == "first"] == []


def test_a_beat_that_lost_its_lock_stops_sending(lock, make_beat):
    make, sent = make_beat
    scheduler = make("only")
    scheduler.tick()
    assert sent
    sent.clear()
    # The lock expired while the process stalled, and another beat took it.
    lock.set(beat.LOCK_KEY, b"someone-else", px=beat.LOCK_SECONDS * 1000)
    assert scheduler.tick() == beat.STANDBY_SECONDS
    assert sent == []
    scheduler.close()
    assert lock.get(beat.LOCK_KEY) == b"someone-else"  # not freed by the loser
