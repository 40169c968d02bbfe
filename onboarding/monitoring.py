"""What the onboarding tells national monitoring (``shared.monitoring`` reads it through
``settings.MONITORING_STALLED_ONBOARDINGS``, never by import: it sits a layer below)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from onboarding.models import Onboarding, PipelineStep, Stage

#: An onboarding that has not moved for this long (before going live) needs attention.
ONBOARDING_STALL_DAYS = 30
_OPEN_STAGES = (Stage.COMMITTED, Stage.ASSESSED, Stage.DESIGNATED, Stage.PROVISIONING)


def stalled_onboardings(*, now: dt.datetime | None = None) -> list[dict]:
    """Regions on their way in whose onboarding has not moved for ONBOARDING_STALL_DAYS, or
    whose provisioning failed."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=ONBOARDING_STALL_DAYS)
    failed = PipelineStep.objects.filter(
        onboarding=OuterRef("pk"), status=PipelineStep.Status.FAILED
    )
    # One query (the national dashboard asks on every visit).
    stalled = (
        Onboarding.objects.filter(stage__in=_OPEN_STAGES)
        .annotate(failed=Exists(failed))
        .filter(Q(failed=True) | Q(stage_changed_at__lt=cutoff))
        .select_related("region__province")
        .order_by("region__code")
    )
    return [
        {
            "region_id": o.region_id,
            "code": o.region.code,
            "name": o.region.name,
            "province": o.region.province.name,
            "stage": str(o.get_stage_display()),
            "since": o.stage_changed_at,
            "failed": o.failed,
        }
        for o in stalled
    ]


def demo_seed_monitoring(*, superadmin, citizen, stdout=None) -> None:
    """``make run``: months of monitoring history, an open evaluation, and Kabupaten Karimun's
    demo onboarding (designated) left weeks without progress so its flag shows."""
    from tenants.reporting.demo import seed_demo_monitoring

    seed_demo_monitoring(superadmin=superadmin, citizen_user=citizen, stdout=stdout)
    Onboarding.objects.filter(
        region__code="21.02",
        stage__in=_OPEN_STAGES,
        stage_changed_at__gt=timezone.now() - dt.timedelta(days=ONBOARDING_STALL_DAYS),
    ).update(stage_changed_at=timezone.now() - dt.timedelta(days=45))
