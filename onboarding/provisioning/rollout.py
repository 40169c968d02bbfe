"""Migrations at scale: the template first, then only the region schemas that are behind, in
parallel, each with its own status record.

"Behind" means the schema lacks some migration record that the template has; it is found for
hundreds of schemas in one query per chunk, so a no-op deploy costs a few queries, not one
``migrate`` per region. One region failing never stops the others; its record keeps the error,
and the next run picks it up again (it is still behind) while the migrated ones are left alone.
"""

import logging
import multiprocessing
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from django.db import connections
from django.utils import timezone

from kernel.schemas import TEMPLATE_SCHEMA
from kernel.tenancy import connection
from onboarding.models import SchemaMigrationState
from onboarding.provisioning import locks
from onboarding.provisioning.template import (
    current_snapshot,
    q,
    schema_migrate,
    schema_migrations,
    template_rebuild,
)
from shared.regions.models import Mpp

logger = logging.getLogger(__name__)
CHUNK = 200


@dataclass
class RolloutReport:
    template_migrated: bool = False
    checked: int = 0
    behind: list[str] = field(default_factory=list)
    migrated: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0


def region_schemas() -> list[str]:
    """Schemas of every MPP whose schema exists (provisioning, live or suspended)."""
    names = list(Mpp.objects.order_by("schema_name").values_list("schema_name", flat=True))
    if not names:
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname = ANY(%s)", [names])
        existing = {row[0] for row in cursor.fetchall()}
    return [n for n in names if n in existing]


def missing_migrations(schema_names: list[str]) -> dict[str, int]:
    """How many of the template's migration records each schema lacks (0 = up to date)."""
    if not schema_names:
        return {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM " + q(TEMPLATE_SCHEMA) + ".django_migrations")  # noqa: S608
        total = cursor.fetchone()[0]
        cursor.execute(
            "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relname = 'django_migrations' AND c.relkind = 'r' AND n.nspname = ANY(%s)",
            [schema_names],
        )
        with_table = {row[0] for row in cursor.fetchall()}
        result = {name: total for name in schema_names if name not in with_table}
        names = [n for n in schema_names if n in with_table]
        for start in range(0, len(names), CHUNK):
            chunk = names[start : start + CHUNK]
            branches = " UNION ALL ".join(
                f"SELECT %s, count(*) FROM t LEFT JOIN {q(name)}.django_migrations m"  # noqa: S608
                " ON m.app = t.app AND m.name = t.name WHERE m.id IS NULL"
                for name in chunk
            )
            # Only validated, quoted schema names are formatted in (q()); values are bound.
            head = f"WITH t AS (SELECT app, name FROM {q(TEMPLATE_SCHEMA)}.django_migrations) "  # noqa: S608
            cursor.execute(head + branches, chunk)
            result.update(dict(cursor.fetchall()))
    return result


def _migrate_one(schema_name: str) -> tuple[str, str, int]:
    """Migrate one schema; returns (schema, error or "", milliseconds). Runs in a worker
    process (or in-process with jobs=1) and never raises: a failure is data."""
    started = time.monotonic()
    try:
        schema_migrate(schema_name)
        error = ""
    except Exception as exc:
        logger.exception("migrating %s failed", schema_name)
        error = "".join(traceback.format_exception_only(type(exc), exc)).strip()[:4000]
        connection.set_schema_to_public()
        if not connection.in_atomic_block:
            connection.close()  # a failed migration may leave the session unusable
    return schema_name, error, int((time.monotonic() - started) * 1000)


_inherited: list[object] = []


def _worker_init() -> None:
    """In a forked worker: never touch the parent's database sessions (they hold its locks).
    Keep them referenced so they are not finalised (which would end the parent's session) and
    let Django open a connection of its own."""
    for conn in connections.all():
        if conn.connection is not None:
            _inherited.append(conn.connection)
            conn.connection = None


def _run(schemas: list[str], jobs: int, on_done) -> None:
    if jobs <= 1 or len(schemas) <= 1:
        for name in schemas:
            on_done(*_migrate_one(name))
        return
    # Workers are forked with the loaded app registry: nothing is imported or set up twice.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_worker_init
    ) as pool:
        for result in pool.map(_migrate_one, schemas):
            on_done(*result)


def regions_migrate(
    *,
    jobs: int = 2,
    schemas: list[str] | None = None,
    on_behind=None,
    progress=None,
    verbosity: int = 0,
) -> RolloutReport:
    """Migrate the template, then every region schema that is behind it. ``on_behind(n)`` is
    told how many are behind; ``progress(schema, error)`` hears of each one finished."""
    started = time.monotonic()
    report = RolloutReport()
    with locks.session_lock(locks.MIGRATE_REGIONS):
        with locks.session_lock(locks.TEMPLATE):
            snapshot = current_snapshot()
            if snapshot is None:
                snapshot = template_rebuild(verbosity=verbosity)
                report.template_migrated = True
        names = region_schemas() if schemas is None else schemas
        report.checked = len(names)
        missing = missing_migrations(names)
        report.behind = [n for n in names if missing.get(n, 0) > 0]
        up_to_date = [n for n in names if missing.get(n, 0) == 0]
        now = timezone.now()
        SchemaMigrationState.objects.bulk_create(
            [SchemaMigrationState(schema_name=n, fingerprint=snapshot.fingerprint) for n in names],
            ignore_conflicts=True,
        )
        SchemaMigrationState.objects.filter(schema_name__in=up_to_date).exclude(
            status=SchemaMigrationState.Status.OK, fingerprint=snapshot.fingerprint
        ).update(status=SchemaMigrationState.Status.OK, fingerprint=snapshot.fingerprint, error="")
        if report.behind:
            SchemaMigrationState.objects.filter(schema_name__in=report.behind).update(
                status=SchemaMigrationState.Status.RUNNING, started_at=now, error=""
            )

        def on_done(schema_name: str, error: str, ms: int) -> None:
            state = SchemaMigrationState.objects.get(schema_name=schema_name)
            state.attempts += 1
            state.finished_at = timezone.now()
            state.duration_ms = ms
            if error:
                state.status = SchemaMigrationState.Status.FAILED
                state.error = error
                report.failed[schema_name] = error
            else:
                state.status = SchemaMigrationState.Status.OK
                state.fingerprint = snapshot.fingerprint
                state.error = ""
                report.migrated.append(schema_name)
            state.save()
            if progress is not None:
                progress(schema_name, error)

        if on_behind is not None:
            on_behind(len(report.behind))
        _run(report.behind, jobs, on_done)
    report.seconds = time.monotonic() - started
    return report


def template_migration_count() -> int:
    return len(schema_migrations(TEMPLATE_SCHEMA))
