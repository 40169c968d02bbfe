"""Liveness and readiness, answered on every host (probes come by pod IP).

``/readyz`` says only "ready" or "unavailable": what is wrong (the database, the broker, the
private file storage) goes to the log, never to whoever asked. The probe is public, so it must
not be a way to load the servers: each process runs at most one check at a time and every probe
within ``READY_CACHE_SECONDS`` gets that result, so a flood of probes costs one database
connection, one Redis connection and one small file write per process every two seconds.
"""

import logging
import os
import socket
import threading
import time

import psycopg
import redis
from django.conf import settings
from django.core.files.base import ContentFile
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from kernel.files import PUBLIC_SCHEMA, file_prefix, private_storage

logger = logging.getLogger(__name__)

READY_CACHE_SECONDS = 2.0
_TIMEOUT = 2  # seconds, per dependency: a probe must answer before the kubelet gives up
_WAIT_SECONDS = 5  # the longest a probe waits for another probe's check

_check_lock = threading.Lock()
_last: tuple[float, tuple[str, ...]] | None = None


@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


def _database_conninfo() -> dict:
    db = settings.DATABASES["default"]
    params = {
        "dbname": db.get("NAME") or "postgres",
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        "connect_timeout": _TIMEOUT,
    }
    return {k: v for k, v in params.items() if v is not None}


def _reason(what: str, exc: BaseException) -> str:
    return f"{what}: {type(exc).__name__}: {str(exc).strip()[:200]}"


def check_database() -> str | None:
    # A fresh connection, not Django's: a stale pooled one must not hide an outage.
    try:
        with psycopg.connect(**_database_conninfo()) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:
        return _reason("database", exc)
    return None


def check_broker() -> str | None:
    url = settings.REDIS_URL
    if not url:
        # Without Redis, Celery falls back to an in-process queue that no worker reads.
        return "broker: REDIS_URL is not set"
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=_TIMEOUT, socket_timeout=_TIMEOUT)
        try:
            client.ping()
        finally:
            client.close()
    except Exception as exc:
        return _reason("broker", exc)
    return None


def check_storage() -> str | None:
    """Write, read back and delete a small file in the private storage every replica shares."""
    storage = private_storage()
    name = f"{file_prefix(PUBLIC_SCHEMA)}readyz/{socket.gethostname()}-{os.getpid()}"
    payload = str(time.time_ns()).encode()
    try:
        stored = storage.save(name, ContentFile(payload))
        try:
            with storage.open(stored, "rb") as fh:
                if fh.read() != payload:
                    return "storage: the file read back differs from the file written"
        finally:
            storage.delete(stored)
    except Exception as exc:
        return _reason("storage", exc)
    return None


def readiness_problems() -> tuple[str, ...]:
    """What keeps this process from serving (empty when ready), at most READY_CACHE_SECONDS old.

    Probes that arrive while a check runs wait for it and share its result, but never longer
    than ``_WAIT_SECONDS``: a check stuck on a hung dependency (an NFS server that stopped
    answering) must not pile up every request thread behind it."""
    global _last
    last = _last
    if last is not None and time.monotonic() - last[0] < READY_CACHE_SECONDS:
        return last[1]
    if not _check_lock.acquire(timeout=_WAIT_SECONDS):
        return ("readiness: the previous check has not finished",)
    try:
        last = _last
        if last is not None and time.monotonic() - last[0] < READY_CACHE_SECONDS:
            return last[1]
        problems = tuple(p for p in (check_database(), check_broker(), check_storage()) if p)
        if problems:
            logger.error("not ready: %s", "; ".join(problems))
        _last = (time.monotonic(), problems)
        return problems
    finally:
        _check_lock.release()


def forget_readiness() -> None:
    """Drop the cached result, so the next probe checks again."""
    global _last
    with _check_lock:
        _last = None


@never_cache
def readyz(request):
    if readiness_problems():
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ready"})
