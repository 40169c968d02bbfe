"""migrate_regions in parallel worker processes: they need committed schemas, so this test
commits its own regions (unique ones) and removes them afterwards."""

import pytest
from django.db import connection

from onboarding.models import Onboarding, SchemaMigrationState
from onboarding.provisioning.rollout import regions_migrate
from onboarding.provisioning.template import schema_drop, schema_migrations
from onboarding.services import mpp_provision
from shared.regions.models import Mpp, Region

pytestmark = pytest.mark.concurrency
CODES = ("21.71", "21.72", "19.01")


@pytest.fixture
def committed_regions(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        schemas = [mpp_provision(region=Region.objects.get(code=c)).schema_name for c in CODES]
        try:
            yield schemas
        finally:
            connection.set_schema_to_public()
            for schema in schemas:
                schema_drop(schema)
            Mpp.objects.filter(region__code__in=CODES).delete()
            Onboarding.objects.filter(region__code__in=CODES).delete()
            SchemaMigrationState.objects.filter(schema_name__in=schemas).delete()


def test_parallel_rollout_migrates_each_behind_schema_in_its_own_process(
    committed_regions, django_db_blocker
):
    fixable_a, fixable_b, broken = committed_regions
    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            for schema in committed_regions:
                cursor.execute(
                    f'DELETE FROM "{schema}".django_migrations'
                    " WHERE app = 'region_audit' AND name = '0001_initial'"
                )
            cursor.execute(f'DROP TABLE "{fixable_a}".region_audit_auditentry')
            cursor.execute(f'DROP TABLE "{fixable_b}".region_audit_auditentry')

        report = regions_migrate(jobs=2)
        assert sorted(report.migrated) == sorted([fixable_a, fixable_b])
        assert list(report.failed) == [broken]
        # The parent's connection (and the locks it held) survived the forked workers.
        assert ("region_audit", "0001_initial") in schema_migrations(fixable_a)
        assert SchemaMigrationState.objects.get(schema_name=broken).status == "failed"

        report = regions_migrate(jobs=2)
        assert report.behind == [broken]
