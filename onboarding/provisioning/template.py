"""The template schema and fast schema creation.

``mpp_template`` is a region schema that nobody uses. When the code's migrations change,
``migrate_regions`` (or the first provisioning after a deploy) rebuilds it from scratch with
Django's migrations, and records every statement those migrations execute on it: the DDL, and
the rows that data migrations write into its tables, each with its parameters bound. That
recording (a ``TemplateSnapshot``) is replayed for every new region, in one round trip inside
the caller's transaction, with the region's schema on the search path, exactly as the
migrations ran it; the template's ``django_migrations`` rows are then copied instead of running
``migrate --fake``. No Django migration machinery runs per region.

Why a recording and not ``pg_dump --schema-only``: PostgreSQL does not always re-parse its own
deparsed expressions into the same tree (``status IN ('a', 'b')`` on a varchar column comes back
with its casts moved), so a replayed dump is equivalent but not identical. Replaying the very SQL
the migrations ran gives the very same catalog entries (tests/onboarding/test_template_clone.py
compares them). It also needs no client binary.

Invariants:
- a clone happens in one transaction, so a crash leaves no half-built (orphan) schema;
- names are resolved as during migration (``<region>, public``): foreign keys to shared tables
  point to ``public``, foreign keys between tenant tables point into the new schema;
- a clone holds a shared lock on the template and checks that the snapshot still matches the
  template's migrations; rebuilding the template takes the lock exclusively.
"""

import functools
import hashlib
import logging
import re

from django.db import transaction

from kernel.schemas import TEMPLATE_SCHEMA, validate_schema_name
from kernel.tenancy import connection
from onboarding.models import TemplateSnapshot
from onboarding.provisioning import locks

logger = logging.getLogger(__name__)

# Session settings in pg_dump's preamble: they must never leak into Django's connection.
_PREAMBLE = re.compile(r"^(SET \w+ = .*;|SELECT pg_catalog\.set_config\(.*\);)$")
_LEADING_COMMENTS = re.compile(r"^(\s*(--[^\n]*\n|/\*.*?\*/))*\s*", re.DOTALL)
_DML = re.compile(
    r'^(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+(?:"?(\w+)"?\s*\.\s*)?"?(\w+)"?', re.IGNORECASE
)
_SKIP = ("SELECT", "WITH", "SHOW", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


class TemplateChanged(RuntimeError):
    """The template was rebuilt between taking a snapshot and cloning it: retry."""


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


# --- recording the template's migrations -------------------------------------------------------


class _Recorder:
    """An execute wrapper that keeps every statement run, with its parameters bound."""

    def __init__(self):
        self.statements: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if params is None:
            self.statements.append(sql)
            return result
        # Bind on a cursor of its own: the executing one still holds its result for the caller.
        from psycopg import ClientCursor

        binder = ClientCursor(context["cursor"].cursor.connection)
        for one in params if many else [params]:
            self.statements.append(binder.mogrify(sql, one))
        return result


def _keep(statement: str, tenant_tables: set[str]) -> str | None:
    """ "ddl", "dml" or None (not part of building a region schema)."""
    body = _LEADING_COMMENTS.sub("", statement)
    if not body:
        return None
    head = body.split(None, 1)[0].upper().rstrip(";")
    if head in _SKIP:
        return "dml" if "setval(" in body.lower() else None
    if head == "SET" and "search_path" in body.lower():
        return None
    match = _DML.match(body)
    if match:
        schema, table = match.group(1), match.group(2)
        if schema not in (None, TEMPLATE_SCHEMA) or table not in tenant_tables:
            return None  # shared tables (content types …) are not a region's business
        return None if table == "django_migrations" else "dml"
    return "ddl"


def _tables(schema_name: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'v', 'm', 'f')",
            [schema_name],
        )
        return {row[0] for row in cursor.fetchall()}


def template_rebuild(*, verbosity: int = 0) -> TemplateSnapshot:
    """Build the template from scratch with Django's migrations, recording what they run.

    The caller holds the template lock exclusively. It all happens in one transaction: outside
    one, django-tenants closes the connection after migrating, and the caller's session lock
    went with it, so clones ran against a template still being recorded
    (tests/onboarding/test_template_race.py); and a rebuild that dies half-way leaves the
    previous template in place.
    """
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {q(TEMPLATE_SCHEMA)} CASCADE")
            cursor.execute(f"CREATE SCHEMA {q(TEMPLATE_SCHEMA)}")
        recorder = _Recorder()
        logger.info("building the template schema %s", TEMPLATE_SCHEMA)
        with connection.execute_wrapper(recorder):
            schema_migrate(TEMPLATE_SCHEMA, verbosity=verbosity)
        snapshot = _snapshot_record(recorder)
    _snapshot_cache.clear()
    return snapshot


