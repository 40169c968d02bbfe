"""The template schema and fast schema creation.

``mpp_template`` is an ordinary region schema that nobody uses: ``migrate_regions`` keeps it
migrated. Its DDL is captured once per migration state (``pg_dump --schema-only``, stored as a
``TemplateSnapshot`` with the schema name replaced by a token) and replayed for every new region
with the region's schema name substituted, in one statement batch inside the caller's
transaction. The template's ``django_migrations`` rows are copied instead of running
``migrate --fake``, and rows that migrations put into the template are copied with their
sequences' state. No Django migration machinery runs per region.

Invariants:
- a clone happens in one transaction, so a crash leaves no half-built (orphan) schema;
- foreign keys to ``public`` tables stay on ``public.*``; foreign keys between tenant tables
  point into the new schema (the dump qualifies every name, and only ``mpp_template`` is
  substituted);
- a clone holds a shared lock on the template and checks that the snapshot still matches the
  template's migrations; re-migrating the template takes the lock exclusively.
"""

import functools
import hashlib
import logging
import re

from django.db import connection, transaction

from onboarding.models import TEMPLATE_SCHEMA, TemplateSnapshot, validate_schema_name
from onboarding.provisioning import locks
from onboarding.provisioning.pgtools import pg_dump_path, run_pg_dump

logger = logging.getLogger(__name__)

TOKEN = "__mpp_schema__"
_TEMPLATE_WORD = re.compile(rf"\b{TEMPLATE_SCHEMA}\b")
# Session settings in pg_dump's preamble: they must never leak into Django's connection.
_PREAMBLE = re.compile(r"^(SET \w+ = .*;|SELECT pg_catalog\.set_config\(.*\);)$")


class TemplateChanged(RuntimeError):
    """The template was re-migrated between taking a snapshot and cloning it: retry."""


def q(schema_name: str) -> str:
    """The quoted identifier of a validated schema name."""
    return '"' + validate_schema_name(schema_name) + '"'


def schema_exists(schema_name: str) -> bool:
    validate_schema_name(schema_name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema_name])
        return cursor.fetchone() is not None


def schema_migrations(schema_name: str) -> list[tuple[str, str]]:
    """The (app, name) migration records of a schema, in the order they were applied."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT app, name FROM {q(schema_name)}.django_migrations ORDER BY id")  # noqa: S608
        return [(app, name) for app, name in cursor.fetchall()]


def migration_fingerprint(pairs) -> str:
    text = "\n".join(sorted(f"{app}.{name}" for app, name in pairs))
    return hashlib.sha256(text.encode()).hexdigest()


@functools.cache
def code_migrations() -> frozenset[tuple[str, str]]:
    """Every migration the code defines: a fully migrated region schema records all of them
    (django-tenants records shared apps' migrations too; their operations are no-ops there)."""
    from django.db.migrations.loader import MigrationLoader

    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def template_is_current() -> bool:
    if not schema_exists(TEMPLATE_SCHEMA):
        return False
    return code_migrations() <= set(schema_migrations(TEMPLATE_SCHEMA))


def migrate_options(verbosity: int = 0) -> dict:
    """Options for Django's migrate command, as its own parser would produce them."""
    from django_tenants.utils import get_tenant_base_migrate_command_class

    command = get_tenant_base_migrate_command_class()()
    parser = command.create_parser("manage.py", "migrate")
    options = vars(parser.parse_args(["--noinput", f"--verbosity={verbosity}"]))
    options["skip_checks"] = True
    return options


def schema_migrate(schema_name: str, *, verbosity: int = 0) -> None:
    """Run Django's migrations on one schema (the slow path: the template, regions behind)."""
    from django_tenants.migration_executors.base import run_migrations

    validate_schema_name(schema_name)
    run_migrations(
        args=[],
        options=migrate_options(verbosity),
        executor_codename="regions",
        schema_name=schema_name,
    )
    connection.set_schema_to_public()


def template_ensure(*, verbosity: int = 0) -> TemplateSnapshot:
    """Make sure the template is migrated to the code's state and a snapshot of it exists.

    Cheap when nothing changed (two small queries); migrates and re-captures otherwise.
    """
    snapshot = _current_snapshot()
    if snapshot is not None:
        return snapshot
    with locks.session_lock(locks.TEMPLATE):
        if not template_is_current():
            with connection.cursor() as cursor:
                cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {q(TEMPLATE_SCHEMA)}")
            logger.info("migrating the template schema %s", TEMPLATE_SCHEMA)
            schema_migrate(TEMPLATE_SCHEMA, verbosity=verbosity)
        return snapshot_capture()


def _current_snapshot() -> TemplateSnapshot | None:
    if not template_is_current():
        return None
    fingerprint = migration_fingerprint(schema_migrations(TEMPLATE_SCHEMA))
    return _snapshot_by_fingerprint(fingerprint)


def _snapshot_by_fingerprint(fingerprint: str) -> TemplateSnapshot | None:
    cached = _snapshot_cache.get(fingerprint)
    if cached is not None:
        return cached
    snapshot = TemplateSnapshot.objects.filter(fingerprint=fingerprint).first()
    if snapshot is not None:
        _snapshot_cache.clear()
        _snapshot_cache[fingerprint] = snapshot
    return snapshot


_snapshot_cache: dict[str, TemplateSnapshot] = {}


def ddl_from_dump(dump: str) -> str:
    """pg_dump's output without comments, psql meta-commands and session settings, with the
    template's name replaced by a token."""
    lines = []
    for line in dump.splitlines():
        if line.startswith(("--", "\\")) or _PREAMBLE.match(line):
            continue
        lines.append(line)
    ddl = "\n".join(lines).strip() + "\n"
    if TOKEN in ddl:
        raise RuntimeError("the template's DDL already contains the substitution token")
    return _TEMPLATE_WORD.sub(TOKEN, ddl)


def snapshot_capture() -> TemplateSnapshot:
    """Capture the template's DDL (idempotent per migration state)."""
    migrations = schema_migrations(TEMPLATE_SCHEMA)
    fingerprint = migration_fingerprint(migrations)
    existing = TemplateSnapshot.objects.filter(fingerprint=fingerprint).first()
    if existing is not None:
        return existing
    dump = run_pg_dump(
        [
            "--schema-only",
            f"--schema={TEMPLATE_SCHEMA}",
            "--no-owner",
            "--no-privileges",
            "--no-tablespaces",
            "--no-security-labels",
            "--no-publications",
            "--no-subscriptions",
        ]
    )
    ddl = ddl_from_dump(dump)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = %s AND c.relkind IN ('r', 'p') AND c.relname <> 'django_migrations'"
            " ORDER BY c.relname",
            [TEMPLATE_SCHEMA],
        )
        tables = [row[0] for row in cursor.fetchall()]
        data_tables = []
        for table in tables:
            cursor.execute(f'SELECT EXISTS (SELECT 1 FROM {q(TEMPLATE_SCHEMA)}."{table}")')  # noqa: S608
            if cursor.fetchone()[0]:
                data_tables.append(table)
        # Sequences that migrations used (rows inserted): their state is copied to the clone.
        cursor.execute(
            "SELECT sequencename FROM pg_sequences WHERE schemaname = %s"
            " AND last_value IS NOT NULL ORDER BY sequencename",
            [TEMPLATE_SCHEMA],
        )
        used_sequences = [row[0] for row in cursor.fetchall()]
    snapshot, _created = TemplateSnapshot.objects.get_or_create(
        fingerprint=fingerprint,
        defaults={
            "ddl": ddl,
            "migrations": [list(m) for m in migrations],
            "data_state": {"tables": data_tables, "sequences": used_sequences},
            "tool": pg_dump_path()[1],
        },
    )
    logger.info("captured template snapshot %s (%d migrations)", fingerprint[:12], len(migrations))
    return snapshot


