"""PostgreSQL advisory locks that serialise provisioning work across web and worker processes.

Keys are (namespace, id) pairs. A session lock dies with its connection, so a killed worker
never leaves a stale lock behind: the next run simply takes it.
"""

from contextlib import contextmanager

from django.db import connection

_NS = 0x4D50  # "MP"
TEMPLATE = (_NS, 0)  # the template schema and its snapshot
MIGRATE_REGIONS = (_NS, 1)  # one migrate_regions at a time
PIPELINE_NS = _NS + 1  # (PIPELINE_NS, onboarding_id): one pipeline run per region


def pipeline_key(onboarding_id: int) -> tuple[int, int]:
    return (PIPELINE_NS, int(onboarding_id))


@contextmanager
def session_lock(key: tuple[int, int]):
    """Wait for an exclusive session-level lock."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", list(key))
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", list(key))


@contextmanager
def try_session_lock(key: tuple[int, int]):
    """Yield True when the lock was free (and is now held), False when someone else holds it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", list(key))
        got = cursor.fetchone()[0]
    try:
        yield got
    finally:
        if got:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", list(key))


def xact_lock_shared(cursor, key: tuple[int, int]) -> None:
    cursor.execute("SELECT pg_advisory_xact_lock_shared(%s, %s)", list(key))


def is_held(key: tuple[int, int]) -> bool:
    """Whether any session holds the lock (a running pipeline), for the progress display."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            " AND classid = %s AND objid = %s AND objsubid = 2)",
            list(key),
        )
        return cursor.fetchone()[0]
