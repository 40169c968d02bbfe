"""Provisioning is resumable and idempotent: a failure or a killed worker at any step, then a
rerun, ends in exactly one live region, no orphan schema and no duplicate admin."""

import time

import psycopg
import pytest
from django.core import mail
from django.db import connection

from onboarding.models import PipelineStep, Stage
from onboarding.provisioning import locks
from onboarding.provisioning.pipeline import (
    PIPELINES,
    PROVISION,
    pipeline_run,
)
from onboarding.provisioning.template import schema_exists, schema_migrations
from onboarding.services import pipeline_retry, provisioning_start
from shared.accounts.models import Membership, Role, User
from shared.audit.models import AuditEntry
from shared.regions.models import Domain, Mpp
from tests.onboarding.faults import SimulatedCrash, inject_fault

STEPS = [step.name for step in PIPELINES[PROVISION]]
ADMIN = "Admin.Bintan@Bintankab.go.id"


@pytest.fixture
def provisioning(make_onboarding, superadmin):
    onboarding = make_onboarding(stage=Stage.DESIGNATED)
    return provisioning_start(
        actor=superadmin, onboarding=onboarding, admin_email=ADMIN, admin_name="Dewi Admin"
    )


def _assert_one_live_region(onboarding, schemas_before, schemas):
    onboarding.refresh_from_db()
    region = onboarding.region
    assert onboarding.stage == Stage.LIVE
    mpp = Mpp.objects.get(region=region)
    assert mpp.status == Mpp.Status.LIVE
    assert mpp.live_since is not None
    assert schemas() == schemas_before | {region.schema_name}
    assert schema_migrations(region.schema_name) == schema_migrations("mpp_template")
    assert list(Domain.objects.filter(tenant=mpp).values_list("domain", flat=True)) == [
        "bintan.mpp.localhost"
    ]
    admins = User.objects.filter(email__iexact=ADMIN)
    assert admins.count() == 1
    admin = admins.get()
    assert admin.email == ADMIN.lower()
    assert not admin.has_usable_password()
    assert list(Membership.objects.filter(region=region).values_list("user_id", "role")) == [
        (admin.pk, Role.DPMPTSP_ADMIN)
    ]
    assert set(onboarding.steps.values_list("status", flat=True)) == {PipelineStep.Status.DONE}
    return admin


def test_provisioning_runs_every_step_and_goes_live(provisioning, superadmin, schemas):
    before = schemas()
    assert pipeline_run(onboarding_id=provisioning.pk, actor=superadmin) == "done"
    admin = _assert_one_live_region(provisioning, before, schemas)
    assert len(mail.outbox) == 1
    invitation = mail.outbox[0]
    assert invitation.to == [admin.email]
    assert "http://bintan.mpp.localhost:8000/akun/atur-sandi/" in invitation.body
    assert "Bintan" in invitation.subject
    assert (
        AuditEntry.objects.filter(action="onboarding.region.live", region_code="21.01").count() == 1
    )


def test_the_invitation_link_lets_the_admin_set_a_password(provisioning, client):
    import re

    pipeline_run(onboarding_id=provisioning.pk)
    link = re.search(r"http://bintan\.mpp\.localhost:8000(\S+)", mail.outbox[0].body).group(1)
    response = client.get(link, HTTP_HOST="bintan.mpp.localhost", follow=True)
    assert response.status_code == 200
    # The set-password form itself, not the page an invalid or used link gets (also a 200).
    page = response.content.decode()
    assert 'name="new_password1"' in page
    assert 'name="new_password2"' in page
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = client.post(
        form_url,
        {"new_password1": "Sandi-Baru-2026!", "new_password2": "Sandi-Baru-2026!"},
        HTTP_HOST="bintan.mpp.localhost",
    )
    assert response.status_code == 302
    assert User.objects.get(email=ADMIN.lower()).check_password("Sandi-Baru-2026!")


def test_running_twice_changes_nothing(provisioning, superadmin, schemas):
    before = schemas()
    assert pipeline_run(onboarding_id=provisioning.pk) == "done"
    entries = AuditEntry.objects.count()
    assert pipeline_run(onboarding_id=provisioning.pk) == "idle"
    provisioning_start(actor=superadmin, onboarding=provisioning)  # a second click: no error
    _assert_one_live_region(provisioning, before, schemas)
    assert AuditEntry.objects.count() == entries
    assert len(mail.outbox) == 1


FAULTS = [
    *[(step, "inside", "error") for step in STEPS],
    *[(step, "inside", "crash") for step in STEPS],
    *[(step, "after", "crash") for step in STEPS],
]


@pytest.mark.parametrize(("step", "where", "kind"), FAULTS)
def test_failure_at_any_step_then_rerun_ends_in_one_live_region(
    provisioning, superadmin, schemas, step, where, kind
):
    before = schemas()
    exc = RuntimeError("disk penuh") if kind == "error" else SimulatedCrash()
    with inject_fault(step, where=where, exc=exc):
        if kind == "error":
            assert pipeline_run(onboarding_id=provisioning.pk, actor=superadmin) == "failed"
        else:
            with pytest.raises(SimulatedCrash):
                pipeline_run(onboarding_id=provisioning.pk, actor=superadmin)
    row = provisioning.steps.get(name=step)
    if kind == "error":
        assert row.status == PipelineStep.Status.FAILED
        assert "disk penuh" in row.error
        assert AuditEntry.objects.filter(action="onboarding.provision.step_failed").exists()
    elif where == "inside":
        assert row.status == PipelineStep.Status.RUNNING  # as a killed worker leaves it
    else:
        assert row.status == PipelineStep.Status.DONE
    provisioning.refresh_from_db()
    assert provisioning.stage == (
        Stage.LIVE if (step, where) == ("mark_live", "after") else Stage.PROVISIONING
    )
    # Nothing of an interrupted step is left half-done: the schema exists only with its MPP.
    has_schema = schema_exists(provisioning.region.schema_name)
    assert has_schema == Mpp.objects.filter(region=provisioning.region).exists()

    if provisioning.stage == Stage.PROVISIONING:
        assert pipeline_run(onboarding_id=provisioning.pk, actor=superadmin) == "done"
    _assert_one_live_region(provisioning, before, schemas)
    sent = len(mail.outbox)
    if (step, where) == ("send_invitation", "inside"):
        # Sent, then the step died before recording it: the one effect that is at-least-once.
        assert sent == 2
    else:
        assert sent == 1


