"""Staff work on an application: access (logged in the citizen's access log), verify, return
for revision, process, complete, reject; and the overdue sweep. Runs inside a region's schema.
Every status change records history, updates the public index and queues the citizen's notice
(sent by a worker after commit, in the citizen's language: services/notify.py)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.audit import audit_log
from kernel.errors import ConflictError, DomainError, NotFoundError
from shared.accounts.models import Membership, Role
from shared.citizens.models import (
    OPEN_STATUSES,
    AccessAction,
    ApplicationStatus,
    CitizenProfile,
    DataAccessLog,
    ResultKind,
)
from shared.citizens.notifications import staff_notify
from shared.citizens.services import access_log_record
from shared.citizens.validation import check_upload
from tenants.applications.common import (
    current_region,
    index_write,
    not_available,
    staff_role,
)
from tenants.applications.models import Application, ApplicationFile, StatusChange
from tenants.applications.selectors import application_detail, staff_visible
from tenants.applications.services.notify import status_notice_enqueue
from tenants.mpp.models import StaffAssignment
from tenants.mpp.selectors import region_today
from tenants.survey.models import SourceKind
from tenants.survey.services import survey_invitation_create

#: Opening the same application again within this window is the same visit: one log line.
ACCESS_LOG_WINDOW = timedelta(minutes=10)


# --- access --------------------------------------------------------------------------------------
def access_application_for_staff(*, user, application_id) -> Application:
    """The application if this staff member may work on it here, else NotFoundError (404):
    another region's application does not exist in this schema at all, and one outside the
    staff member's booths is reported the same way."""
    role = staff_role(user)
    if not role:
        raise NotFoundError(_("Permohonan tidak ditemukan."))
    application = application_detail(application_id)
    if not staff_visible(user).filter(pk=application.pk).exists():
        raise NotFoundError(_("Permohonan tidak ditemukan."))
    return application


def access_application_for_citizen(*, user, application_id) -> Application:
    """The signed-in citizen's own application in this region, else NotFoundError."""
    application = application_detail(application_id)
    if not user.is_authenticated:
        raise NotFoundError(_("Permohonan tidak ditemukan."))
    owner = CitizenProfile.objects.filter(pk=application.citizen_id, user=user).first()
    if owner is None:
        raise NotFoundError(_("Permohonan tidak ditemukan."))
    application.citizen = owner
    return application


def staff_data_access(
    *,
    actor,
    application: Application,
    action: str = AccessAction.APPLICATION_OPENED,
    via: str = "web",
) -> DataAccessLog | None:
    """Record in the citizen's access log that this staff member read their data (who, role,
    region, booth, when). A reload within ACCESS_LOG_WINDOW is the same visit."""
    reference = application.number or f"#{application.pk}"
    recent = DataAccessLog.objects.filter(
        profile_id=application.citizen_id,
        actor=actor,
        action=action,
        reference=reference,
        accessed_at__gte=timezone.now() - ACCESS_LOG_WINDOW,
    )
    if recent.exists():
        return None
    booth = application.booth
    return access_log_record(
        profile=CitizenProfile(pk=application.citizen_id),
        actor=actor,
        role=staff_role(actor),
        region=current_region(),
        action=action,
        booth_id=booth.pk if booth else None,
        booth_name=booth.display_name if booth else "",
        reference=reference,
        via=via,
    )


def _emit_status_events(application: Application, *, previous: str) -> None:
    from shared.webhooks.models import EventKind
    from shared.webhooks.services import event_emit

    data = {"number": application.number, "status": application.status, "previous_status": previous}
    kinds = [EventKind.APPLICATION_STATUS_CHANGED]
    if application.status == ApplicationStatus.COMPLETED:
        kinds.append(EventKind.APPLICATION_COMPLETED)
    for kind in kinds:
        event_emit(
            kind=kind,
            region=current_region(),
            subject_type="application",
            subject_id=application.pk,
            data=data,
        )


# --- transitions ---------------------------------------------------------------------------------
def _transition(
    *,
    actor,
    application: Application,
    allowed_from: tuple[str, ...],
    to: str,
    note: str = "",
    changes: dict | None = None,
) -> Application:
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status not in allowed_from:
            raise ConflictError(not_available(locked), code="invalid_transition")
        previous = locked.status
        for name, value in (changes or {}).items():
            setattr(locked, name, value)
        locked.status = to
        if to in (ApplicationStatus.COMPLETED, ApplicationStatus.REJECTED):
            locked.finished_at = timezone.now()
        locked.save()
        role = staff_role(actor)
        change = StatusChange.objects.create(
            application=locked,
            from_status=previous,
            to_status=to,
            actor=actor,
            actor_role=role,
            note=note,
        )
        audit_log(
            actor=actor,
            action=f"applications.application.{to}",
            target=locked,
            data={"number": locked.number, "from": previous},
        )
        citizen = CitizenProfile.objects.select_related("user").get(pk=locked.citizen_id)
        locked.citizen = citizen
        index_write(locked)
        _emit_status_events(locked, previous=previous)
        # The citizen is told by a worker after commit, in their own language (notify.py).
        status_notice_enqueue(change)
    return locked


