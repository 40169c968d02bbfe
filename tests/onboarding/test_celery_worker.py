"""The real path once: a designated region's provisioning enqueued on commit through the Redis
broker and run by a Celery worker thread. (Everywhere else the pipeline runs eagerly.) The
worker needs committed data, so this test commits a region of its own and removes it after."""

import time

import pytest
from django.conf import settings
from django.db import connection

from onboarding import services
from onboarding.models import Onboarding, Stage
from onboarding.provisioning.template import schema_drop, schema_exists
from shared.accounts.models import Membership, User
from shared.regions.models import Mpp, Region

pytestmark = pytest.mark.concurrency
CODE = "21.04"  # Kabupaten Lingga
ADMIN = "admin.celery@linggakab.test"


@pytest.fixture
def committed_designated(django_db_setup, django_db_blocker):
    import datetime as dt

    with django_db_blocker.unblock():
        region = Region.objects.get(code=CODE)
        onboarding = Onboarding.objects.create(
            region=region,
            stage=Stage.DESIGNATED,
            signer_name="Bupati Lingga",
            signer_title="Bupati",
            signed_on=dt.date(2024, 3, 7),
            decree_number="457/2024",
            decree_date=dt.date(2024, 6, 3),
        )
        try:
            yield onboarding
        finally:
            connection.set_schema_to_public()
            schema_drop(region.schema_name)
            Mpp.objects.filter(region=region).delete()
            Onboarding.objects.filter(region=region).delete()
            Membership.objects.filter(region=region).delete()
            # Raw: the ORM would also null region audit rows, a table public does not have.
            User.objects.filter(email=ADMIN)._raw_delete(User.objects.db)


def test_provisioning_through_a_real_worker_and_broker(committed_designated, django_db_blocker):
    from celery.contrib.testing.worker import start_worker

    from mpp_platform.celery import app

    assert settings.REDIS_URL, "make test starts Redis; REDIS_URL must be set"
    with django_db_blocker.unblock():
        with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
            # Autocommit: the task is enqueued as the service's transaction commits.
            services.provisioning_start(
                actor=None, onboarding=committed_designated, admin_email=ADMIN
            )
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                committed_designated.refresh_from_db()
                if committed_designated.stage == Stage.LIVE:
                    break
                time.sleep(0.2)
        assert committed_designated.stage == Stage.LIVE
        assert Mpp.objects.get(region__code=CODE).status == Mpp.Status.LIVE
        assert schema_exists(committed_designated.region.schema_name)
        assert User.objects.filter(email=ADMIN).count() == 1
