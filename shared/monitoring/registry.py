"""What monitoring needs from the MPP register: which regions are live, and which onboardings
have stalled. The register lives in ``onboarding`` today; this module is the one place that
reads it, so that moving the register (issue 10) changes one import."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from onboarding.models import Mpp, Onboarding, PipelineStep, Stage

#: An onboarding that has not moved for this long (before going live) needs attention.
ONBOARDING_STALL_DAYS = 30
_OPEN_STAGES = (Stage.COMMITTED, Stage.ASSESSED, Stage.DESIGNATED, Stage.PROVISIONING)


def live_regions():
    """(region_id, schema_name) of every live MPP, by region code."""
    return list(
        Mpp.objects.filter(status=Mpp.Status.LIVE)
        .order_by("region__code")
        .values_list("region_id", "schema_name")
    )


def live_region_ids() -> set[int]:
    return set(Mpp.objects.filter(status=Mpp.Status.LIVE).values_list("region_id", flat=True))


def live_schema_of(region_id: int) -> str | None:
    return (
        Mpp.objects.filter(region_id=region_id, status=Mpp.Status.LIVE)
        .values_list("schema_name", flat=True)
        .first()
    )


def stalled_onboardings(*, now: dt.datetime | None = None) -> list[dict]:
    """Regions on their way in whose onboarding has not moved for ONBOARDING_STALL_DAYS, or
    whose provisioning failed."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=ONBOARDING_STALL_DAYS)
    failed = set(
        PipelineStep.objects.filter(status=PipelineStep.Status.FAILED).values_list(
            "onboarding_id", flat=True
        )
    )
    rows = []
    for o in (
        Onboarding.objects.filter(stage__in=_OPEN_STAGES)
        .select_related("region__province")
        .order_by("region__code")
    ):
        if o.pk in failed or o.stage_changed_at < cutoff:
            rows.append(
                {
                    "region_id": o.region_id,
                    "code": o.region.code,
                    "name": o.region.name,
                    "province": o.region.province.name,
                    "stage": str(o.get_stage_display()),
                    "since": o.stage_changed_at,
                    "failed": o.pk in failed,
                }
            )
    return rows


def live_mpps() -> list[Mpp]:
    return list(
        Mpp.objects.filter(status=Mpp.Status.LIVE).select_related("region").order_by("region__code")
    )


def demo_onboarding_backdate(*, region_code: str, days: int) -> None:
    """Demo only: an open onboarding that has not moved for ``days`` (once; idempotent)."""
    Onboarding.objects.filter(
        region__code=region_code,
        stage__in=_OPEN_STAGES,
        stage_changed_at__gt=timezone.now() - dt.timedelta(days=ONBOARDING_STALL_DAYS),
    ).update(stage_changed_at=timezone.now() - dt.timedelta(days=days))