def _reason(text: str, *, field: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(
            _("Tuliskan alasannya untuk warga."),
            code="reason_required",
            extra={"errors": {field: [_("Wajib diisi.")]}},
        )
    return text[:2000]


def application_verify(*, actor, application: Application) -> Application:
    return _transition(
        actor=actor,
        application=application,
        allowed_from=(ApplicationStatus.SUBMITTED,),
        to=ApplicationStatus.VERIFIED,
    )


def application_return(*, actor, application: Application, reasons: str) -> Application:
    """Back to the citizen with what to fix; they fix it and resubmit (the clock stops)."""
    reasons = _reason(reasons, field="reasons")
    return _transition(
        actor=actor,
        application=application,
        allowed_from=(ApplicationStatus.SUBMITTED, ApplicationStatus.VERIFIED),
        to=ApplicationStatus.RETURNED,
        note=reasons,
        changes={"revision_note": reasons},
    )


def application_process(*, actor, application: Application) -> Application:
    return _transition(
        actor=actor,
        application=application,
        allowed_from=(ApplicationStatus.VERIFIED,),
        to=ApplicationStatus.PROCESSING,
    )


def application_complete(
    *, actor, application: Application, result_kind: str, upload=None, note: str = ""
) -> Application:
    """Done: either an output document the citizen downloads, or ready for pickup."""
    if result_kind not in ResultKind.values:
        raise DomainError(
            _("Pilih bentuk hasil."),
            code="invalid",
            extra={"errors": {"result_kind": [_("Pilih bentuk hasil.")]}},
        )
    with transaction.atomic():
        if result_kind == ResultKind.DOCUMENT:
            if upload is None:
                raise DomainError(
                    _("Unggah dokumen hasil."),
                    code="invalid",
                    extra={"errors": {"result_file": [_("Unggah dokumen hasil.")]}},
                )
            try:
                checked = check_upload(upload)
            except ValidationError as exc:
                raise DomainError(
                    exc.messages[0], code="invalid", extra={"errors": {"result_file": exc.messages}}
                ) from exc
            stored = ApplicationFile(
                application=application,
                purpose=ApplicationFile.Purpose.RESULT,
                original_name=(upload.name or "hasil")[-200:],
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
                uploaded_by=actor,
            )
            stored.file.save(upload.name or "hasil", checked.file, save=False)
            stored.save()
        note = (note or "").strip()[:2000]
        # A finished transaction: one satisfaction-survey invitation, linked in the notification.
        survey_invitation_create(
            actor=actor,
            source_kind=SourceKind.APPLICATION,
            source_id=application.pk,
            reference=application.number or "",
            offering=application.offering,
            booth=application.booth,
        )
        return _transition(
            actor=actor,
            application=application,
            allowed_from=(ApplicationStatus.PROCESSING,),
            to=ApplicationStatus.COMPLETED,
            note=note,
            changes={"result_kind": result_kind, "result_note": note},
        )


def application_reject(*, actor, application: Application, reason: str) -> Application:
    reason = _reason(reason, field="reason")
    return _transition(
        actor=actor,
        application=application,
        allowed_from=(
            ApplicationStatus.SUBMITTED,
            ApplicationStatus.VERIFIED,
            ApplicationStatus.PROCESSING,
        ),
        to=ApplicationStatus.REJECTED,
        note=reason,
        changes={"rejection_reason": reason},
    )


# --- overdue -------------------------------------------------------------------------------------
def _booth_supervisors(booth_ids: set[int | None]) -> dict[int | None, list]:
    """Supervisors per booth: those assigned to it, plus supervisors with no assignment (they
    oversee every booth). Without any supervisor, the region's DPMPTSP admins are told."""
    region = current_region()
    supervisors = list(
        Membership.objects.filter(region=region, role=Role.SUPERVISOR, is_active=True)
        .select_related("user")
        .filter(user__is_active=True)
    )
    assigned: dict[int, set[int]] = defaultdict(set)
    for user_id, assigned_booth in StaffAssignment.objects.filter(
        user_id__in=[m.user_id for m in supervisors]
    ).values_list("user_id", "booth_id"):
        assigned[user_id].add(assigned_booth)
    admins = None
    out: dict[int | None, list] = {}
    for booth_id in booth_ids:
        users = [
            m.user
            for m in supervisors
            if not assigned[m.user_id] or (booth_id is not None and booth_id in assigned[m.user_id])
        ]
        if not users:
            if admins is None:
                admins = [
                    m.user
                    for m in Membership.objects.filter(
                        region=region, role=Role.DPMPTSP_ADMIN, is_active=True
                    ).select_related("user")
                ]
            users = admins
        out[booth_id] = users
    return out


def applications_notify_overdue(*, today: dt.date | None = None) -> int:
    """Tell each booth's supervisor which applications passed their due date. Each overdue
    application is reported once a day. Returns the number reported."""
    today = today or region_today()
    with transaction.atomic():
        overdue = list(
            Application.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status__in=OPEN_STATUSES, due_date__lt=today)
            .exclude(overdue_notified_on=today)
            .select_related("booth")
            .order_by("due_date", "id")
        )
        if not overdue:
            return 0
        by_booth: dict[int | None, list[Application]] = defaultdict(list)
        for application in overdue:
            by_booth[application.booth_id].append(application)
        recipients = _booth_supervisors(set(by_booth))
        region = current_region()
        for booth_id, applications in by_booth.items():
            booth = applications[0].booth
            lines = "\n".join(
                f"- {a.number} · {a.offering_name} · "
                + _("target %(date)s") % {"date": f"{a.due_date:%d-%m-%Y}"}
                for a in applications
            )
            subject = _("%(n)s permohonan lewat target di %(booth)s") % {
                "n": len(applications),
                "booth": booth.display_name if booth else _("MPP"),
            }
            for user in recipients.get(booth_id, []):
                staff_notify(
                    user=user,
                    subject=subject,
                    body=lines,
                    region=region,
                    reference=f"terlambat-{today.isoformat()}",
                )
        Application.objects.filter(pk__in=[a.pk for a in overdue]).update(overdue_notified_on=today)
        audit_log(
            actor=None,
            action="applications.application.overdue_notified",
            data={"count": len(overdue), "date": today.isoformat()},
        )
    return len(overdue)