def test_a_failed_step_shows_its_error_and_is_retried(provisioning, superadmin, make_onboarding):
    # Another MPP already holds the domain: a real, fixable failure.
    other = Mpp.objects.get(region__code="35.10")
    taken = Domain.objects.create(domain="bintan.mpp.localhost", tenant=other, is_primary=False)
    assert pipeline_run(onboarding_id=provisioning.pk) == "failed"
    row = provisioning.steps.get(name="register_domain")
    assert row.status == PipelineStep.Status.FAILED
    assert "sudah dipakai MPP lain" in row.error
    assert provisioning.steps.get(name="create_schema").status == PipelineStep.Status.DONE

    taken.delete()
    pipeline_retry(actor=superadmin, onboarding=provisioning)
    row.refresh_from_db()
    assert row.status == PipelineStep.Status.PENDING
    assert AuditEntry.objects.filter(action="onboarding.provision.retried").exists()
    assert pipeline_run(onboarding_id=provisioning.pk) == "done"
    assert provisioning.steps.get(name="create_schema").attempts == 1
    assert provisioning.steps.get(name="register_domain").attempts == 2


def test_a_second_worker_does_not_run_the_same_region_at_once(provisioning):
    other = psycopg.connect(**_libpq_params(), autocommit=True)
    try:
        other.execute("SELECT pg_advisory_lock(%s, %s)", list(locks.pipeline_key(provisioning.pk)))
        assert pipeline_run(onboarding_id=provisioning.pk) == "busy"
        assert locks.is_held(locks.pipeline_key(provisioning.pk))
    finally:
        other.close()
    # The server ends the closed session (and its lock) asynchronously: wait until it has.
    deadline = time.monotonic() + 10
    while locks.is_held(locks.pipeline_key(provisioning.pk)) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert pipeline_run(onboarding_id=provisioning.pk) == "done"


def test_a_schema_without_its_mpp_is_never_adopted(provisioning, schemas):
    with connection.cursor() as cursor:
        cursor.execute('CREATE SCHEMA "mpp_21_01"')
    assert pipeline_run(onboarding_id=provisioning.pk) == "failed"
    assert "sudah ada tanpa MPP" in provisioning.steps.get(name="create_schema").error


def test_seeding_adopts_the_starter_services_in_the_region_schema(provisioning, in_region):
    from shared.catalogue.models import Agency, Service
    from tenants.mpp.models import Offering

    agency = Agency.objects.create(
        code="disdukcapil-uji", name="Dinas Dukcapil", kind=Agency.Kind.REGIONAL_OFFICE
    )
    Service.objects.create(
        code="uji-kk",
        name="Kartu Keluarga (uji)",
        agency=agency,
        product="Kartu Keluarga",
        complaint_handling="Loket pengaduan",
        channels=["online", "walk_in"],
    )
    assert pipeline_run(onboarding_id=provisioning.pk) == "done"
    seeded = provisioning.steps.get(name="seed_offerings").detail["seeded"]
    assert seeded >= 1
    with in_region(Mpp.objects.get(region=provisioning.region)):
        assert Offering.objects.filter(service__code="uji-kk").count() == 1


def test_region_without_admin_email_skips_the_admin_steps(make_onboarding):
    from onboarding.services import mpp_provision

    mpp = mpp_provision(region=make_onboarding(stage=Stage.DESIGNATED).region)
    assert mpp.status == Mpp.Status.LIVE
    skipped = PipelineStep.objects.filter(
        onboarding__region=mpp.region, status=PipelineStep.Status.SKIPPED
    ).values_list("name", flat=True)
    assert sorted(skipped) == ["create_admin", "send_invitation"]
    assert mail.outbox == []


def _libpq_params() -> dict:
    params = connection.get_connection_params()
    keys = {"host", "port", "dbname", "user", "password"}
    return {k: v for k, v in params.items() if k in keys and v}


def test_a_killed_or_never_started_pipeline_shows_as_stalled_and_can_be_retried(
    provisioning, superadmin, django_capture_on_commit_callbacks
):
    import datetime as dt

    from django.utils import timezone

    from onboarding.selectors import progress

    assert progress(provisioning)["stalled"] is False  # just started: a worker may be coming
    type(provisioning).objects.filter(pk=provisioning.pk).update(
        stage_changed_at=timezone.now() - dt.timedelta(minutes=5)
    )
    provisioning.refresh_from_db()
    assert progress(provisioning)["stalled"] is True  # nobody picked it up (broker down?)

    with inject_fault("register_domain", exc=SimulatedCrash()), pytest.raises(SimulatedCrash):
        pipeline_run(onboarding_id=provisioning.pk)
    shown = progress(provisioning)
    assert shown["stalled"] is True
    assert shown["running"] is False
    assert shown["percent"] == round(100 * 1 / 6)
    with django_capture_on_commit_callbacks() as callbacks:
        pipeline_retry(actor=superadmin, onboarding=provisioning)
    assert len(callbacks) == 1
    assert pipeline_run(onboarding_id=provisioning.pk) == "done"
