"""A region schema cloned from the template is the same as one built by Django's migrations."""

import pytest
from django.db import connection

from kernel.schemas import TEMPLATE_SCHEMA
from onboarding.models import TemplateSnapshot
from onboarding.provisioning.inspect import schema_structure, structure_diff
from onboarding.provisioning.template import (
    code_migrations,
    ddl_from_dump,
    schema_clone,
    schema_exists,
    schema_migrate,
    schema_migrations,
    template_ensure,
)

CLONED = "mpp_99_01"
MIGRATED = "mpp_99_02"


@pytest.fixture
def snapshot(db):
    return template_ensure()


def test_template_is_migrated_to_the_code(snapshot):
    assert schema_exists(TEMPLATE_SCHEMA)
    assert set(schema_migrations(TEMPLATE_SCHEMA)) >= code_migrations()
    assert TemplateSnapshot.objects.filter(fingerprint=snapshot.fingerprint).exists()
    assert snapshot.statements
    assert all(TEMPLATE_SCHEMA not in sql for _kind, sql in snapshot.statements)
    assert any(sql.startswith("CREATE TABLE") for kind, sql in snapshot.statements if kind == "ddl")


def test_clone_is_structurally_identical_to_a_migrated_schema(snapshot):
    schema_clone(CLONED, snapshot=snapshot)
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{MIGRATED}"')
    schema_migrate(MIGRATED)
    cloned, migrated, template = (
        schema_structure(CLONED),
        schema_structure(MIGRATED),
        schema_structure(TEMPLATE_SCHEMA),
    )
    assert structure_diff(cloned, migrated) == {}
    assert structure_diff(cloned, template) == {}
    assert cloned["relations"], "the clone has tables"
    assert cloned["indexes"]
    assert cloned["constraints"]
    assert cloned["sequences"]


def test_clone_has_exactly_the_tables_and_migration_records_of_the_template(snapshot):
    schema_clone(CLONED, snapshot=snapshot)
    assert schema_structure(CLONED)["relations"] == schema_structure(TEMPLATE_SCHEMA)["relations"]
    assert schema_migrations(CLONED) == schema_migrations(TEMPLATE_SCHEMA)


