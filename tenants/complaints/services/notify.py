"""Telling people about a complaint: the complainant of each step (received, routed, not a
complaint, forwarded, closed, reopened) and of each staff message, and the staff concerned of a
new, routed or reopened complaint and of the complainant's messages.

The step enqueues a region task in its own transaction (kernel.tasks.region_task_send, through
the transactional outbox): nothing leaves inside the web request, nothing is sent for a step
that rolled back, and a broker outage loses nothing. The worker renders the templates
(shared.messaging.templates) in the complainant's message language when they filed from an
account (Bahasa Indonesia for walk-ins and kiosk filings, who chose none, and for staff, who
have no stored message language), and tells each step or message once (SentNotice) however
often the task runs. The daily reminders and escalations (sweep.py) already run in a worker."""

from __future__ import annotations

from django.db import transaction
from django.utils import translation

from kernel.tasks import region_task_send
from shared.accounts.models import User
from shared.messaging.models import SentNotice
from shared.messaging.services import notice_claim
from shared.messaging.templates import INDONESIAN, language_of, message_render
from tenants.complaints.models import Complaint, Event, Message
from tenants.complaints.services.common import (
    booth_staff,
    current_region,
    notify_complainant,
    notify_staff,
    officers,
    responsible_staff,
)
from tenants.complaints.tenancy import connection

#: Event actions the complainant is told of (the template's name).
COMPLAINANT_TEMPLATES = {
    "filed": "complaint_received",
    "routed": "complaint_routed",
    "rerouted": "complaint_routed",
    "not_complaint": "complaint_not_complaint",
    "forwarded": "complaint_forwarded",
    "closed": "complaint_closed",
    "reopened": "complaint_reopened",
}


def event_notice_enqueue(event: Event) -> None:
    """Queue the notices of ``event``; call it inside the step's transaction."""
    from tenants.complaints.tasks import event_notify

    region_task_send(event_notify, schema_name=connection.schema_name, event_id=event.pk)


def message_notice_enqueue(message: Message) -> None:
    """Queue the notice of ``message`` (to the complainant, or to the staff concerned)."""
    from tenants.complaints.tasks import message_notify

    region_task_send(message_notify, schema_name=connection.schema_name, message_id=message.pk)


def _date(value) -> str:
    return f"{value:%d-%m-%Y}" if value else "-"


def _complainant_values(event: Event, complaint: Complaint) -> dict:
    """The values of the complainant's template. The complaint is read as it is when the worker
    runs (seconds later): a re-route in between tells the booth that now has it."""
    values: dict = {"number": complaint.number}
    action = event.action
    if action == "filed":
        from tenants.complaints.services.filing import display_tracking_code

        values |= {
            "mpp": current_region().name,
            "due": _date(complaint.response_due),
            "code": display_tracking_code(complaint.tracking_code),
        }
    elif action in ("routed", "rerouted"):
        booth = complaint.booth
        values |= {
            "booth": booth.display_name if booth else "MPP",
            "due": _date(complaint.resolution_due),
        }
    elif action == "not_complaint":
        values["reason"] = event.note  # the officer's own words, as written
    elif action == "forwarded":
        values["tracking_id"] = complaint.lapor_tracking_id
    elif action == "closed":
        # The answer as posted with the closing (a reopening later clears the resolution).
        answer = (
            complaint.messages.filter(
                side=Message.Side.STAFF, is_internal=False, created_at__lte=event.created_at
            )
            .order_by("-created_at", "-pk")
            .values_list("body", flat=True)
            .first()
        )
        values["answer"] = (answer or complaint.resolution)[:600]
    elif action == "reopened":
        values["due"] = _date(complaint.response_due)
    return values


def _staff_notice(event: Event, complaint: Complaint) -> tuple[list, str, dict] | None:
    """Who of the staff is told of ``event``, with which template and values."""
    values = {"number": complaint.number}
    if event.action == "filed":
        return officers(), "complaint_new_staff", {**values, "due": _date(complaint.response_due)}
    if event.action in ("routed", "rerouted"):
        return (
            booth_staff(complaint.booth_id),
            "complaint_routed_staff",
            {**values, "due": _date(complaint.resolution_due)},
        )
    if event.action == "reopened":
        return officers(), "complaint_reopened_staff", values
    return None


def _complainant_language(complaint: Complaint) -> str:
    if not complaint.owner_id:
        return INDONESIAN
    return language_of(User.objects.filter(pk=complaint.owner_id).first())


def _tell_complainant(complaint: Complaint, name: str, values: dict) -> int:
    subject, body = message_render(name, language=_complainant_language(complaint), values=values)
    return notify_complainant(complaint, subject=subject, body=body)


def _tell_staff(users, complaint: Complaint, name: str, values: dict) -> int:
    subject, body = message_render(name, language=INDONESIAN, values=values)
    # The first line names the kind (a gettext label): Bahasa Indonesia too, not whatever
    # language the worker's thread last served.
    with translation.override(INDONESIAN):
        return notify_staff(users, complaint=complaint, subject=subject, body=body)


def complaint_event_notify(*, event_id: int) -> int:
    """Tell the complainant and the staff concerned about one step of a complaint, once. Runs
    in the complaint's region schema; returns messages recorded."""
    event = (
        Event.objects.select_related("complaint", "complaint__booth").filter(pk=event_id).first()
    )
    if event is None:
        return 0
    complaint = event.complaint
    name = COMPLAINANT_TEMPLATES.get(event.action)
    staff = _staff_notice(event, complaint)
    if name is None and staff is None:
        return 0
    # The claim and the recorded messages stand or fall together: a failed run can be retried.
    with transaction.atomic():
        if not notice_claim(
            region=current_region(), kind=SentNotice.Kind.COMPLAINT_EVENT, subject_id=event.pk
        ):
            return 0
        sent = 0
        if name is not None:
            sent += _tell_complainant(complaint, name, _complainant_values(event, complaint))
        if staff is not None:
            users, staff_template, values = staff
            sent += _tell_staff(users, complaint, staff_template, values)
    return sent


def complaint_message_notify(*, message_id: int) -> int:
    """Tell the complainant of a staff message, or the staff concerned of the complainant's,
    once. Internal notes tell nobody. Returns messages recorded."""
    message = (
        Message.objects.select_related("complaint", "complaint__booth")
        .filter(pk=message_id)
        .first()
    )
    if message is None or message.is_internal:
        return 0
    complaint = message.complaint
    with transaction.atomic():
        if not notice_claim(
            region=current_region(), kind=SentNotice.Kind.COMPLAINT_MESSAGE, subject_id=message.pk
        ):
            return 0
        if message.side == Message.Side.STAFF:
            return _tell_complainant(
                complaint,
                "complaint_message",
                {"number": complaint.number, "message": message.body[:600]},
            )
        return _tell_staff(
            responsible_staff(complaint),
            complaint,
            "complaint_message_staff",
            {"number": complaint.number},
        )
