"""The alert to staff the day before an application's due date (once per application)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction

from kernel.audit import audit_log
from shared.citizens.models import OPEN_STATUSES
from shared.citizens.notifications import staff_notify
from shared.messaging.models import SentNotice
from shared.messaging.services import notice_claim
from shared.messaging.templates import language_of, message_render
from tenants.applications.common import current_region
from tenants.applications.models import Application
from tenants.applications.services.workflow import _booth_supervisors
from tenants.mpp.selectors import region_today


def applications_notify_due_tomorrow(*, today: dt.date | None = None) -> int:
    """Tell each booth's supervisors (the region's DPMPTSP admins when it has none) which open
    applications are due tomorrow, each application once: its claim is taken in the same
    transaction as the messages, so a rerun or a racing worker sends nothing twice. Runs in a
    region schema; returns the number of applications reported now."""
    tomorrow = (today or region_today()) + dt.timedelta(days=1)
    region = current_region()
    with transaction.atomic():
        due = list(
            Application.objects.filter(status__in=OPEN_STATUSES, due_date=tomorrow)
            .select_related("booth")
            .order_by("id")
        )
        fresh = [
            a
            for a in due
            if notice_claim(
                region=region, kind=SentNotice.Kind.APPLICATION_DUE_TOMORROW, subject_id=a.pk
            )
        ]
        if not fresh:
            return 0
        by_booth: dict[int | None, list[Application]] = defaultdict(list)
        for application in fresh:
            by_booth[application.booth_id].append(application)
        recipients = _booth_supervisors(set(by_booth))
        for booth_id, applications in by_booth.items():
            booth = applications[0].booth
            values = {
                "count": len(applications),
                "booth": booth.display_name if booth else "MPP",
                "date": f"{tomorrow:%d-%m-%Y}",
                "lines": "\n".join(f"- {a.number} · {a.offering_name}" for a in applications),
            }
            for user in recipients.get(booth_id, []):
                subject, body = message_render(
                    "application_due_tomorrow", language=language_of(user), values=values
                )
                staff_notify(
                    user=user,
                    subject=subject,
                    body=body,
                    region=region,
                    reference=f"jatuh-tempo-{tomorrow.isoformat()}",
                )
        audit_log(
            actor=None,
            action="applications.application.due_tomorrow_notified",
            data={"count": len(fresh), "due_date": tomorrow.isoformat()},
        )
    return len(fresh)
