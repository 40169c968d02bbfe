"""What the onboarding tells national monitoring (``shared.monitoring`` reads it through
``settings.MONITORING_STALLED_ONBOARDINGS``, never by import: it sits a layer below)."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.utils import timezone

from onboarding.models import Onboarding, PipelineStep, Stage
from shared.regions.models import Province, Region

#: An onboarding that has not moved for this long (before going live) needs attention.
ONBOARDING_STALL_DAYS = 30
_OPEN_STAGES = (Stage.COMMITTED, Stage.ASSESSED, Stage.DESIGNATED, Stage.PROVISIONING)


def stalled_onboardings(*, now: dt.datetime | None = None) -> list[dict]:
    """Regions on their way in whose onboarding has not moved for ONBOARDING_STALL_DAYS, or
    whose provisioning failed."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=ONBOARDING_STALL_DAYS)
    # Plain SQL, seven columns: the national dashboard asks on every visit, and the ORM's
    # version (select_related of three models, an Exists) cost more than the rest of the view.
    sql = f"""
        SELECT o.region_id, r.code, r.name, p.name, o.stage, o.stage_changed_at, f.failed
        FROM {Onboarding._meta.db_table} o
        JOIN {Region._meta.db_table} r ON r.id = o.region_id
        JOIN {Province._meta.db_table} p ON p.code = r.province_id
        CROSS JOIN LATERAL (
            SELECT EXISTS (SELECT 1 FROM {PipelineStep._meta.db_table} s
                           WHERE s.onboarding_id = o.id AND s.status = %s) AS failed
        ) f
        WHERE o.stage = ANY(%s) AND (f.failed OR o.stage_changed_at < %s)
        ORDER BY r.code
    """  # noqa: S608 - the models' own table names
    with connection.cursor() as cursor:
        cursor.execute(sql, [PipelineStep.Status.FAILED, list(_OPEN_STAGES), cutoff])
        rows = cursor.fetchall()
    return [
        {
            "region_id": region_id,
            "code": code,
            "name": name,
            "province": province,
            "stage": str(Stage(stage).label),
            "since": since,
            "failed": failed,
        }
        for region_id, code, name, province, stage, since, failed in rows
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
