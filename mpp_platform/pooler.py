"""Refuse to run behind a connection pooler that does not keep a server session per client.

Region isolation rides on ``SET search_path`` for the whole of a request. Behind PgBouncer in
*transaction* (or *statement*) mode, consecutive transactions of one client may run on different
server connections, so one region's search_path can serve another region's request (django-tenants
issues 545, 732, 1112). PgBouncer in *session* mode and direct connections are fine.

The check is behavioural, not a setting read: two client connections are open at once; in session
mode each keeps its own server backend (the same PID before and after the other one's
transaction, and a PID different from the other's). It runs when a web or worker process starts
(``mpp_platform.wsgi``/``asgi``, the Celery worker's ``worker_init``).
"""

import logging
from contextlib import suppress

import psycopg
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

MESSAGE = (
    "MPP Digital menolak berjalan: pooler koneksi di depan PostgreSQL tidak mempertahankan sesi "
    "server per klien ({detail}). Pisahan wilayah (search_path) akan bocor antarpermintaan. "
    "Gunakan koneksi langsung atau PgBouncer dengan pool_mode = session. "
    "(Refusing to run: the connection pooler does not keep one server session per client; use a "
    "direct connection or PgBouncer pool_mode = session.)"
)


class SessionPoolerError(ImproperlyConfigured):
    pass


def conninfo_from_settings() -> dict:
    db = settings.DATABASES["default"]
    params = {
        "dbname": db.get("NAME") or "postgres",
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        "connect_timeout": 5,
    }
    return {k: v for k, v in params.items() if v is not None}


def _pid(conn: psycopg.Connection) -> int:
    row = conn.execute("SELECT pg_backend_pid()").fetchone()
    assert row is not None
    return int(row[0])


def session_problem(conninfo: dict) -> str | None:
    """None when every client connection keeps its own server session; else what went wrong."""
    a = psycopg.connect(**conninfo, autocommit=True)
    b = psycopg.connect(**conninfo)
    try:
        first = _pid(a)
        other = _pid(b)  # b now holds a transaction open while a asks again
        again = _pid(a)
    except psycopg.Error as exc:  # statement pooling refuses multi-statement transactions
        return f"{type(exc).__name__}: {str(exc).strip()[:200]}"
    finally:
        for conn in (b, a):
            with suppress(psycopg.Error):
                conn.close()
    if first != again:
        return f"satu klien berpindah sesi server: PID {first} lalu {again}"
    if first == other:
        return f"dua klien berbagi satu sesi server (PID {first})"
    return None


def require_session_pooling(conninfo: dict | None = None) -> None:
    """Raise SessionPoolerError when the database path does not keep sessions."""
    problem = session_problem(conninfo or conninfo_from_settings())
    if problem is not None:
        raise SessionPoolerError(MESSAGE.format(detail=problem))


def startup_check() -> None:
    """Called as a process starts. An unreachable database is /readyz's business, not ours:
    the process starts and the check runs at the next start; a pooler that is reachable and
    wrong stops the boot."""
    try:
        require_session_pooling()
    except SessionPoolerError:
        raise
    except psycopg.OperationalError as exc:
        logger.warning("pooler check skipped, database unreachable: %s", exc)
