"""The resumable provisioning and offboarding pipelines.

A region's pipeline is a fixed list of steps, each recorded as a ``PipelineStep`` row (the
progress bar and what a rerun resumes from). One run at a time per region (a session advisory
lock, which a killed worker releases with its connection). Each step does its work and records
itself done in the same transaction; so after a crash at any point a rerun redoes at most the
step that was interrupted, and every step also checks the real state first (schema, domain,
user, membership) so that redoing it changes nothing twice.

The one effect outside the database is the invitation email: it is sent before its step
commits, so it goes out at least once (twice only if the worker dies in that instant).
"""

import logging
import traceback
from collections.abc import Callable
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kernel.audit import audit_log
from kernel.errors import DomainError
from kernel.tenancy import connection
from onboarding.models import Onboarding, PipelineStep, Stage
from onboarding.provisioning import locks
from onboarding.provisioning.citus import schema_distribute
from onboarding.provisioning.template import (
    TemplateSnapshot,
    schema_clone,
    schema_exists,
    schema_migrate,
    schema_migrations,
    template_ensure,
)
from shared.regions.models import Domain, Mpp
from shared.webhooks.models import EventKind
from shared.webhooks.services import event_emit

logger = logging.getLogger(__name__)

PROVISION = PipelineStep.Pipeline.PROVISION
OFFBOARD = PipelineStep.Pipeline.OFFBOARD
SKIPPED = object()


class ProvisioningError(DomainError):
    code = "provisioning_failed"


@dataclass
class StepContext:
    onboarding: Onboarding
    actor: Any = None
    snapshot: TemplateSnapshot | None = None
    extra: dict = field(default_factory=dict)

    @property
    def region(self):
        return self.onboarding.region

    def mpp(self) -> Mpp:
        mpp = Mpp.objects.filter(region=self.onboarding.region).first()
        if mpp is None:
            raise ProvisioningError(str(_("MPP daerah ini belum dibuat.")))
        return mpp


@dataclass(frozen=True)
class Step:
    name: str
    label: Any
    run: Callable[[StepContext], Any]
    prepare: Callable[[StepContext], None] | None = None


# --- provisioning steps ---------------------------------------------------------------------------


def _prepare_schema(ctx: StepContext) -> None:
    # Outside the step's transaction: may migrate the template after a deploy.
    if not schema_exists(ctx.region.schema_name):
        ctx.snapshot = template_ensure()


def step_create_schema(ctx: StepContext):
    region = ctx.region
    schema_name = region.schema_name
    mpp = Mpp.objects.select_for_update().filter(region=region).first()
    exists = schema_exists(schema_name)
    if mpp is None:
        if exists:
            raise ProvisioningError(
                str(_("Skema %(schema)s sudah ada tanpa MPP; periksa dan hapus secara manual."))
                % {"schema": schema_name}
            )
        mpp = Mpp.objects.create(
            region=region, schema_name=schema_name, status=Mpp.Status.PROVISIONING
        )
    if exists:
        # Resumed after the clone committed: only make sure it is not behind the code.
        from onboarding.provisioning.template import code_migrations

        if not code_migrations() <= set(schema_migrations(schema_name)):
            schema_migrate(schema_name)
        return {"schema": schema_name, "created": False}
    schema_clone(schema_name, snapshot=ctx.snapshot)
    # On Citus the new schema becomes a distributed schema on a worker (docs/scale.md).
    distributed = schema_distribute(schema_name)
    return {"schema": schema_name, "created": True, "distributed": distributed}


def region_hostname(region) -> str:
    return region.hostname


def step_register_domain(ctx: StepContext):
    mpp = ctx.mpp()
    hostname = region_hostname(ctx.region)
    domain = Domain.objects.filter(domain=hostname).first()
    if domain is not None and domain.tenant_id != mpp.pk:
        raise ProvisioningError(
            str(_("Domain %(domain)s sudah dipakai MPP lain.")) % {"domain": hostname}
        )
    if domain is None:
        Domain.objects.create(domain=hostname, tenant=mpp, is_primary=True)
    return {"domain": hostname}


def step_seed_offerings(ctx: StepContext):
    """Adopt the starter national services, inside the region's schema (tenants.mpp)."""
    from tenants.mpp.seeding import seed_offerings

    connection.set_tenant(ctx.mpp())
    try:
        count = seed_offerings(actor=ctx.actor)
    finally:
        connection.set_schema_to_public()
    return {"seeded": int(count or 0)}


