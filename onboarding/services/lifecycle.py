"""Provisioning, suspension, reinstatement and offboarding, and the direct path that provisions
a region in this process (demo data, tests, bench).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.audit import audit_log
from kernel.errors import ConflictError, DomainError
from onboarding.models import (
    Onboarding,
    PipelineStep,
    Stage,
)
from onboarding.provisioning import locks
from onboarding.provisioning.pipeline import (
    OFFBOARD,
    PROVISION,
    pipeline_run,
    steps_ensure,
)
from onboarding.services.readiness import _clean_admin
from onboarding.services.transitions import _enqueue, _locked, _require_reason, _transition
from shared.regions.models import Mpp, Region
from shared.webhooks.models import EventKind
from shared.webhooks.services import event_emit

# --- provisioning -------------------------------------------------------------------------------


@transaction.atomic
def provisioning_start(
    *, actor, onboarding: Onboarding, admin_email: str = "", admin_name: str = ""
) -> Onboarding:
    """Start provisioning a designated region in the background. Starting it again while it
    provisions (or once it is live) changes nothing: the pipeline is idempotent."""
    onboarding = _locked(onboarding)
    if onboarding.stage in (Stage.PROVISIONING, Stage.LIVE):
        return onboarding
    email, name = _clean_admin(admin_email, admin_name)
    changes: dict[str, str] = {}
    if email:
        changes.update(admin_email=email, admin_name=name or onboarding.admin_name)
    if not (email or onboarding.admin_email):
        raise DomainError(
            _("Email admin DPMPTSP wajib diisi sebelum penyiapan."), code="admin_required"
        )
    _transition(onboarding, action="provision", actor=actor, changes=changes)
    steps_ensure(onboarding, PROVISION)
    _enqueue(onboarding, PROVISION, actor)
    return onboarding


@transaction.atomic
def pipeline_retry(*, actor, onboarding: Onboarding) -> Onboarding:
    """Retry a failed (or interrupted) provisioning or offboarding from where it stopped."""
    onboarding = _locked(onboarding)
    pipelines: dict[str, str] = {Stage.PROVISIONING: PROVISION, Stage.OFFBOARDING: OFFBOARD}
    pipeline = pipelines.get(onboarding.stage)
    if pipeline is None:
        raise ConflictError(
            _("Tidak ada penyiapan yang bisa diulang pada tahap ini."), code="invalid_transition"
        )
    if locks.is_held(locks.pipeline_key(onboarding.pk)):
        raise ConflictError(_("Proses masih berjalan."), code="running")
    steps = onboarding.steps.filter(pipeline=pipeline).exclude(
        status__in=[PipelineStep.Status.DONE, PipelineStep.Status.SKIPPED]
    )
    failed = [s.name for s in steps if s.status == PipelineStep.Status.FAILED]
    steps.update(status=PipelineStep.Status.PENDING, error="")
    audit_log(
        actor=actor,
        action=f"onboarding.{pipeline}.retried",
        target=onboarding,
        data={"steps": failed},
        region=onboarding.region,
    )
    _enqueue(onboarding, pipeline, actor)
    return onboarding


# --- live, suspended, offboarded ----------------------------------------------------------------


def _set_mpp_status(onboarding: Onboarding, status: str, *, public_notice: str | None = None):
    mpp = Mpp.objects.select_for_update().get(region=onboarding.region)
    mpp.status = status
    fields = ["status"]
    if public_notice is not None:
        mpp.public_notice = public_notice
        fields.append("public_notice")
    mpp.save(update_fields=fields)  # the save signal clears the routing cache
    kinds: dict[str, str] = {
        Mpp.Status.LIVE: EventKind.REGION_LIVE,
        Mpp.Status.SUSPENDED: EventKind.REGION_SUSPENDED,
    }
    if status in kinds:
        event_emit(
            kind=kinds[status],  # type: ignore[index]
            region=onboarding.region,
            subject_type="region",
            subject_id=onboarding.region.code,
            data={"code": onboarding.region.code, "status": status},
        )


@transaction.atomic
def onboarding_suspend(
    *, actor, onboarding: Onboarding, reason: str, public_notice: str = ""
) -> Onboarding:
    """Suspend a live MPP: data kept, staff refused on its site, citizens shown a notice."""
    reason = _require_reason(reason)
    onboarding = _transition(_locked(onboarding), action="suspend", actor=actor, reason=reason)
    _set_mpp_status(onboarding, Mpp.Status.SUSPENDED, public_notice=(public_notice or "").strip())
    return onboarding


@transaction.atomic
def onboarding_reinstate(*, actor, onboarding: Onboarding, reason: str = "") -> Onboarding:
    onboarding = _transition(
        _locked(onboarding), action="reinstate", actor=actor, reason=(reason or "").strip()
    )
    _set_mpp_status(onboarding, Mpp.Status.LIVE, public_notice="")
    return onboarding


def confirmation_matches(onboarding: Onboarding, confirmation: str) -> bool:
    typed = " ".join((confirmation or "").split()).casefold()
    return bool(typed) and typed in {
        onboarding.region.name.casefold(),
        onboarding.region.slug.casefold(),
    }


@transaction.atomic
def onboarding_offboard(
    *, actor, onboarding: Onboarding, confirmation: str, reason: str = ""
) -> Onboarding:
    """Offboard: archive the region's data, then drop its schema (in the background). Needs the
    region's name or subdomain typed as confirmation. The site is suspended meanwhile."""
    onboarding = _locked(onboarding)
    if not confirmation_matches(onboarding, confirmation):
        raise DomainError(
            _("Ketik nama daerah (%(name)s) atau subdomainnya (%(slug)s) untuk konfirmasi.")
            % {"name": onboarding.region.name, "slug": onboarding.region.slug},
            code="confirmation_mismatch",
        )
    reason = _require_reason(reason)
    _transition(onboarding, action="offboard", actor=actor, reason=reason)
    _set_mpp_status(onboarding, Mpp.Status.SUSPENDED)
    steps_ensure(onboarding, OFFBOARD)
    _enqueue(onboarding, OFFBOARD, actor)
    return onboarding


