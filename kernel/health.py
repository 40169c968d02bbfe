"""Liveness and readiness, answered on every host."""

import psycopg
import redis
from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


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
        "connect_timeout": 2,
    }
    return {k: v for k, v in params.items() if v is not None}


def check_database() -> str | None:
    # A fresh connection, not Django's: a stale pooled one must not hide an outage.
    try:
        with psycopg.connect(**_database_conninfo()) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:
        return f"database: {type(exc).__name__}: {str(exc).strip()[:200]}"
    return None


def check_broker() -> str | None:
    url = settings.REDIS_URL
    if not url:
        return None  # memory broker in tests without Redis
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        client.ping()
    except Exception as exc:
        return f"broker: {type(exc).__name__}: {str(exc).strip()[:200]}"
    return None


@never_cache
def readyz(request):
    problems = [p for p in (check_database(), check_broker()) if p]
    if problems:
        return JsonResponse({"status": "unavailable", "problems": problems}, status=503)
    return JsonResponse({"status": "ready"})
