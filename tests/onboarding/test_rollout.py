"""migrate_regions: the template and only the schemas that are behind; failures stay isolated
and a rerun touches only them."""

import pytest
from django.core.management import call_command
from django.db import connection

from onboarding.models import SchemaMigrationState
from onboarding.provisioning.rollout import missing_migrations, region_schemas, regions_migrate
from onboarding.provisioning.template import schema_migrations
from onboarding.services import mpp_provision
from shared.regions.models import Region

AUDIT_MIGRATION = ("region_audit", "0001_initial")


def _provision(code):
    return mpp_provision(region=Region.objects.get(code=code)).schema_name


def _forget(schema, *, drop_table: bool):
    with connection.cursor() as cursor:
        cursor.execute(
            f'DELETE FROM "{schema}".django_migrations WHERE app = %s AND name = %s',
            list(AUDIT_MIGRATION),
        )
        if drop_table:
            cursor.execute(f'DROP TABLE "{schema}".region_audit_auditentry')


def test_noop_deploy_finds_nothing_behind_in_a_constant_number_of_queries(
    db, django_assert_max_num_queries
):
    with django_assert_max_num_queries(40) as few:
        report = regions_migrate(jobs=1)
    assert report.behind == []
    assert report.checked == len(region_schemas()) >= 2
    for code in ("21.02", "21.03", "21.04", "21.05"):
        _provision(code)
    with django_assert_max_num_queries(len(few.captured_queries)):
        report = regions_migrate(jobs=1)
    assert report.behind == []
    assert report.checked >= 6


def test_only_schemas_behind_are_migrated_and_a_failure_stays_isolated(db):
    fixable, broken, fine = (_provision(code) for code in ("21.02", "21.03", "21.04"))
    _forget(fixable, drop_table=True)  # behind, and migrating it works
    _forget(broken, drop_table=False)  # behind, but its table is in the way: migrating fails
    assert missing_migrations([fixable, broken, fine]) == {fixable: 1, broken: 1, fine: 0}

    report = regions_migrate(jobs=1)
    assert sorted(report.behind) == sorted([fixable, broken])
    assert report.migrated == [fixable]
    assert list(report.failed) == [broken]
    assert "already exists" in report.failed[broken]
    assert schema_migrations(fixable)
    assert AUDIT_MIGRATION in schema_migrations(fixable)
    states = {s.schema_name: s for s in SchemaMigrationState.objects.all()}
    assert states[fixable].status == "ok"
    assert states[broken].status == "failed"
    assert "already exists" in states[broken].error
    assert states[fine].status == "ok"
    assert states[fine].attempts == 0

    # The rerun touches only the failure.
    report = regions_migrate(jobs=1)
    assert report.behind == [broken]
    assert SchemaMigrationState.objects.get(schema_name=fixable).attempts == 1
    assert SchemaMigrationState.objects.get(schema_name=broken).attempts == 2

    with connection.cursor() as cursor:  # an operator fixes the region …
        cursor.execute(f'DROP TABLE "{broken}".region_audit_auditentry')
    report = regions_migrate(jobs=1)  # … and reruns
    assert report.migrated == [broken]
    assert report.failed == {}
    assert SchemaMigrationState.objects.get(schema_name=broken).status == "ok"


def test_a_schema_without_migration_records_counts_as_behind(db):
    with connection.cursor() as cursor:
        cursor.execute('CREATE SCHEMA "mpp_99_03"')
    assert missing_migrations(["mpp_99_03"])["mpp_99_03"] == len(schema_migrations("mpp_template"))


def test_the_command_reports_and_fails_loudly(db, capsys):
    broken = _provision("21.05")
    _forget(broken, drop_table=False)
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=broken):
        call_command("migrate_regions", "--jobs=1")
    assert "1 gagal" in capsys.readouterr().out


@pytest.mark.parametrize("name", ["bad;name", "public", "mpp_35_10; DROP SCHEMA public"])
def test_the_command_refuses_a_bad_schema_name_before_any_work(db, name):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Nama skema tidak sah"):
        call_command("migrate_regions", "--schema", name)
    assert not SchemaMigrationState.objects.filter(schema_name=name).exists()