# --- the direct path (demo data, tests, bench) --------------------------------------------------


def mpp_provision(
    *, region: Region, actor=None, admin_email: str = "", admin_name: str = ""
) -> Mpp:
    """Provision a region right now, in this process, through the same pipeline.

    For the demo seed, the test session and the bench: a region without an onboarding gets
    one that starts designated (the decree is recorded elsewhere). Idempotent: a live region
    is returned as it is.
    """
    with transaction.atomic():
        Region.objects.select_for_update().get(pk=region.pk)
        onboarding = (
            Onboarding.objects.filter(region=region).exclude(stage=Stage.OFFBOARDED).first()
        )
        if onboarding is None:
            onboarding = Onboarding.objects.create(
                region=region,
                stage=Stage.PROVISIONING,
                signer_name="-",
                signer_title="-",
                signed_on=timezone.localdate(),
                occasion="penyediaan langsung",
                admin_email=admin_email,
                admin_name=admin_name,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            audit_log(
                actor=actor,
                action="onboarding.region.provisioning_started",
                target=onboarding,
                data={"to": Stage.PROVISIONING, "direct": True},
                region=region,
            )
        elif onboarding.stage in (Stage.DESIGNATED,):
            _transition(_locked(onboarding), action="provision", actor=actor)
    if onboarding.stage != Stage.LIVE or not Mpp.objects.filter(region=region).exists():
        outcome = pipeline_run(onboarding_id=onboarding.pk, pipeline=PROVISION, actor=actor)
        if outcome != "done":
            step = onboarding.steps.filter(status=PipelineStep.Status.FAILED).first()
            raise DomainError(
                _("Penyiapan %(region)s gagal: %(error)s")
                % {"region": region.name, "error": step.error if step else outcome}
            )
    return Mpp.objects.select_related("region").get(region=region)


def pipelines_resume(*, actor=None) -> int:
    """Enqueue again every pipeline under way that no worker is running (its region lock is
    free): a worker killed with messages it had reserved leaves them unacknowledged in the
    broker until its visibility timeout (an hour), so a worker that starts picks them up now.
    A region that is in fact still queued runs once all the same: the second run finds the
    lock taken ("busy") or the region live ("idle"). Returns how many were enqueued."""
    from shared.outbox.services import task_enqueue

    stages = {Stage.PROVISIONING: PROVISION, Stage.OFFBOARDING: OFFBOARD}
    resumed = 0
    for onboarding in Onboarding.objects.filter(stage__in=stages).exclude(
        steps__status=PipelineStep.Status.FAILED
    ):
        if locks.is_held(locks.pipeline_key(onboarding.pk)):
            continue
        with transaction.atomic():
            task_enqueue(
                "onboarding.run_pipeline",
                kwargs={
                    "onboarding_id": onboarding.pk,
                    "pipeline": stages[Stage(onboarding.stage)],
                },
            )
        resumed += 1
    if resumed:
        audit_log(actor=actor, action="onboarding.pipelines.resumed", data={"count": resumed})
    return resumed