def test_foreign_keys_point_to_public_or_into_the_clone_never_the_template(snapshot):
    schema_clone(CLONED, snapshot=snapshot)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT DISTINCT fn.nspname FROM pg_constraint con
            JOIN pg_class rel ON rel.oid = con.conrelid
            JOIN pg_namespace rn ON rn.oid = rel.relnamespace
            JOIN pg_class f ON f.oid = con.confrelid
            JOIN pg_namespace fn ON fn.oid = f.relnamespace
            WHERE rn.nspname = %s AND con.contype = 'f'
            """,
            [CLONED],
        )
        targets = {row[0] for row in cursor.fetchall()}
    assert TEMPLATE_SCHEMA not in targets
    assert targets <= {"public", CLONED}


def test_sequences_of_the_clone_belong_to_it_and_start_fresh(snapshot):
    schema_clone(CLONED, snapshot=snapshot)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = %s", [CLONED]
        )
        sequences = dict(cursor.fetchall())
        cursor.execute(
            "SELECT count(*) FROM pg_depend d JOIN pg_class s ON s.oid = d.objid"
            " JOIN pg_class t ON t.oid = d.refobjid"
            " WHERE s.relnamespace = %s::regnamespace AND s.relkind = 'S'"
            " AND t.relnamespace <> s.relnamespace AND d.deptype IN ('a', 'i')",
            [CLONED],
        )
        foreign_owned = cursor.fetchone()[0]
    assert sequences
    assert foreign_owned == 0
    migrations_seq = [name for name in sequences if name.startswith("django_migrations")]
    assert all(sequences[name] is None for name in sequences if name not in migrations_seq)


def test_clone_refuses_an_existing_schema(snapshot):
    from django.db import DatabaseError

    schema_clone(CLONED, snapshot=snapshot)
    with pytest.raises(DatabaseError):
        schema_clone(CLONED, snapshot=snapshot)


def test_ddl_from_dump_drops_session_settings_and_meta_commands():
    dump = "\n".join(
        [
            "--",
            "-- PostgreSQL database dump",
            "\\restrict abc",
            "SET statement_timeout = 0;",
            "SELECT pg_catalog.set_config('search_path', '', false);",
            "CREATE SCHEMA mpp_21_01;",
            "CREATE TABLE mpp_21_01.t (id bigint);",
            "\\unrestrict abc",
        ]
    )
    ddl = ddl_from_dump(dump)
    assert "SET " not in ddl
    assert "set_config" not in ddl
    assert "\\" not in ddl
    assert ddl == "CREATE SCHEMA mpp_21_01;\nCREATE TABLE mpp_21_01.t (id bigint);\n"


@pytest.mark.parametrize(
    ("statement", "kind"),
    [
        ('CREATE TABLE "mpp_x" ("id" bigint)', "ddl"),
        ('ALTER TABLE "mpp_x" ADD CONSTRAINT "c" CHECK ("id" > 0)', "ddl"),
        ("SET CONSTRAINTS ALL IMMEDIATE", "ddl"),
        ('INSERT INTO "mpp_x" ("id") VALUES (1)', "dml"),
        ('UPDATE "mpp_x" SET "id" = 2', "dml"),
        ('INSERT INTO "django_content_type" ("app_label") VALUES (\'x\')', None),
        ('INSERT INTO "django_migrations" ("app") VALUES (\'x\')', None),
        ('INSERT INTO "public"."mpp_x" ("id") VALUES (1)', None),
        ("SELECT c.relname FROM pg_class c", None),
        ("SELECT setval('mpp_x_id_seq', 5)", "dml"),
        ("SET search_path = mpp_template, public", None),
        ("-- a comment\nCREATE INDEX i ON mpp_x (id)", "ddl"),
        ("", None),
    ],
)
def test_what_a_recording_keeps(statement, kind):
    from onboarding.provisioning.template import _keep

    assert _keep(statement, {"mpp_x", "django_migrations"}) == kind


def test_the_comparison_notices_a_difference(snapshot):
    schema_clone(CLONED, snapshot=snapshot)
    before = schema_structure(CLONED)
    with connection.cursor() as cursor:
        cursor.execute(
            f'ALTER TABLE "{CLONED}".region_audit_auditentry ALTER COLUMN action DROP NOT NULL'
        )
    diff = structure_diff(before, schema_structure(CLONED))
    assert "columns" in diff  # (PostgreSQL 18 also lists NOT NULL as a constraint)
    assert set(diff) <= {"columns", "constraints"}


def test_rows_written_by_data_migrations_are_replayed_with_their_sequences(snapshot):
    from onboarding.models import TemplateSnapshot

    # As if a tenant app's data migration had inserted a row while the template was built.
    recorded = TemplateSnapshot(
        fingerprint=snapshot.fingerprint,
        statements=[
            *snapshot.statements,
            [
                "dml",
                'INSERT INTO "region_audit_auditentry" ("created_at", "action", "target_type",'
                ' "target_id", "data") VALUES (\'2024-03-07T00:00:00+07:00\'::timestamptz,'
                " 'seed.row', '', '', '{}'::jsonb)",
            ],
        ],
    )
    schema_clone(CLONED, snapshot=recorded)
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT id, action FROM "{CLONED}".region_audit_auditentry')
        assert cursor.fetchall() == [(1, "seed.row")]
        cursor.execute(
            "SELECT last_value FROM pg_sequences WHERE schemaname = %s"
            " AND sequencename = 'region_audit_auditentry_id_seq'",
            [CLONED],
        )
        assert cursor.fetchone()[0] == 1
    assert connection.schema_name == "public"  # the replay left the search path as it was
