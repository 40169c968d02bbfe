"""The daily sweep of one region (dispatched to every live region by Celery beat): a reminder
to whoever owes the next step on the working day before its deadline, and an escalation to the
DPMPTSP admins once a deadline has passed. Each is sent once per deadline."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from kernel.audit import audit_log
from shared.complaints.models import OPEN_COMPLAINT_STATUSES, ComplaintStatus
from tenants.complaints.models import Complaint, Event
from tenants.complaints.services.common import admins, notify_staff, responsible_staff
from tenants.mpp.selectors import add_region_working_days, region_today


def complaints_sweep(*, today: dt.date | None = None) -> dict[str, int]:
    """Remind and escalate. Returns how many complaints got each."""
    today = today or region_today()
    remind_until = add_region_working_days(today, 1)
    reminded = escalated = 0
    with transaction.atomic():
        rows = list(
            Complaint.objects.select_for_update(skip_locked=True)
            .filter(status__in=OPEN_COMPLAINT_STATUSES)
            .order_by("response_due", "id")
        )
        admin_users = None
        for complaint in rows:
            due = complaint.due_date
            if due is None:
                continue
            if due < today:
                if complaint.escalated_for == due:
                    continue
                if admin_users is None:
                    admin_users = admins()
                stage = (
                    _("tanggapan pertama")
                    if complaint.status == ComplaintStatus.RECEIVED
                    else _("tindak lanjut")
                )
                notify_staff(
                    [*admin_users, *responsible_staff(complaint)],
                    complaint=complaint,
                    subject=_("Eskalasi: pengaduan %(number)s melewati batas %(stage)s")
                    % {"number": complaint.number, "stage": stage},
                    body=_("Batas %(date)s sudah lewat.") % {"date": f"{due:%d-%m-%Y}"},
                )
                Event.objects.create(
                    complaint=complaint,
                    action="escalated",
                    from_status=complaint.status,
                    to_status=complaint.status,
                    note=_("Melewati batas %(date)s; diteruskan ke admin DPMPTSP.")
                    % {"date": f"{due:%d-%m-%Y}"},
                )
                Complaint.objects.filter(pk=complaint.pk).update(escalated_for=due)
                escalated += 1
            elif due <= remind_until and complaint.reminded_for != due:
                notify_staff(
                    responsible_staff(complaint),
                    complaint=complaint,
                    subject=_("Pengingat: pengaduan %(number)s jatuh tempo %(date)s")
                    % {"number": complaint.number, "date": f"{due:%d-%m-%Y}"},
                )
                Complaint.objects.filter(pk=complaint.pk).update(reminded_for=due)
                reminded += 1
        if reminded or escalated:
            audit_log(
                actor=None,
                action="complaints.sweep",
                data={"date": today.isoformat(), "reminded": reminded, "escalated": escalated},
            )
    return {"reminded": reminded, "escalated": escalated}
