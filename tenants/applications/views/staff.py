"""Staff pages on a region's site: the worklist, an application with its actions, and the
documents it carries (every read of the citizen's data goes into their access log)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from kernel.errors import DomainError
from shared.access.pages import RegionStaffRequiredMixin
from shared.citizens.models import (
    OPEN_STATUSES,
    AccessAction,
    ApplicationStatus,
    CitizenProfile,
    ResultKind,
)
from tenants.applications import selectors, services
from tenants.applications.models import ApplicationFile
from tenants.applications.views.files import serve_private
from tenants.mpp.access import booth_scope
from tenants.mpp.models import Booth
from tenants.mpp.selectors import region_today


class StaffApplicationMixin(RegionStaffRequiredMixin):
    def staff_application(self, application_id):
        return services.access_application_for_staff(
            user=self.request.user, application_id=application_id
        )


class WorklistView(RegionStaffRequiredMixin, View):
    """Open applications of the staff member's booths, overdue first."""

    def get(self, request):
        booths = booth_scope(request.user).filter(
            Booth.objects.filter(is_active=True).select_related("agency", "local_agency"), "pk"
        )
        try:
            booth_id = int(request.GET.get("gerai") or 0) or None
        except ValueError:
            booth_id = None
        status = request.GET.get("status") or None
        if status not in (*OPEN_STATUSES, ApplicationStatus.RETURNED, None):
            status = None
        today = region_today()
        page = Paginator(
            selectors.worklist(user=request.user, booth_id=booth_id, status=status, today=today),
            50,
        ).get_page(request.GET.get("hal"))
        return render(
            request,
            "applications/staff/worklist.html",
            {
                "page": page,
                "booths": list(booths),
                "booth_id": booth_id,
                "status": status,
                "statuses": [
                    (s, ApplicationStatus(s).label)
                    for s in (*OPEN_STATUSES, ApplicationStatus.RETURNED)
                ],
                "today": today,
            },
        )


class StaffApplicationView(StaffApplicationMixin, View):
    """One application for staff. Opening it is recorded in the citizen's access log."""

    def get(self, request, application_id: int):
        application = self.staff_application(application_id)
        services.staff_data_access(actor=request.user, application=application)
        return render(
            request,
            "applications/staff/detail.html",
            {
                "application": application,
                "citizen": CitizenProfile.objects.filter(pk=application.citizen_id).first(),
                "history": list(application.history.all()),
                "requirements": list(application.requirements.all()),
                "files": list(application.files.all()),
                "answers": _answers(application),
                "overdue": selectors.is_overdue(application),
                "result_kinds": ResultKind.choices,
                "can": _allowed_actions(application.status),
            },
        )


def _answers(application) -> list[dict]:
    from tenants.applications.models import FormField

    fields = FormField.objects.filter(offering_id=application.offering_id).order_by("position")
    out = []
    for field in fields:
        if field.key not in application.data:
            continue
        value = application.data[field.key]
        out.append(
            {
                "label": field.label,
                "value": value if not isinstance(value, dict) else "",
                "file_id": value.get("file_id") if isinstance(value, dict) else None,
            }
        )
    return out


def _allowed_actions(status: str) -> set[str]:
    actions: dict[str, set[str]] = {
        ApplicationStatus.SUBMITTED: {"verify", "return", "reject"},
        ApplicationStatus.VERIFIED: {"process", "return", "reject"},
        ApplicationStatus.PROCESSING: {"complete", "reject"},
    }
    return actions.get(status, set())


class StaffActionView(StaffApplicationMixin, View):
    """verify | return | process | complete | reject, by POST from the detail page."""

    def post(self, request, application_id: int, action: str):
        application = self.staff_application(application_id)
        actor = request.user
        try:
            if action == "verify":
                services.application_verify(actor=actor, application=application)
                done = _("Permohonan diverifikasi.")
            elif action == "return":
                services.application_return(
                    actor=actor, application=application, reasons=request.POST.get("reasons", "")
                )
                done = _("Permohonan dikembalikan ke warga untuk diperbaiki.")
            elif action == "process":
                services.application_process(actor=actor, application=application)
                done = _("Permohonan diproses.")
            elif action == "complete":
                services.application_complete(
                    actor=actor,
                    application=application,
                    result_kind=request.POST.get("result_kind", ""),
                    upload=request.FILES.get("result_file"),
                    note=request.POST.get("note", ""),
                )
                done = _("Permohonan selesai. Warga sudah diberi tahu.")
            elif action == "reject":
                services.application_reject(
                    actor=actor, application=application, reason=request.POST.get("reason", "")
                )
                done = _("Permohonan ditolak. Warga sudah diberi tahu.")
            else:
                raise Http404(_("Aksi tidak dikenal."))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, done)
        return redirect("applications:staff_detail", application_id=application.pk)


class StaffDocumentView(StaffApplicationMixin, View):
    """A vault document the citizen attached to this application (and only such a one)."""

    def get(self, request, application_id: int, requirement_id: int):
        application = self.staff_application(application_id)
        row = application.requirements.filter(pk=requirement_id, document__isnull=False).first()
        if row is None:
            raise Http404(_("Tidak ditemukan."))
        document = row.document
        services.staff_data_access(
            actor=request.user, application=application, action=AccessAction.DOCUMENT_VIEWED
        )
        return serve_private(document.file, document.content_type, f"dokumen-{document.pk}")


class StaffFileView(StaffApplicationMixin, View):
    def get(self, request, application_id: int, file_id: int):
        application = self.staff_application(application_id)
        stored = ApplicationFile.objects.filter(application=application, pk=file_id).first()
        if stored is None:
            raise Http404(_("Tidak ditemukan."))
        if stored.purpose == ApplicationFile.Purpose.FIELD:
            services.staff_data_access(
                actor=request.user, application=application, action=AccessAction.DOCUMENT_VIEWED
            )
        return serve_private(stored.file, stored.content_type, f"berkas-{stored.pk}")
