# ruff: noqa: S608 - the only text formatted into these queries is the constant `ns` subquery;
# the schema name is always a bound parameter.
"""A schema's structure read from the catalogs, normalised for its name, so that two schemas can
be compared: a clone must be indistinguishable from a schema built by migrations.

Covers tables and views, columns (type, default, nullability, identity, generated, collation),
constraints (with the schema a foreign key points into), indexes, sequences (definition,
ownership and current value), triggers, functions, enum types, and the migration records.
"""

import re

from django.db import connection

from kernel.schemas import validate_schema_name

SELF = "<schema>"


def _normalise(text, schema_name: str):
    if text is None:
        return None
    return re.sub(rf'"?\b{re.escape(schema_name)}\b"?', SELF, str(text))


def _rows(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def schema_structure(schema_name: str) -> dict[str, list]:
    """Everything that makes up a schema, normalised and sorted."""
    validate_schema_name(schema_name)

    def norm(rows):
        return sorted(tuple(_normalise(v, schema_name) for v in row) for row in rows)

    ns = "(SELECT oid FROM pg_namespace WHERE nspname = %s)"
    relations = _rows(
        f"SELECT relname, relkind::text, relpersistence::text FROM pg_class"
        f" WHERE relnamespace = {ns} AND relkind IN ('r', 'p', 'v', 'm', 'f')",
        [schema_name],
    )
    columns = _rows(
        f"""
        SELECT c.relname,
               row_number() OVER (PARTITION BY c.oid ORDER BY a.attnum),
               a.attname,
               format_type(a.atttypid, a.atttypmod),
               a.attnotnull,
               pg_get_expr(d.adbin, d.adrelid),
               a.attidentity::text,
               a.attgenerated::text,
               coalesce(co.collname, '')
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        LEFT JOIN pg_collation co ON co.oid = a.attcollation AND a.attcollation <> 0
             AND co.collname <> 'default'
        WHERE c.relnamespace = {ns} AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
          AND a.attnum > 0 AND NOT a.attisdropped
        """,
        [schema_name],
    )
    constraints = _rows(
        f"""
        SELECT rel.relname, con.conname, con.contype::text, pg_get_constraintdef(con.oid),
               CASE WHEN con.confrelid = 0 THEN ''
                    ELSE (SELECT n.nspname FROM pg_class fc
                          JOIN pg_namespace n ON n.oid = fc.relnamespace
                          WHERE fc.oid = con.confrelid) END,
               con.condeferrable, con.condeferred, con.convalidated
        FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid
        WHERE rel.relnamespace = {ns}
        """,
        [schema_name],
    )
    indexes = _rows(
        f"""
        SELECT ic.relname, pg_get_indexdef(ic.oid), i.indisunique, i.indisprimary
        FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
        WHERE ic.relnamespace = {ns}
        """,
        [schema_name],
    )
    sequences = _rows(
        f"""
        SELECT c.relname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmax,
               s.seqmin, s.seqcache, s.seqcycle,
               (SELECT oc.relname || '.' || a.attname || ':' || d.deptype::text
                FROM pg_depend d
                JOIN pg_class oc ON oc.oid = d.refobjid
                JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                  AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
                LIMIT 1),
               ps.last_value
        FROM pg_sequence s
        JOIN pg_class c ON c.oid = s.seqrelid
        JOIN pg_sequences ps ON ps.schemaname = %s AND ps.sequencename = c.relname
        WHERE c.relnamespace = {ns}
        """,
        [schema_name, schema_name],
    )
    triggers = _rows(
        f"""
        SELECT c.relname, t.tgname, pg_get_triggerdef(t.oid)
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        WHERE c.relnamespace = {ns} AND NOT t.tgisinternal
        """,
        [schema_name],
    )
    functions = _rows(
        f"SELECT p.proname, pg_get_function_identity_arguments(p.oid), pg_get_functiondef(p.oid)"
        f" FROM pg_proc p WHERE p.pronamespace = {ns} AND p.prokind IN ('f', 'p')",
        [schema_name],
    )
    views = _rows(
        f"SELECT c.relname, pg_get_viewdef(c.oid) FROM pg_class c"
        f" WHERE c.relnamespace = {ns} AND c.relkind IN ('v', 'm')",
        [schema_name],
    )
    types = _rows(
        f"""
        SELECT t.typname, t.typtype::text,
               coalesce((SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
                         FROM pg_enum e WHERE e.enumtypid = t.oid), '')
        FROM pg_type t
        WHERE t.typnamespace = {ns} AND t.typtype IN ('e', 'd', 'c')
          AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = t.typrelid AND c.relkind <> 'c')
        """,
        [schema_name],
    )
    comments = _rows(
        f"""
        SELECT c.relname, coalesce(a.attname, ''), d.description
        FROM pg_description d
        JOIN pg_class c ON c.oid = d.objoid AND d.classoid = 'pg_class'::regclass
        LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid
        WHERE c.relnamespace = {ns}
        """,
        [schema_name],
    )
    return {
        "relations": norm(relations),
        "columns": norm(columns),
        "constraints": norm(constraints),
        "indexes": norm(indexes),
        "sequences": norm(sequences),
        "triggers": norm(triggers),
        "functions": norm(functions),
        "views": norm(views),
        "types": norm(types),
        "comments": norm(comments),
        "migrations": sorted(_rows(f'SELECT app, name FROM "{schema_name}".django_migrations', [])),
    }


def structure_diff(a: dict[str, list], b: dict[str, list]) -> dict[str, dict[str, list]]:
    """What differs between two structures: {section: {"only_a": [...], "only_b": [...]}}."""
    diff = {}
    for section in sorted(set(a) | set(b)):
        left, right = set(a.get(section, [])), set(b.get(section, []))
        if left != right:
            diff[section] = {"only_a": sorted(left - right), "only_b": sorted(right - left)}
    return diff
