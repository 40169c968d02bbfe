"""Citus schema-based sharding's rule, checked on the real schemas: a tenant table references only
its own schema's tables or public tables declared as reference tables, and a reference table only
other reference tables (onboarding/provisioning/citus.py)."""

from django.db import connection

from kernel.schemas import TEMPLATE_SCHEMA
from onboarding.provisioning.citus import REFERENCE_MODELS, citus_violations, reference_tables


def test_every_region_schema_keeps_the_citus_rule(region_a, region_b):
    for schema in (region_a.schema_name, region_b.schema_name, TEMPLATE_SCHEMA):
        assert citus_violations(schema) == [], schema


def test_the_tenant_tables_do_reference_the_declared_catalogue_tables(region_a):
    # The declaration is not vacuous: tenants.mpp keeps real constraints to these tables.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT fl.relname FROM pg_constraint con"
            " JOIN pg_class cl ON cl.oid = con.conrelid"
            " JOIN pg_class fl ON fl.oid = con.confrelid"
            " WHERE con.contype = 'f' AND cl.relnamespace = %s::regnamespace"
            " AND fl.relnamespace = 'public'::regnamespace",
            [region_a.schema_name],
        )
        referenced = {row[0] for row in cursor.fetchall()}
    assert referenced
    assert referenced <= reference_tables()
    assert "catalogue.Service" in REFERENCE_MODELS


def test_a_new_constraint_to_an_undeclared_public_table_is_a_violation(region_a):
    schema = region_a.schema_name
    with connection.cursor() as cursor:
        # Rolled back with the test: a tenant table that points at the user table.
        cursor.execute(
            f'CREATE TABLE "{schema}".scale_probe (id int PRIMARY KEY,'
            " user_id bigint REFERENCES public.accounts_user (id))"
        )
    problems = citus_violations(schema)
    assert len(problems) == 1
    assert "scale_probe → public.accounts_user" in problems[0]


def test_a_constraint_into_another_region_is_a_violation(region_a, region_b):
    with connection.cursor() as cursor:
        cursor.execute(
            f'CREATE TABLE "{region_a.schema_name}".scale_probe (id int PRIMARY KEY,'
            f' booth_id bigint REFERENCES "{region_b.schema_name}".mpp_booth (id))'
        )
    assert [p for p in citus_violations(region_a.schema_name) if "scale_probe" in p]


def test_a_reference_table_pointing_outside_the_set_is_a_violation(region_a):
    with connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE public.catalogue_documenttype ADD COLUMN probe_user_id bigint"
            " REFERENCES public.accounts_user (id)"
        )
    problems = citus_violations(region_a.schema_name)
    assert any("reference table public.catalogue_documenttype" in p for p in problems)
