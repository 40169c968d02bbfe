"""Telling a citizen that their application's status changed.

The change enqueues a region task in its own transaction (kernel.tasks.region_task_send, through
the transactional outbox): nothing leaves inside the web request, nothing is sent for a change
that rolled back, and a broker outage loses nothing. The worker renders the template in the
citizen's message language (shared.messaging.templates), never the language of the staff member
who made the change, and tells each change once (SentNotice) however often the task runs."""

from __future__ import annotations

from django.db import transaction

from kernel.tasks import region_task_send
from kernel.tenancy import connection
from shared.citizens.models import ApplicationStatus, CitizenProfile, ResultKind
from shared.citizens.notifications import citizen_notify
from shared.messaging.models import SentNotice
from shared.messaging.services import notice_claim
from shared.messaging.templates import language_of, message_render
from tenants.applications.common import application_url, current_region
from tenants.applications.models import Application, StatusChange
from tenants.survey.links import survey_url
from tenants.survey.models import Invitation, SourceKind


def status_notice_enqueue(change: StatusChange) -> None:
    """Queue the citizen's notice of ``change``; call it inside the change's transaction."""
    from tenants.applications.tasks import status_notify

    region_task_send(status_notify, schema_name=connection.schema_name, status_change_id=change.pk)


def _template(change: StatusChange, application: Application) -> tuple[str, dict] | None:
    """The template's name and values for ``change``, or None for a change nobody is told of."""
    values: dict = {"number": application.number, "service": application.offering_name}
    to = change.to_status
    if to == ApplicationStatus.SUBMITTED:
        values["mpp"] = current_region().name
        if application.due_date is None:
            return "application_submitted_no_due_date", values
        return "application_submitted", {
            **values,
            "due_date": application.due_date.strftime("%d-%m-%Y"),
        }
    if to in (ApplicationStatus.RETURNED, ApplicationStatus.REJECTED):
        return f"application_{to}", {**values, "reason": change.note}
    if to in (ApplicationStatus.VERIFIED, ApplicationStatus.PROCESSING):
        return f"application_{to}", values
    if to == ApplicationStatus.COMPLETED:
        # Created in the completion's transaction, so it is there when this runs.
        invitation = Invitation.objects.get(
            source_kind=SourceKind.APPLICATION, source_id=application.pk
        )
        values["survey_url"] = survey_url(invitation.token)
        if application.result_kind == ResultKind.DOCUMENT:
            return "application_completed_document", values
        booth = application.booth
        return "application_completed_pickup", {
            **values,
            "booth": booth.display_name if booth else "MPP",
        }
    return None


def application_status_notify(*, status_change_id: int) -> int:
    """Tell the citizen about one status change through their chosen channel, in their
    language, once. Runs in the application's region schema; returns messages recorded."""
    change = (
        StatusChange.objects.select_related("application", "application__booth")
        .filter(pk=status_change_id)
        .first()
    )
    if change is None:
        return 0
    application = change.application
    chosen = _template(change, application)
    citizen = (
        CitizenProfile.objects.select_related("user").filter(pk=application.citizen_id).first()
    )
    if chosen is None or citizen is None:
        return 0
    name, values = chosen
    region = current_region()
    # The claim and the recorded messages stand or fall together: a failed run can be retried.
    with transaction.atomic():
        if not notice_claim(
            region=region, kind=SentNotice.Kind.APPLICATION_STATUS, subject_id=change.pk
        ):
            return 0
        subject, body = message_render(name, language=language_of(citizen.user), values=values)
        if change.to_status == ApplicationStatus.COMPLETED and change.note:
            body += f"\n{change.note}"  # the officer's own words, as written
        sent = citizen_notify(
            profile=citizen,
            subject=subject,
            body=f"{body}\n{application_url(application)}",
            region=region,
            reference=application.number or "",
        )
    return len(sent)