def step_create_admin(ctx: StepContext):
    from shared.accounts.models import Role, User
    from shared.accounts.services import membership_grant

    ob = ctx.onboarding
    if not ob.admin_email:
        return SKIPPED
    email = ob.admin_email.strip().lower()
    existing = User.objects.filter(email__iexact=email).first()
    created = existing is None
    user = existing or User.objects.create_user(email=email, password=None, full_name=ob.admin_name)
    membership_grant(actor=ctx.actor, user=user, region=ob.region, role=Role.DPMPTSP_ADMIN)
    if ob.admin_user_id != user.pk:
        ob.admin_user = user
        ob.save(update_fields=["admin_user", "updated_at"])
    return {"user_id": user.pk, "created": created}


def step_send_invitation(ctx: StepContext):
    from onboarding.invitations import invitation_send

    ob = ctx.onboarding
    if ob.admin_user_id is None:
        return SKIPPED
    if ob.invitation_sent_at is not None:
        return {"sent_at": ob.invitation_sent_at.isoformat(), "again": False}
    invitation_send(onboarding=ob)
    sent_at = timezone.now()
    ob.invitation_sent_at = sent_at
    ob.save(update_fields=["invitation_sent_at", "updated_at"])
    return {"sent_at": sent_at.isoformat(), "to": ob.admin_email}


def step_mark_live(ctx: StepContext):
    ob = ctx.onboarding
    mpp = ctx.mpp()
    now = timezone.now()
    live_since = mpp.live_since or now
    if mpp.status != Mpp.Status.LIVE:
        mpp.status = Mpp.Status.LIVE
        mpp.live_since = live_since
        mpp.save(update_fields=["status", "live_since"])
    if ob.stage == Stage.PROVISIONING:
        ob.stage = Stage.LIVE
        ob.stage_changed_at = now
        ob.save(update_fields=["stage", "stage_changed_at", "updated_at"])
        audit_log(
            actor=ctx.actor,
            action="onboarding.region.live",
            target=ob,
            data={"from": Stage.PROVISIONING, "to": Stage.LIVE},
            region=ob.region,
        )
        event_emit(
            kind=EventKind.REGION_LIVE,
            region=ob.region,
            subject_type="region",
            subject_id=ob.region.code,
            data={"code": ob.region.code, "status": Mpp.Status.LIVE},
        )
    return {"live_since": live_since.isoformat()}


# --- offboarding steps ----------------------------------------------------------------------------


def step_archive(ctx: StepContext):
    from onboarding.archive import archive_build

    document = archive_build(onboarding=ctx.onboarding, actor=ctx.actor)
    return {"document_id": document.pk, "size": document.size, "sha256": document.sha256}


def step_delete_files(ctx: StepContext):
    # Before the drop, while the region's tables can still say which files are its own; only
    # after the archive has been read back from the shared storage (region_files_delete).
    from onboarding.archive import region_files_delete

    return region_files_delete(onboarding=ctx.onboarding, actor=ctx.actor)


def step_drop_schema(ctx: StepContext):
    from onboarding.archive import archive_verify
    from onboarding.models import OnboardingDocument
    from onboarding.provisioning.template import schema_drop
    from shared.accounts.services import membership_revoke
    from shared.catalogue.models import ServiceAvailability

    ob = ctx.onboarding
    archive = ob.documents.filter(kind=OnboardingDocument.Kind.ARCHIVE).first()
    if archive is None:
        raise ProvisioningError(str(_("Arsip data belum ada; skema tidak dihapus.")))
    archive_verify(archive)
    schema_name = ob.region.schema_name
    schema_drop(schema_name)
    Mpp.objects.filter(region=ob.region).delete()  # cascades to its domains
    membership_revoke(actor=ctx.actor, region=ob.region)
    # The national "which MPPs offer this service" index forgets the region.
    ServiceAvailability.objects.filter(region=ob.region).delete()
    transaction.on_commit(lambda: _sweep_region_prefix(schema_name))
    return {"schema": schema_name, "dropped": True}


def _sweep_region_prefix(schema_name: str) -> None:
    """A file written under the prefix between the file deletion and the drop belongs to rows
    that no longer exist: remove it (and say so) rather than leave an orphan."""
    from kernel.files import file_prefix, private_storage, prune_folders, walk

    storage = private_storage()
    prefix = file_prefix(schema_name)
    for name in list(walk(storage, prefix)):
        logger.warning("offboarding %s: removing %s, written after the archive", schema_name, name)
        storage.delete(name)
    prune_folders(storage, prefix)


def step_mark_offboarded(ctx: StepContext):
    ob = ctx.onboarding
    if ob.stage == Stage.OFFBOARDING:
        ob.stage = Stage.OFFBOARDED
        ob.stage_changed_at = timezone.now()
        ob.save(update_fields=["stage", "stage_changed_at", "updated_at"])
        audit_log(
            actor=ctx.actor,
            action="onboarding.region.offboarded",
            target=ob,
            data={"from": Stage.OFFBOARDING, "to": Stage.OFFBOARDED},
            region=ob.region,
        )
    return {}


