"""The demo SKM of ``make run``: months of responses per service, grades that differ, a report
that renders; a second run adds nothing."""

from __future__ import annotations

import time

from django.utils import timezone

from shared.survey.periods import period_of
from tenants.survey.demo import MONTHS, survey_demo_seed
from tenants.survey.models import DailySum, Invitation, Response
from tenants.survey.selectors import public_results, skm_report
from tests.tenants.queue.factories import queue_offering


def test_demo_responses_for_the_last_months(in_a):
    offerings = [queue_offering(prefix=p, name=f"Layanan Demo {p}") for p in "ABCD"]
    started = time.monotonic()
    made = survey_demo_seed()
    took = time.monotonic() - started
    print(f"survey demo: {made} in {took:.1f} s")
    assert made["responses"] > 100
    assert Response.objects.count() == made["responses"]
    assert Invitation.objects.count() == made["invitations"]
    months = {d.strftime("%Y-%m") for d in Response.objects.values_list("date", flat=True)}
    assert len(months) >= MONTHS
    total, per_offering = public_results()
    grades = {per_offering[o.pk].grade.letter for o in offerings}
    assert len(grades) >= 3  # the services are rated differently
    assert total.respondents == sum(DailySum.objects.values_list("respondents", flat=True))
    report = skm_report(period_of("semester", timezone.localdate()))
    assert report.follow_up
    assert survey_demo_seed() == {"responses": 0, "invitations": 0}
    assert Response.objects.count() == made["responses"]
