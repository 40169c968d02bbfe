"""The Redis cache, degraded to a miss when Redis is down.

The cache only ever speeds things up (page copies, the hall board, routing hints), so an outage of
Redis must not turn pages into errors: every operation that cannot reach Redis answers as a miss
(reads) or does nothing (writes), logs once per outage, and tries again on the next call.
Short socket timeouts keep a hung Redis from holding requests.
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
_UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)
_last_warning = 0.0


def _degrade(default=None):
    def wrap(method):
        @functools.wraps(method)
        def inner(self, *args, **kwargs):
            global _last_warning  # one warning per minute per process
            try:
                return method(self, *args, **kwargs)
            except _UNAVAILABLE as exc:
                if time.monotonic() - _last_warning > 60:
                    _last_warning = time.monotonic()
                    logger.warning("cache unavailable, serving without it: %s", exc)
                if callable(default):
                    return default(*args, **kwargs)
                return default

        return inner

    return wrap


def _get_default(key, default=None, version=None):
    return default


class ResilientRedisCache(RedisCache):
    get = _degrade(_get_default)(RedisCache.get)
    get_many = _degrade(lambda *a, **k: {})(RedisCache.get_many)
    has_key = _degrade(False)(RedisCache.has_key)
    add = _degrade(False)(RedisCache.add)
    set = _degrade(None)(RedisCache.set)
    set_many = _degrade(lambda *a, **k: list(a[0]) if a else [])(RedisCache.set_many)
    touch = _degrade(False)(RedisCache.touch)
    delete = _degrade(False)(RedisCache.delete)
    delete_many = _degrade(None)(RedisCache.delete_many)
    clear = _degrade(False)(RedisCache.clear)
    incr = _degrade(lambda key, delta=1, version=None: delta)(RedisCache.incr)
    get_or_set = _degrade(
        lambda key, default, *a, **k: default() if callable(default) else default
    )(RedisCache.get_or_set)