PIPELINES: dict[str, list[Step]] = {
    PROVISION: [
        Step("create_schema", _("Membuat skema basis data"), step_create_schema, _prepare_schema),
        Step("register_domain", _("Mendaftarkan domain"), step_register_domain),
        Step(
            "seed_offerings", _("Mengisi layanan awal dari katalog nasional"), step_seed_offerings
        ),
        Step("create_admin", _("Membuat akun admin DPMPTSP"), step_create_admin),
        Step("send_invitation", _("Mengirim undangan ke admin"), step_send_invitation),
        Step("mark_live", _("Mengaktifkan MPP"), step_mark_live),
    ],
    OFFBOARD: [
        Step("archive", _("Membuat arsip data daerah"), step_archive),
        Step("delete_files", _("Menghapus berkas daerah yang sudah diarsipkan"), step_delete_files),
        Step("drop_schema", _("Menghapus skema daerah"), step_drop_schema),
        Step("mark_offboarded", _("Menutup onboarding"), step_mark_offboarded),
    ],
}
PIPELINE_STAGE: dict[str, str] = {PROVISION: Stage.PROVISIONING, OFFBOARD: Stage.OFFBOARDING}
STEP_LABELS = {step.name: step.label for steps in PIPELINES.values() for step in steps}


def steps_ensure(onboarding: Onboarding, pipeline: str) -> list[PipelineStep]:
    """The pipeline's step rows for a region, created when missing (idempotent)."""
    existing = {s.name: s for s in onboarding.steps.filter(pipeline=pipeline)}
    missing = [
        PipelineStep(onboarding=onboarding, pipeline=pipeline, name=step.name, position=i)
        for i, step in enumerate(PIPELINES[pipeline])
        if step.name not in existing
    ]
    if missing:
        PipelineStep.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {s.name: s for s in onboarding.steps.filter(pipeline=pipeline)}
    return [existing[step.name] for step in PIPELINES[pipeline]]


def _error_text(exc: Exception) -> str:
    if isinstance(exc, DomainError):
        return exc.message
    last = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
    where = f" ({last[0].filename.rsplit('/', 1)[-1]}:{last[0].lineno})" if last else ""
    return f"{type(exc).__name__}: {exc}{where}"[:4000]


def pipeline_run(*, onboarding_id: int, pipeline: str = PROVISION, actor=None) -> str:
    """Run (or resume) a region's pipeline. Returns "done", "failed", "busy" (another run holds
    the region) or "idle" (the region is not at this pipeline's stage)."""
    with locks.try_session_lock(locks.pipeline_key(onboarding_id)) as got:
        if not got:
            return "busy"
        onboarding = Onboarding.objects.select_related("region").get(pk=onboarding_id)
        if onboarding.stage != PIPELINE_STAGE[pipeline]:
            return "idle"
        ctx = StepContext(onboarding=onboarding, actor=actor)
        with _relaxed_commits():
            return _run_steps(ctx, pipeline, onboarding, actor)


@contextmanager
def _relaxed_commits():
    """Commits of a pipeline run do not wait for the WAL flush: a step is recorded done in the
    same transaction as its work, so if the server loses the last commits in a crash, the
    rerun simply redoes those steps (each checks the real state first)."""
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
    try:
        yield
    finally:
        with suppress(DatabaseError), connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")  # a dead session has no setting to reset


def _run_steps(ctx: StepContext, pipeline: str, onboarding: Onboarding, actor) -> str:
    onboarding_id = onboarding.pk
    for step, row in zip(PIPELINES[pipeline], steps_ensure(onboarding, pipeline), strict=True):
        if row.is_finished:
            continue
        row.status = PipelineStep.Status.RUNNING
        row.attempts += 1
        row.started_at = timezone.now()
        row.error = ""
        row.save(update_fields=["status", "attempts", "started_at", "error"])
        try:
            if step.prepare is not None:
                step.prepare(ctx)
            with transaction.atomic():
                ctx.onboarding = Onboarding.objects.select_related("region").get(pk=onboarding_id)
                result = step.run(ctx)
                row.status = (
                    PipelineStep.Status.SKIPPED if result is SKIPPED else PipelineStep.Status.DONE
                )
                row.detail = {} if result is SKIPPED else (result or {})
                row.finished_at = timezone.now()
                row.save(update_fields=["status", "detail", "finished_at"])
        except Exception as exc:
            connection.set_schema_to_public()
            logger.exception("step %s of %s failed for %s", step.name, pipeline, onboarding_id)
            row.status = PipelineStep.Status.FAILED
            row.error = _error_text(exc)
            row.finished_at = timezone.now()
            row.save(update_fields=["status", "error", "finished_at"])
            audit_log(
                actor=actor,
                action=f"onboarding.{pipeline}.step_failed",
                target=onboarding,
                data={"step": step.name, "error": row.error},
                region=onboarding.region,
            )
            return "failed"
    return "done"
