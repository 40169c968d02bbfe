"""Demo data of national monitoring for ``make run``: six months of made-up history in each demo
region (one thriving, one gone quiet, one slipping on its SLA), rolled up, and one open
evaluation period with the demo regions in different states (onboarding.monitoring adds a
stalled onboarding).
Idempotent: a second run changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, cast

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection as _connection
from django.utils import timezone

from shared.accounts.models import Membership, Role
from shared.citizens.services import profile_ensure
from shared.monitoring import registry
from shared.monitoring.evaluation import services as evaluation
from shared.monitoring.models import (
    EvaluationPeriod,
    Indicator,
    RegionDay,
    RegionEvaluation,
)
from shared.monitoring.rollups import rollup_state_mark
from tenants.reporting.compute import region_rollup
from tenants.reporting.history import Profile, history_seed

if TYPE_CHECKING:
    from django_tenants.postgresql_backend.base import DatabaseWrapper

# django-tenants' wrapper (set_tenant, schema_name, tenant): the same object, typed.
connection = cast("DatabaseWrapper", _connection)


HISTORY_DAYS = 180
PROFILES = {
    "35.10": Profile(applications_per_day=(6, 16), on_time=0.94, growth=0.5),
    "35.74": Profile(applications_per_day=(2, 8), on_time=0.86, quiet_last_days=16),
    "13.75": Profile(on_time=0.66, wait_minutes=(20, 75), growth=-0.3, no_show=0.12),
}
DEMO_PERIOD = "Evaluasi MPP Digital (demo)"


def _pdf(text: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, text)
    return bytes(pdf.output())


def _history(mpps, *, citizen_id: int, end: dt.date, stdout) -> None:
    for mpp in mpps:
        profile = PROFILES.get(mpp.region.code, Profile())
        connection.set_tenant(mpp)
        try:
            created = history_seed(
                citizen_id=citizen_id,
                start=end - dt.timedelta(days=HISTORY_DAYS),
                end=end,
                profile=profile,
                seed=int(mpp.region.code.replace(".", "")),
            )
            if not RegionDay.objects.filter(region_id=mpp.region_id).exists():
                started = timezone.now()
                region_rollup(start=end - dt.timedelta(days=HISTORY_DAYS), end=end)
                rollup_state_mark(region_id=mpp.region_id, at=started)
        finally:
            connection.set_schema_to_public()
        if stdout is not None and created[0]:
            stdout.write(
                f"pemantauan {mpp.region.name}: {created[0]} permohonan, {created[1]} antrean"
            )


def _admin(region_id: int):
    m = (
        Membership.objects.filter(region_id=region_id, role=Role.DPMPTSP_ADMIN, is_active=True)
        .select_related("user")
        .first()
    )
    return m.user if m else None


def _answer_all(ev: RegionEvaluation, actor, *, score: str) -> None:
    for answer in ev.answers.select_related("period_indicator__indicator"):
        if answer.period_indicator.indicator.kind != Indicator.Kind.ANSWERED:
            continue
        evaluation.answer_save(
            actor=actor,
            evaluation=ev,
            answer=answer,
            self_score=score,
            explanation="Uraian dan bukti terlampir (data demo).",
        )
        evaluation.evidence_add(
            actor=actor,
            evaluation=ev,
            answer=answer,
            upload=SimpleUploadedFile(
                f"bukti-{answer.period_indicator.indicator.code}.pdf",
                _pdf(f"Bukti {answer.period_indicator.indicator.name}"),
                content_type="application/pdf",
            ),
        )


def _evaluation(superadmin, end: dt.date) -> None:
    if EvaluationPeriod.objects.filter(name=DEMO_PERIOD).exists():
        return
    period = evaluation.period_create(
        actor=superadmin,
        name=DEMO_PERIOD,
        year=end.year,
        measure_start=end - dt.timedelta(days=HISTORY_DAYS),
        measure_end=end,
        deadline=timezone.localdate() + dt.timedelta(days=21),
    )
    evaluation.period_open(actor=superadmin, period=period)
    for ev in period.evaluations.select_related("region", "period"):
        admin = _admin(ev.region_id)
        if admin is None:
            continue
        code = ev.region.code
        if code == "35.10":  # accepted, with a grade and a report
            _answer_all(ev, admin, score="4.5")
            ev = evaluation.evaluation_submit(actor=admin, evaluation=ev)
            evaluation.evaluation_accept(actor=superadmin, evaluation=ev)
        elif code == "35.74":  # submitted, waiting for the evaluator
            _answer_all(ev, admin, score="3.5")
            evaluation.evaluation_submit(actor=admin, evaluation=ev)
        elif code == "13.75":  # still being filled in
            answer = ev.answers.filter(period_indicator__indicator__kind="answered").first()
            if answer is not None:
                evaluation.answer_save(
                    actor=admin, evaluation=ev, answer=answer, self_score="3", explanation=""
                )


def seed_demo_monitoring(*, superadmin, citizen_user, stdout=None) -> None:
    mpps = registry.live_mpps()
    end = timezone.localdate() - dt.timedelta(days=1)
    citizen_id = profile_ensure(user=citizen_user).pk
    _history(mpps, citizen_id=citizen_id, end=end, stdout=stdout)
    _evaluation(superadmin, end)
