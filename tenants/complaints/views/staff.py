"""Staff pages under ``/petugas/pengaduan/``: the complaint officer's triage queue (and the booth
staff's list of what was routed to them), one complaint with its actions, filing at the counter
on behalf of a walk-in, and the CSV export. Complaint staff of this region only: others get 404,
anonymous visitors the sign-in page."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from kernel.errors import DomainError, NotFoundError, apply_domain_error
from shared.access.pages import RegionStaffRequiredMixin
from tenants.complaints import selectors, services
from tenants.complaints.forms import CounterComplaintForm, RouteForm
from tenants.complaints.http import export_response, offering_choices, serve_attachment
from tenants.complaints.models import Channel, Complaint
from tenants.complaints.services.common import COMPLAINT_STAFF_ROLES
from tenants.complaints.views.citizen import _filing_from
from tenants.mpp.models import Booth
from tenants.mpp.selectors import region_today


class ComplaintStaffMixin(RegionStaffRequiredMixin):
    allowed_roles = COMPLAINT_STAFF_ROLES

    def viewer(self):
        viewer = services.viewer_for(self.request.user)
        if viewer is None:
            raise Http404(_("Tidak ditemukan."))
        return viewer

    def staff_complaint(self, complaint_id):
        try:
            return services.access_complaint_for_staff(
                user=self.request.user, complaint_id=complaint_id
            )
        except NotFoundError as exc:
            raise Http404(exc.message) from exc


def _booth_choices() -> list[tuple[str, str]]:
    return [
        (str(b.pk), f"{b.number} · {b.display_name}")
        for b in Booth.objects.filter(is_active=True).select_related("agency", "local_agency")
    ]


class WorklistView(ComplaintStaffMixin, View):
    def get(self, request):
        viewer = self.viewer()
        status = request.GET.get("status", "")
        if status not in selectors.FILTERS:
            status = ""
        today = region_today()
        page = Paginator(selectors.worklist(viewer, status=status, today=today), 50).get_page(
            request.GET.get("hal")
        )
        return render(
            request,
            "complaints/staff/worklist.html",
            {
                "page": page,
                "status": status,
                "today": today,
                "viewer": viewer,
                "filters": [
                    ("", _("Perlu tindakan")),
                    ("baru", _("Menunggu verifikasi")),
                    ("proses", _("Ditindaklanjuti")),
                    ("selesai", _("Selesai")),
                    ("semua", _("Semua")),
                ],
            },
        )


class StaffDetailView(ComplaintStaffMixin, View):
    def get(self, request, complaint_id: int):
        complaint, viewer = self.staff_complaint(complaint_id)
        return self.render_detail(request, complaint, viewer)

    @staticmethod
    def render_detail(request, complaint, viewer, *, route_form=None, status=200, error=None):
        complaint = (
            selectors.with_thread(Complaint.objects.filter(pk=complaint.pk))
            .select_related(
                "booth",
                "booth__agency",
                "booth__local_agency",
                "application",
                "ticket",
                "offering",
                "offering__booth",
                "application__booth",
                "ticket__offering__booth",
            )
            .get()
        )
        view = selectors.staff_view(complaint, viewer)
        services.complaint_read_log(viewer=viewer, complaint=complaint)
        if route_form is None:
            route_form = RouteForm(
                initial={
                    "booth": view["booth_id"] or view["suggested_booth_id"] or "",
                    "complexity": complaint.complexity or "simple",
                },
                booths=_booth_choices(),
            )
        return render(
            request,
            "complaints/staff/detail.html",
            {"c": view, "complaint": complaint, "route_form": route_form, "error": error},
            status=status,
        )


class StaffActionView(ComplaintStaffMixin, View):
    """route | not_complaint | forward | close | message | note, by POST from the detail."""

    def post(self, request, complaint_id: int, action: str):
        complaint, viewer = self.staff_complaint(complaint_id)
        actor = request.user
        route_form = None
        try:
            if action == "route":
                route_form = RouteForm(request.POST, booths=_booth_choices())
                if not route_form.is_valid():
                    raise DomainError(_("Pilih gerai dan kompleksitas."))
                services.complaint_route(
                    actor=actor,
                    complaint=complaint,
                    booth=route_form.cleaned_data["booth"],
                    complexity=route_form.cleaned_data["complexity"],
                    note=route_form.cleaned_data.get("note", ""),
                )
                done = _("Pengaduan diverifikasi dan diteruskan ke gerai.")
            elif action == "not_complaint":
                services.complaint_mark_not_complaint(
                    actor=actor, complaint=complaint, reason=request.POST.get("reason", "")
                )
                done = _("Ditandai bukan pengaduan. Pelapor sudah diberi tahu.")
            elif action == "forward":
                updated = services.complaint_forward_to_lapor(
                    actor=actor, complaint=complaint, note=request.POST.get("note", "")
                )
                done = _("Diteruskan ke SP4N-LAPOR! dengan nomor tracking %(id)s.") % {
                    "id": updated.lapor_tracking_id
                }
            elif action == "close":
                services.complaint_close(
                    actor=actor, complaint=complaint, answer=request.POST.get("answer", "")
                )
                done = _("Jawaban terkirim dan pengaduan selesai.")
            elif action in ("message", "note"):
                services.complaint_message_staff(
                    actor=actor,
                    complaint=complaint,
                    body=request.POST.get("body", ""),
                    internal=action == "note",
                    uploads=request.FILES.getlist("attachments"),
                )
                done = _("Catatan tersimpan.") if action == "note" else _("Pesan terkirim.")
            else:
                raise Http404(_("Aksi tidak dikenal."))
        except NotFoundError as exc:
            raise Http404(exc.message) from exc
        except DomainError as exc:
            if route_form is not None:
                apply_domain_error(route_form, exc)
            return StaffDetailView.render_detail(
                request,
                complaint,
                viewer,
                route_form=route_form,
                status=exc.status_code,
                error={"action": action, "message": exc.message, "posted": request.POST},
            )
        messages.success(request, done)
        return redirect("complaints:staff_detail", complaint_id=complaint.pk)


class StaffAttachmentView(ComplaintStaffMixin, View):
    def get(self, request, complaint_id: int, attachment_id: int):
        complaint, viewer = self.staff_complaint(complaint_id)
        return serve_attachment(complaint, attachment_id, viewer=viewer)


class CounterFileView(ComplaintStaffMixin, View):
    """A walk-in complains at the counter; the staff member types it for them and prints the
    receipt with the tracking code."""

    template_name = "complaints/staff/counter.html"

    def get(self, request):
        self.viewer()
        return render(
            request,
            self.template_name,
            {"form": CounterComplaintForm(offerings=offering_choices())},
        )

    def post(self, request):
        self.viewer()
        form = CounterComplaintForm(request.POST, request.FILES, offerings=offering_choices())
        if form.is_valid():
            try:
                complaint = services.complaint_file(
                    actor=request.user, channel=Channel.COUNTER, filing=_filing_from(form)
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                return render(
                    request,
                    "complaints/receipt.html",
                    {
                        "complaint": complaint,
                        "code": services.display_tracking_code(complaint.tracking_code),
                        "track_url": request.build_absolute_uri("/pengaduan/lacak/"),
                        "again_url": request.path,
                        "staff": True,
                    },
                )
        return render(request, self.template_name, {"form": form}, status=400)


class ExportView(ComplaintStaffMixin, View):
    """CSV of the complaints this staff member may see, identity by the same rule as pages."""

    def get(self, request):
        viewer = self.viewer()
        status = request.GET.get("status", "semua")
        if status not in selectors.FILTERS:
            status = "semua"
        return export_response(viewer, status=status)