def _snapshot_record(recorder: _Recorder) -> TemplateSnapshot:
    tenant_tables = _tables(TEMPLATE_SCHEMA)
    kept = []
    for statement in recorder.statements:
        kind = _keep(statement, tenant_tables)
        if kind is None:
            continue
        if re.search(rf"\b{TEMPLATE_SCHEMA}\b", statement):
            # Replayed elsewhere, it would touch the template: never store such a recording.
            raise RuntimeError(f"a migration names the template schema: {statement[:200]}")
        kept.append([kind, statement])
    migrations = schema_migrations(TEMPLATE_SCHEMA)
    fingerprint = migration_fingerprint(migrations)
    snapshot, _created = TemplateSnapshot.objects.update_or_create(
        fingerprint=fingerprint,
        defaults={
            "statements": kept,
            "ddl": "\n;\n".join(sql for kind, sql in kept if kind == "ddl") + "\n;\n",
            "migrations": [list(m) for m in migrations],
            "tool": "django-migrations-recording",
        },
    )
    logger.info(
        "template snapshot %s: %d migrations, %d statements",
        fingerprint[:12],
        len(migrations),
        len(kept),
    )
    return snapshot


def template_ensure(*, verbosity: int = 0) -> TemplateSnapshot:
    """The snapshot of an up-to-date template, rebuilding the template when the code's
    migrations changed. Cheap when nothing changed (a few small queries, cached)."""
    snapshot = current_snapshot()
    if snapshot is not None:
        return snapshot
    with locks.session_lock(locks.TEMPLATE):
        snapshot = current_snapshot()  # someone else may have rebuilt it meanwhile
        if snapshot is not None:
            return snapshot
        return template_rebuild(verbosity=verbosity)


def current_snapshot() -> TemplateSnapshot | None:
    if not template_is_current():
        return None
    fingerprint = migration_fingerprint(schema_migrations(TEMPLATE_SCHEMA))
    cached = _snapshot_cache.get(fingerprint)
    if cached is not None:
        return cached
    snapshot = (
        TemplateSnapshot.objects.filter(fingerprint=fingerprint).exclude(statements=[]).first()
    )
    if snapshot is not None:
        _snapshot_cache.clear()
        _snapshot_cache[fingerprint] = snapshot
    return snapshot


_snapshot_cache: dict[str, TemplateSnapshot] = {}


# --- cloning ----------------------------------------------------------------------------------


def schema_clone(schema_name: str, *, snapshot: TemplateSnapshot | None = None) -> None:
    """Create ``schema_name`` from the template snapshot, in the caller's transaction.

    Raises if the schema exists (the caller checks), TemplateChanged if the template moved on.
    """
    validate_schema_name(schema_name)
    if schema_name == TEMPLATE_SCHEMA:
        raise ValueError("the template is never cloned onto itself")
    snapshot = snapshot or template_ensure()
    script = "\n;\n".join(sql for _kind, sql in snapshot.statements) + "\n;\n"
    template = q(TEMPLATE_SCHEMA)
    with transaction.atomic():
        with connection.cursor() as cursor:
            locks.xact_lock_shared(cursor, locks.TEMPLATE)
            cursor.execute(f"SELECT app, name FROM {template}.django_migrations")  # noqa: S608
            if migration_fingerprint(cursor.fetchall()) != snapshot.fingerprint:
                raise TemplateChanged("the template schema changed since its snapshot was taken")
            cursor.execute(f"CREATE SCHEMA {q(schema_name)}")
        # As during migration: the region's schema first, then public.
        connection.set_schema(schema_name)
        try:
            with connection.cursor() as cursor:
                cursor.execute(script)
                cursor.execute(
                    "INSERT INTO django_migrations (app, name, applied)"  # noqa: S608
                    f" SELECT app, name, now() FROM {template}.django_migrations ORDER BY id"
                )
        finally:
            connection.set_schema_to_public()


def schema_drop(schema_name: str) -> None:
    """Drop a region's schema with everything in it (offboarding, failed benches)."""
    validate_schema_name(schema_name)
    if schema_name == TEMPLATE_SCHEMA:
        raise ValueError("the template is never dropped here")
    with connection.cursor() as cursor:
        # Deferred foreign-key checks still pending in this transaction would block the drop.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"DROP SCHEMA IF EXISTS {q(schema_name)} CASCADE")


def ddl_from_dump(dump: str) -> str:
    """pg_dump's output without comments, psql meta-commands and session settings (for archives
    of schemas that no template snapshot matches)."""
    lines = []
    for line in dump.splitlines():
        if line.startswith(("--", "\\")) or _PREAMBLE.match(line):
            continue
        lines.append(line)
    return "\n".join(lines).strip() + "\n"
