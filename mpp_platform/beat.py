"""Celery beat that cannot schedule twice: it holds a Redis lock while it runs.

The chart runs one beat with the Recreate strategy, but a second one can still appear (a manual
scale, a node that comes back after its pod was replaced, two ``make run`` on one Redis). Every
beat takes the lock before it loads its schedule and renews it before each tick; one that does
not hold it waits, and one that loses it (Redis flushed, the process stalled past the timeout)
stops instead of sending. Renewal happens at least every ``RENEW_SECONDS``, well inside
``LOCK_SECONDS``, so a beat that dies frees the lock for the next one within a minute.
"""

import logging
import time
from contextlib import suppress

import redis
from celery.beat import PersistentScheduler
from django.conf import settings
from redis.exceptions import LockError

logger = logging.getLogger(__name__)

LOCK_KEY = "mpp:celery-beat:leader"
LOCK_SECONDS = 60
RENEW_SECONDS = 15
WAIT_SECONDS = 5


class SingleBeatScheduler(PersistentScheduler):
    _lock = None

    def setup_schedule(self) -> None:
        url = settings.REDIS_URL
        if url:
            client = redis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=10)
            # Not thread-local: beat renews from its own loop, and the lock belongs to the process.
            self._lock = client.lock(LOCK_KEY, timeout=LOCK_SECONDS, thread_local=False)
            waited = 0.0
            while not self._lock.acquire(blocking=False):
                if waited % 60 == 0:
                    logger.warning("another celery beat holds %s; waiting to take over", LOCK_KEY)
                time.sleep(WAIT_SECONDS)
                waited += WAIT_SECONDS
            logger.info("celery beat holds %s", LOCK_KEY)
        super().setup_schedule()

    def tick(self, *args, **kwargs) -> float:
        if self._lock is not None:
            try:
                self._lock.reacquire()  # back to the full timeout, only if still ours
            except LockError:
                logger.error("celery beat lost %s; stopping so that nothing runs twice", LOCK_KEY)
                raise SystemExit(1) from None
        delay = super().tick(*args, **kwargs)
        return min(delay, RENEW_SECONDS) if delay is not None else RENEW_SECONDS

    def close(self) -> None:
        super().close()
        if self._lock is not None:
            # Already expired or taken over: then there is nothing of ours to free.
            with suppress(LockError):
                self._lock.release()
            self._lock = None
