"""Demo SKM data for ``make run``: six months of responses in the current region schema, so the
public IKM page, the admin's report (page, CSV, PDF) and the trends have something to show.

Runs after the demo offerings and queue exist (``onboarding.demo``). Idempotent: demo
invitations carry the reference prefix ``DEMO-`` and a second run adds nothing. Rows are made in
bulk (hundreds per region; the one-by-one services would slow the first ``make run`` by tens of
seconds), then the daily sums are rebuilt from them with the same SQL sums a response adds.
Deterministic per region (the random generator is seeded with the schema name).
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import connection, transaction

from kernel.audit import audit_log
from shared.survey.elements import EDUCATION, OCCUPATION
from shared.survey.periods import period_of
from shared.survey.selectors import current_questionnaire
from tenants.mpp.models import Offering
from tenants.mpp.selectors import region_now
from tenants.survey.links import invitation_token
from tenants.survey.models import FollowUpAction, Invitation, Response, SourceKind
from tenants.survey.services import (
    daily_sums_rebuild,
    offering_agency,
    offering_name,
    survey_settings,
)

DEMO_PREFIX = "DEMO-"
MONTHS = 6
# How each demo service tends to be rated: a mean score per element (u1 … u9); the spread makes
# grades A to D appear across services and months.
PROFILES = (
    (3.8, 3.7, 3.6, 3.9, 3.7, 3.8, 3.9, 3.5, 3.6),  # A
    (3.3, 3.1, 2.8, 3.8, 3.2, 3.3, 3.4, 2.9, 3.0),  # B
    (2.9, 2.7, 2.3, 3.6, 2.9, 3.0, 3.1, 2.4, 2.6),  # C
    (2.4, 2.2, 1.9, 3.0, 2.5, 2.6, 2.7, 2.0, 2.3),  # D
)
SUGGESTIONS = (
    "Ruang tunggu perlu tambahan kursi.",
    "Petugas ramah dan cepat, terima kasih.",
    "Antrean terlalu lama pada pagi hari.",
    "Mohon informasi persyaratan dipasang lebih jelas.",
    "Toilet perlu lebih sering dibersihkan.",
    "Sangat terbantu dengan layanan daring.",
    "Parkir sempit saat jam sibuk.",
    "Sistem sering lambat, mohon diperbaiki.",
)


def _score(rng: random.Random, mean: float) -> int:
    return max(1, min(4, round(rng.gauss(mean, 0.55))))


def survey_demo_seed(*, today: dt.date | None = None) -> dict:
    """Seed the current region's demo SKM (inside its schema). Returns what it made."""
    if Invitation.objects.filter(reference__startswith=DEMO_PREFIX).exists():
        return {"responses": 0, "invitations": 0}
    rng = random.Random(getattr(connection, "schema_name", "public"))
    now = region_now()
    today = today or now.date()
    offerings = list(
        Offering.objects.active()
        .select_related("service", "service__agency", "agency", "local_agency", "booth")
        .order_by("code")[:40]
    )
    questionnaire = current_questionnaire()
    valid = dt.timedelta(days=survey_settings().invitation_valid_days)
    invitations: list[Invitation] = []
    responses: list[Response] = []
    source_id = -1_000_000  # demo sources: negative ids never clash with real rows
    for index, offering in enumerate(offerings):
        profile = PROFILES[index % len(PROFILES)]
        agency_key, agency_name = offering_agency(offering)
        for days_ago in range(MONTHS * 30, 0, -1):
            day = today - dt.timedelta(days=days_ago)
            if day.weekday() == 6 or rng.random() < 0.35:
                continue
            for _ in range(rng.randint(0, 3)):
                source_id -= 1
                finished = now - dt.timedelta(days=days_ago, minutes=rng.randint(0, 400))
                invitation = Invitation(
                    token=invitation_token(SourceKind.QUEUE_TICKET, source_id),
                    source_kind=SourceKind.QUEUE_TICKET,
                    source_id=source_id,
                    reference=f"{DEMO_PREFIX}{-source_id}",
                    offering=offering,
                    booth=offering.booth,
                    offering_name=offering_name(offering)[:200],
                    agency_key=agency_key,
                    agency_name=agency_name[:200],
                    finished_at=finished,
                    date=region_now(finished).date(),
                    expires_at=finished + valid,
                )
                invitations.append(invitation)
                if rng.random() > 0.8:
                    continue  # not every citizen answers
                drift = 0.15 * (days_ago / (MONTHS * 30))  # services improve a little
                at = finished + dt.timedelta(minutes=rng.randint(5, 120))
                invitation.answered_at = at
                responses.append(
                    Response(
                        questionnaire_id=questionnaire.pk,
                        offering=offering,
                        booth=offering.booth,
                        agency_key=agency_key,
                        agency_name=agency_name[:200],
                        date=region_now(at).date(),
                        sex=rng.choice("LP"),
                        age=rng.randint(18, 70),
                        education=rng.choice(EDUCATION.values),
                        occupation=rng.choice(OCCUPATION.values),
                        suggestion=rng.choice(SUGGESTIONS) if rng.random() < 0.12 else "",
                        **{
                            f"u{i}": _score(rng, mean - drift)
                            for i, mean in enumerate(profile, start=1)
                        },
                    )
                )
    with transaction.atomic():
        Invitation.objects.bulk_create(invitations, batch_size=500)
        Response.objects.bulk_create(responses, batch_size=500)
        daily_sums_rebuild()
        semester = period_of("semester", today)
        if not FollowUpAction.objects.filter(period=semester.key).exists():
            FollowUpAction.objects.create(
                period=semester.key,
                element="u3",
                action="Menambah satu loket pada jam sibuk (08.00–11.00) dan memantau waktu "
                "tunggu harian.",
                schedule="Triwulan berikutnya",
                responsible="Koordinator MPP",
            )
        audit_log(
            actor=None,
            action="survey.demo.seeded",
            data={"invitations": len(invitations), "responses": len(responses)},
        )
    return {"responses": len(responses), "invitations": len(invitations)}
