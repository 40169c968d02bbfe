"""Reads of a region's complaints, and the one place that decides what each audience sees of a
complaint: ``citizen_view`` for the complainant, ``staff_view`` for staff. Pages, API answers
and the CSV export are all built from these, so the identity rules live here only:
agency staff never get an anonymous or confidential complainant's name, phone or e-mail, nor the
linked application or ticket number that would point at them."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When

from kernel.files import extension_for
from shared.complaints.models import OPEN_COMPLAINT_STATUSES, ComplaintStatus
from tenants.complaints.models import Complaint, Message
from tenants.complaints.services import (
    Viewer,
    display_tracking_code,
    identity_for,
    reopen_deadline,
    staff_visible,
)
from tenants.mpp.models import Booth
from tenants.mpp.selectors import region_today

FILTERS = {
    "": OPEN_COMPLAINT_STATUSES,
    "baru": (ComplaintStatus.RECEIVED,),
    "proses": (ComplaintStatus.IN_PROGRESS,),
    "selesai": (ComplaintStatus.CLOSED, ComplaintStatus.NOT_COMPLAINT, ComplaintStatus.FORWARDED),
    "semua": tuple(ComplaintStatus.values),
}


def worklist(viewer: Viewer, *, status: str = "", today: dt.date | None = None) -> QuerySet:
    """Overdue first, then by the date the next step is due. Two queries whatever the size."""
    today = today or region_today()
    statuses = FILTERS.get(status, OPEN_COMPLAINT_STATUSES)
    due = Case(
        When(status=ComplaintStatus.RECEIVED, then="response_due"),
        When(status=ComplaintStatus.IN_PROGRESS, then="resolution_due"),
        default=None,
    )
    return (
        staff_visible(viewer)
        .filter(status__in=statuses)
        .select_related("booth", "booth__agency", "booth__local_agency")
        .annotate(
            next_due=due,
            overdue_rank=Case(
                When(
                    Q(status=ComplaintStatus.RECEIVED, response_due__lt=today)
                    | Q(status=ComplaintStatus.IN_PROGRESS, resolution_due__lt=today),
                    then=Value(0),
                ),
                default=Value(1),
                output_field=IntegerField(),
            ),
        )
        .order_by("overdue_rank", "next_due", "created_at", "id")
    )


def citizen_complaints_here(user) -> QuerySet[Complaint]:
    return Complaint.objects.filter(owner=user).order_by("-updated_at", "-id")


def with_thread(qs: QuerySet[Complaint]) -> QuerySet[Complaint]:
    return qs.prefetch_related(
        "events",
        Prefetch("messages", queryset=Message.objects.prefetch_related("attachments")),
        "attachments",
    )


def suggested_booth(complaint: Complaint) -> Booth | None:
    """Where the complaint most likely belongs: the linked application's booth, else the
    booth of the service it is about (or of the queue ticket's service)."""
    candidates = [
        complaint.application.booth if complaint.application_id and complaint.application else None,
        complaint.offering.booth if complaint.offering_id and complaint.offering else None,
        complaint.ticket.offering.booth if complaint.ticket_id and complaint.ticket else None,
    ]
    return next((b for b in candidates if b is not None and b.is_active), None)


def is_overdue(complaint: Complaint, today: dt.date | None = None) -> bool:
    due = complaint.due_date
    return bool(due and due < (today or region_today()))


def _ticket_label(ticket) -> str:
    return f"{ticket.prefix}-{ticket.seq:03d} ({ticket.date:%d-%m-%Y})"


def _attachment(a, *, masked: bool = False) -> dict:
    """``masked``: a file name can carry a name ("KTP_Siti.pdf"); staff who may not know who
    complained see a neutral one."""
    return {
        "id": a.pk,
        "name": f"bukti-{a.pk}{extension_for(a.content_type)}" if masked else a.original_name,
        "content_type": a.content_type,
        "size": a.size,
        "side": a.side,
        "uploaded_at": a.uploaded_at,
    }


def _events(complaint: Complaint) -> list[dict]:
    return [
        {
            "action": e.action,
            "status": e.to_status,
            "status_label": str(ComplaintStatus(e.to_status).label),
            "note": e.note,
            "at": e.created_at,
        }
        for e in complaint.events.all()
    ]


def _messages(complaint: Complaint, *, internal: bool, masked: bool = False) -> list[dict]:
    return [
        {
            "id": m.pk,
            "side": m.side,
            "internal": m.is_internal,
            "body": m.body,
            "at": m.created_at,
            "attachments": [_attachment(a, masked=masked) for a in m.attachments.all()],
        }
        for m in complaint.messages.all()
        if internal or not m.is_internal
    ]


def _common(complaint: Complaint, *, masked: bool = False, internal: bool = True) -> dict:
    """``internal``: staff also get the files attached to internal notes."""
    hidden = set() if internal else {m.pk for m in complaint.messages.all() if m.is_internal}
    return {
        "id": complaint.pk,
        "number": complaint.number,
        "kind": complaint.kind,
        "kind_label": complaint.get_kind_display(),
        "channel": complaint.channel,
        "channel_label": complaint.get_channel_display(),
        "privacy": complaint.privacy,
        "privacy_label": complaint.get_privacy_display(),
        "status": complaint.status,
        "status_label": complaint.get_status_display(),
        "subject": complaint.subject,
        "description": complaint.description,
        "about": complaint.about,
        "offering_id": complaint.offering_id,
        "received_on": complaint.received_on,
        "response_due": complaint.response_due,
        "resolution_due": complaint.resolution_due,
        "due_date": complaint.due_date,
        "booth_name": complaint.booth.display_name if complaint.booth is not None else "",
        "lapor_tracking_id": complaint.lapor_tracking_id,
        "resolution": complaint.resolution,
        "not_complaint_reason": complaint.not_complaint_reason,
        "rating": complaint.rating,
        "rating_comment": complaint.rating_comment,
        "closed_at": complaint.closed_at,
        "reopen_count": complaint.reopen_count,
        "events": _events(complaint),
        "attachments": [
            _attachment(a, masked=masked)
            for a in complaint.attachments.all()
            if a.message_id not in hidden
        ],
    }


def citizen_view(complaint: Complaint, today: dt.date | None = None) -> dict:
    """What the complainant (owner, or holder of the tracking code) sees."""
    today = today or region_today()
    deadline = reopen_deadline(complaint)
    can_reopen = (
        complaint.status in (ComplaintStatus.CLOSED, ComplaintStatus.NOT_COMPLAINT)
        and complaint.reopen_count == 0
        and complaint.rating is None
        and deadline is not None
        and today <= deadline
    )
    return {
        **_common(complaint, internal=False),
        "tracking_code": display_tracking_code(complaint.tracking_code),
        "application_id": complaint.application_id,
        "messages": _messages(complaint, internal=False),
        "can_message": complaint.is_open,
        "can_reopen": can_reopen,
        "reopen_until": deadline if can_reopen else None,
        "can_rate": complaint.status == ComplaintStatus.CLOSED and complaint.rating is None,
    }


def staff_view(complaint: Complaint, viewer: Viewer, today: dt.date | None = None) -> dict:
    """What one staff member sees. Identity and the links that would reveal it are filled in
    only when ``viewer.sees_identity`` allows."""
    identity = identity_for(complaint, viewer)
    linked = not identity.hidden
    suggestion = suggested_booth(complaint) if viewer.can_triage else None
    return {
        **_common(complaint, masked=identity.hidden),
        "complainant": {
            "name": identity.name,
            "phone": identity.phone,
            "email": identity.email,
            "hidden": identity.hidden,
            "label": identity.label,
        },
        "has_account": bool(complaint.owner_id) and linked,
        "application_id": complaint.application_id if linked else None,
        "application_number": (
            (complaint.application.number or "")
            if linked and complaint.application is not None
            else ""
        ),
        "ticket_number": (
            _ticket_label(complaint.ticket) if linked and complaint.ticket is not None else ""
        ),
        "booth_id": complaint.booth_id,
        "complexity": complaint.complexity,
        "complexity_label": complaint.get_complexity_display() if complaint.complexity else "",
        "suggested_booth_id": suggestion.pk if suggestion else None,
        "suggested_booth_name": suggestion.display_name if suggestion else "",
        "overdue": is_overdue(complaint, today),
        "messages": _messages(complaint, internal=True, masked=identity.hidden),
        "can_triage": viewer.can_triage and complaint.is_open,
        "can_answer": complaint.is_open and viewer.may_handle(complaint),
    }


EXPORT_COLUMNS = (
    "number",
    "received_on",
    "kind_label",
    "channel_label",
    "privacy_label",
    "status_label",
    "subject",
    "about",
    "booth_name",
    "complexity_label",
    "due_date",
    "closed_at",
    "lapor_tracking_id",
    "rating",
    "complainant_name",
    "complainant_phone",
    "complainant_email",
)


def export_rows(viewer: Viewer, *, status: str = "semua"):
    """Rows of the staff export, identity filled in by the same rule as the pages."""
    for complaint in worklist(viewer, status=status):
        identity = identity_for(complaint, viewer)
        yield [
            complaint.number,
            complaint.received_on.isoformat(),
            complaint.get_kind_display(),
            complaint.get_channel_display(),
            complaint.get_privacy_display(),
            complaint.get_status_display(),
            complaint.subject,
            complaint.about,
            complaint.booth.display_name if complaint.booth_id else "",
            complaint.get_complexity_display() if complaint.complexity else "",
            complaint.due_date.isoformat() if complaint.due_date else "",
            complaint.closed_at.isoformat() if complaint.closed_at else "",
            complaint.lapor_tracking_id,
            complaint.rating or "",
            identity.name if not identity.hidden else identity.label,
            identity.phone,
            identity.email,
        ]
