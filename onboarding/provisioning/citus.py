"""The rule Citus schema-based sharding imposes, declared and checked here.

Past one PostgreSQL server every region schema becomes a *distributed schema* that lives whole on
one worker node, and the ``public`` tables stay on the coordinator. A table in a distributed schema
may hold a foreign-key constraint only to a table of its own schema or to a *reference table* (a
public table that Citus copies to every node). A reference table in turn may reference only other
reference tables. So the public tables that tenant tables point at with a real constraint are
declared here, and ``tests/scale/test_citus_rule.py`` fails on any constraint outside this list.

Tenant references to the big or personal public tables (users, citizen profiles, documents) carry
no database constraint (``db_constraint=False``): they stay on the coordinator, and copying the
whole population to every node would cost more than the constraint is worth.
"""

from django.apps import apps
from django.db import connection

# Small, national, read-mostly: the catalogue a region's offerings and booths refer to.
REFERENCE_MODELS: tuple[str, ...] = (
    "catalogue.Agency",
    "catalogue.Category",
    "catalogue.DocumentType",
    "catalogue.Service",
)


def reference_tables() -> set[str]:
    """The public table names declared as Citus reference tables."""
    return {apps.get_model(label)._meta.db_table for label in REFERENCE_MODELS}


_FOREIGN_KEYS = """
SELECT cl.relname, fn.nspname, fl.relname, con.conname
FROM pg_constraint con
JOIN pg_class cl ON cl.oid = con.conrelid
JOIN pg_namespace cn ON cn.oid = cl.relnamespace
JOIN pg_class fl ON fl.oid = con.confrelid
JOIN pg_namespace fn ON fn.oid = fl.relnamespace
WHERE con.contype = 'f' AND cn.nspname = %s
ORDER BY cl.relname, con.conname
"""


def citus_violations(schema_name: str) -> list[str]:
    """Foreign-key constraints of a region schema that a distributed schema could not keep,
    plus those of the declared reference tables that point outside the reference set."""
    allowed = reference_tables()
    problems: list[str] = []
    with connection.cursor() as cursor:
        cursor.execute(_FOREIGN_KEYS, [schema_name])
        for table, target_schema, target, name in cursor.fetchall():
            if target_schema == schema_name:
                continue
            if target_schema == "public" and target in allowed:
                continue
            problems.append(f"{schema_name}.{table} → {target_schema}.{target} ({name})")
        cursor.execute(_FOREIGN_KEYS, ["public"])
        for table, target_schema, target, name in cursor.fetchall():
            if table in allowed and not (target_schema == "public" and target in allowed):
                problems.append(
                    f"reference table public.{table} → {target_schema}.{target} ({name})"
                )
    return problems


def citus_installed() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'citus'")
        return cursor.fetchone() is not None


def schema_distribute(schema_name: str) -> bool:
    """On Citus, make a freshly cloned region schema a distributed schema (placed on a worker by
    the rebalancer's rules); elsewhere nothing to do. Returns whether it distributed."""
    if not citus_installed():
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT citus_schema_distribute(%s::regnamespace)", [schema_name])
    return True