def schema_clone(schema_name: str, *, snapshot: TemplateSnapshot | None = None) -> None:
    """Create ``schema_name`` from the template snapshot, in the caller's transaction.

    Raises if the schema exists (the caller checks), TemplateChanged if the template moved on.
    """
    validate_schema_name(schema_name)
    if schema_name == TEMPLATE_SCHEMA:
        raise ValueError("the template is never cloned onto itself")
    snapshot = snapshot or template_ensure()
    target = q(schema_name)
    template = q(TEMPLATE_SCHEMA)
    with transaction.atomic(), connection.cursor() as cursor:
        locks.xact_lock_shared(cursor, locks.TEMPLATE)
        cursor.execute(f"SELECT app, name FROM {template}.django_migrations")  # noqa: S608
        if migration_fingerprint(cursor.fetchall()) != snapshot.fingerprint:
            raise TemplateChanged("the template schema changed since its snapshot was taken")
        cursor.execute("SET LOCAL check_function_bodies = false")
        cursor.execute(snapshot.ddl.replace(TOKEN, schema_name))
        cursor.execute(
            f"INSERT INTO {target}.django_migrations (app, name, applied)"  # noqa: S608
            f" SELECT app, name, now() FROM {template}.django_migrations ORDER BY id"
        )
        data = snapshot.data_state or {}
        for table in data.get("tables", []):
            cursor.execute(
                f'INSERT INTO {target}."{table}" OVERRIDING SYSTEM VALUE'  # noqa: S608
                f' SELECT * FROM {template}."{table}"'
            )
        for sequence in data.get("sequences", []):
            if sequence.startswith("django_migrations"):
                continue  # advanced by the INSERT above
            cursor.execute(
                f"SELECT setval('{target}.\"{sequence}\"', last_value, is_called)"  # noqa: S608
                f' FROM {template}."{sequence}"'
            )


def schema_drop(schema_name: str) -> None:
    """Drop a region's schema with everything in it (offboarding, failed benches)."""
    validate_schema_name(schema_name)
    if schema_name == TEMPLATE_SCHEMA:
        raise ValueError("the template is never dropped here")
    with connection.cursor() as cursor:
        # Deferred foreign-key checks still pending in this transaction would block the drop.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"DROP SCHEMA IF EXISTS {q(schema_name)} CASCADE")
