"""Celery beat that cannot schedule twice: only the beat holding a Redis lock sends anything.

The chart runs one beat with the Recreate strategy, but a second one can still appear (a manual
scale, a node that comes back after its pod was replaced, two ``make run`` on one Redis). Each
tick, a beat renews the lock (or takes it when it is free) before it looks at the schedule; a beat
that does not hold it sends nothing and stands by, so it can still be stopped at once. The lock is
renewed at least every ``RENEW_SECONDS``, well inside ``LOCK_SECONDS``, so when the leading beat
dies another takes over within a minute. A beat that takes over after standing by counts its
schedule from that moment: what fell due meanwhile was the other beat's to send.
"""

import logging
from contextlib import suppress

import redis
from celery.beat import PersistentScheduler
from django.conf import settings
from redis.exceptions import LockError

logger = logging.getLogger(__name__)

LOCK_KEY = "mpp:celery-beat:leader"
LOCK_SECONDS = 60
RENEW_SECONDS = 15
STANDBY_SECONDS = 5


class SingleBeatScheduler(PersistentScheduler):
    _lock = None
    _leading = False
    _stood_by = False

    def setup_schedule(self) -> None:
        super().setup_schedule()
        if settings.REDIS_URL:
            client = redis.Redis.from_url(
                settings.REDIS_URL, socket_timeout=10, socket_connect_timeout=10
            )
            # Not thread-local: the lock belongs to this beat, whichever thread renews it.
            self._lock = client.lock(LOCK_KEY, timeout=LOCK_SECONDS, thread_local=False)

    def is_leader(self) -> bool:
        """Whether this beat may send now: it holds the lock (renewed), taking it when free."""
        if self._lock is None:
            return True  # no Redis (a local run without one): nothing else can share a schedule
        if self._leading:
            try:
                self._lock.reacquire()  # back to the full timeout, only if still ours
                return True
            except LockError:
                logger.error("celery beat lost %s; standing by", LOCK_KEY)
                self._leading = False
                self._stood_by = True
        if self._lock.acquire(blocking=False):
            self._leading = True
            if self._stood_by:
                self._start_afresh()
            logger.info("celery beat holds %s", LOCK_KEY)
            return True
        if not self._stood_by:
            logger.warning("another celery beat holds %s; standing by", LOCK_KEY)
        self._stood_by = True
        return False

    def _start_afresh(self) -> None:
        for entry in self.schedule.values():
            entry.last_run_at = entry.default_now()
        self._heap = None  # rebuilt from the entries on the next tick

    def tick(self, *args, **kwargs) -> float:
        if not self.is_leader():
            return STANDBY_SECONDS
        delay = super().tick(*args, **kwargs)
        return min(delay, RENEW_SECONDS) if delay is not None else RENEW_SECONDS

    def close(self) -> None:
        super().close()
        if self._lock is not None and self._leading:
            with suppress(LockError):  # expired or taken over meanwhile: nothing of ours
                self._lock.release()
            self._leading = False
