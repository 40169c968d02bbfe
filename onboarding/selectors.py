"""Reads of the onboarding console: the board, a region's page, progress and the timeline."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Case, Count, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onboarding.models import BulkBatch, Onboarding, PipelineStep, Stage
from onboarding.provisioning import locks
from onboarding.provisioning.pipeline import OFFBOARD, PIPELINES, PROVISION, STEP_LABELS
from shared.audit.models import AuditEntry
from shared.regions.models import Region

STALL_AFTER = timedelta(minutes=2)
NOT_STARTED = "none"  # the board's pseudo-stage of regions with no onboarding yet
BOARD_STAGES = [(NOT_STARTED, _("Belum bergabung")), *Stage.choices]


def onboarding_for(region: Region) -> Onboarding | None:
    """The region's open onboarding, else its latest offboarded one."""
    return (
        Onboarding.objects.filter(region=region)
        .select_related("region__province", "admin_user", "batch")
        .order_by(
            Case(When(stage=Stage.OFFBOARDED, then=Value(1)), default=Value(0)), "-created_at"
        )
        .first()
    )


def stage_counts() -> dict[str, int]:
    """How many regions are at each stage (regions with no onboarding: NOT_STARTED)."""
    open_ = Onboarding.objects.exclude(stage=Stage.OFFBOARDED)
    counts = {stage: 0 for stage, _label in BOARD_STAGES}
    counts.update(open_.values_list("stage").annotate(n=Count("id")).values_list("stage", "n"))
    counts[Stage.OFFBOARDED] = (
        Region.objects.filter(onboardings__stage=Stage.OFFBOARDED)
        .exclude(onboardings__in=open_)
        .distinct()
        .count()
    )
    counts[NOT_STARTED] = Region.objects.filter(onboardings__isnull=True).count()
    return counts


@dataclass
class BoardRow:
    region: Region
    onboarding: Onboarding | None

    @property
    def stage(self) -> str:
        return self.onboarding.stage if self.onboarding else NOT_STARTED


def board_regions(*, province: str = "", stage: str = "", query: str = ""):
    """Regions with their onboarding (two queries whatever the page size)."""
    regions = Region.objects.select_related("province").order_by("code")
    if province:
        regions = regions.filter(province_id=province)
    if query:
        regions = regions.filter(Q(name__icontains=query) | Q(code__startswith=query))
    open_ = Onboarding.objects.exclude(stage=Stage.OFFBOARDED)
    if stage == NOT_STARTED:
        regions = regions.filter(onboardings__isnull=True)
    elif stage == Stage.OFFBOARDED:
        regions = regions.filter(onboardings__stage=Stage.OFFBOARDED).exclude(onboardings__in=open_)
    elif stage:
        regions = regions.filter(onboardings__stage=stage)
    return regions.distinct()


def board_rows(regions) -> list[BoardRow]:
    regions = list(regions)
    onboardings: dict[int, Onboarding] = {}
    for onboarding in Onboarding.objects.filter(region__in=regions).order_by("created_at"):
        current = onboardings.get(onboarding.region_id)
        if current is None or current.stage == Stage.OFFBOARDED:
            onboardings[onboarding.region_id] = onboarding
    return [BoardRow(region=r, onboarding=onboardings.get(r.pk)) for r in regions]


def pipeline_of(onboarding: Onboarding) -> str | None:
    if onboarding.stage in (Stage.OFFBOARDING, Stage.OFFBOARDED):
        return OFFBOARD
    if onboarding.stage in (Stage.PROVISIONING, Stage.LIVE, Stage.SUSPENDED):
        return PROVISION
    return None


def progress(onboarding: Onboarding) -> dict:
    """What the progress bar shows: the steps of the current pipeline and where it stands."""
    pipeline = pipeline_of(onboarding)
    steps = list(onboarding.steps.filter(pipeline=pipeline)) if pipeline else []
    names = [s.name for s in PIPELINES[pipeline]] if pipeline else []
    by_name = {s.name: s for s in steps}
    finished = sum(1 for s in steps if s.is_finished)
    total = len(names)
    running = bool(pipeline) and locks.is_held(locks.pipeline_key(onboarding.pk))
    failed = [s for s in steps if s.status == PipelineStep.Status.FAILED]
    # Stalled: nothing holds the region's pipeline lock, yet a step was left running (a killed
    # worker), or steps have waited a while with no worker picking them up (broker down).
    activity = [onboarding.stage_changed_at, *(s.finished_at for s in steps if s.finished_at)]
    idle = timezone.now() - max(activity) > STALL_AFTER
    stalled = (
        not running
        and not failed
        and onboarding.stage in (Stage.PROVISIONING, Stage.OFFBOARDING)
        and (
            any(s.status == PipelineStep.Status.RUNNING for s in steps)
            or (idle and any(s.status == PipelineStep.Status.PENDING for s in steps))
        )
    )
    return {
        "region": onboarding.region.code,
        "stage": onboarding.stage,
        "stage_label": str(onboarding.get_stage_display()),
        "pipeline": pipeline,
        "percent": round(100 * finished / total) if total else 0,
        "finished": finished,
        "total": total,
        "running": running,
        "failed": bool(failed),
        "stalled": stalled,
        "done": onboarding.stage in (Stage.LIVE, Stage.SUSPENDED, Stage.OFFBOARDED),
        "steps": [
            {
                "name": name,
                "label": str(STEP_LABELS[name]),
                "status": by_name[name].status if name in by_name else PipelineStep.Status.PENDING,
                "status_label": str(
                    by_name[name].get_status_display()
                    if name in by_name
                    else PipelineStep.Status.PENDING.label
                ),
                "error": by_name[name].error if name in by_name else "",
                "attempts": by_name[name].attempts if name in by_name else 0,
            }
            for name in names
        ],
    }


def batch_progress(batch: BulkBatch) -> dict:
    """One progress bar for a whole bulk upload."""
    onboardings = batch.onboardings.all()
    step_counts = PipelineStep.objects.filter(
        onboarding__batch=batch, pipeline=PROVISION
    ).aggregate(
        total=Count("id"),
        finished=Count("id", filter=Q(status__in=["done", "skipped"])),
        failed=Count("id", filter=Q(status="failed")),
    )
    stages = dict(
        onboardings.values_list("stage").annotate(n=Count("id")).values_list("stage", "n")
    )
    total = step_counts["total"] or 0
    live = stages.get(Stage.LIVE, 0) + stages.get(Stage.SUSPENDED, 0)
    failed_regions = list(
        onboardings.filter(steps__status="failed")
        .distinct()
        .values_list("region__code", "region__name")
    )
    return {
        "batch": batch.pk,
        "regions": batch.row_count,
        "live": live,
        "failed": len(failed_regions),
        "failed_regions": [{"code": c, "name": n} for c, n in failed_regions],
        "percent": round(100 * step_counts["finished"] / total) if total else 0,
        "done": live == batch.row_count,
    }


def timeline(onboarding: Onboarding):
    """The region's onboarding history, from the national audit log."""
    return (
        AuditEntry.objects.filter(
            region_code=onboarding.region.code, action__startswith="onboarding."
        )
        .select_related("actor")
        .order_by("created_at", "id")
    )
