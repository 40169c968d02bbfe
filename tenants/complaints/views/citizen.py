"""The complainant's pages on a region's site: the complaint desk, filing (signed in), one
complaint with its history and messages, following a complaint by tracking code (no account),
and the kiosk form. Thin: every rule is a service's."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from kernel.errors import DomainError, NotFoundError, apply_domain_error
from shared.access.pages import CitizenRequiredMixin, PublicPageMixin
from shared.citizens.formstash import stash_pop
from shared.citizens.models import CitizenProfile
from tenants.applications.models import Application
from tenants.complaints import selectors, services
from tenants.complaints.forms import (
    CitizenComplaintForm,
    MessageForm,
    TrackForm,
    WalkInComplaintForm,
)
from tenants.complaints.http import client_address, offering_choices, serve_attachment
from tenants.complaints.models import Channel, Complaint
from tenants.queue.access import KIOSK

TRACKED_SESSION_KEY = "complaints_tracked"


class DeskView(PublicPageMixin, View):
    """``/pengaduan/``: how to complain here, and the signed-in citizen's complaints here."""

    def get(self, request):
        mine = []
        if request.user.is_authenticated:
            mine = list(selectors.citizen_complaints_here(request.user)[:50])
        is_staff = services.viewer_for(request.user) is not None
        return render(request, "complaints/desk.html", {"mine": mine, "is_staff": is_staff})


def _filing_from(form, **extra) -> services.Filing:
    data = form.cleaned_data if form.is_bound and hasattr(form, "cleaned_data") else {}
    return services.Filing(
        kind=data.get("kind", ""),
        subject=data.get("subject", ""),
        description=data.get("description", ""),
        privacy=data.get("privacy", ""),
        offering_id=data.get("offering") or None,
        application_id=data.get("application") or None,
        application_number=data.get("application_number", ""),
        booking_code=data.get("booking_code", ""),
        ticket_number=data.get("ticket_number", ""),
        name=data.get("name", ""),
        phone=data.get("phone", ""),
        email=data.get("email", ""),
        uploads=data.get("attachments") or [],
        **extra,
    )


def _own_applications(user) -> list[tuple[str, str]]:
    profile_ids = CitizenProfile.objects.filter(user=user).values("pk")
    return [
        (str(pk), f"{number} · {name}")
        for pk, number, name in Application.objects.filter(
            citizen_id__in=profile_ids, number__isnull=False
        )
        .order_by("-submitted_at")
        .values_list("pk", "number", "offering_name")[:50]
    ]


class FileView(CitizenRequiredMixin, View):
    """``/pengaduan/baru/``: a signed-in citizen files a complaint (``?permohonan=<id>`` links
    one of their applications, ``?layanan=<id>`` a service)."""

    template_name = "complaints/file.html"

    def _form(self, data=None, files=None, initial=None):
        return CitizenComplaintForm(
            data,
            files,
            initial=initial,
            offerings=offering_choices(),
            applications=_own_applications(self.request.user),
        )

    def get(self, request):
        restored = stash_pop(request)
        if restored is not None:
            return self._save(self._form(restored))
        initial = {
            "application": request.GET.get("permohonan", ""),
            "offering": request.GET.get("layanan", ""),
        }
        return render(request, self.template_name, {"form": self._form(initial=initial)})

    def post(self, request):
        return self._save(self._form(request.POST, request.FILES))

    def _save(self, form):
        if form.is_valid():
            try:
                complaint = services.complaint_file(
                    actor=self.request.user,
                    channel=Channel.ONLINE,
                    filing=_filing_from(form),
                    owner=self.request.user,
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(
                    self.request,
                    _(
                        "Pengaduan terkirim dengan nomor %(number)s. Kami kabari setiap ada "
                        "perkembangan."
                    )
                    % {"number": complaint.number},
                )
                return redirect("complaints:detail", complaint_id=complaint.pk)
        return render(self.request, self.template_name, {"form": form}, status=400)


class ThreadActionsMixin:
    """message | reopen | rate, by POST, for whoever holds the complaint (owner or code)."""

    def act(self, request, complaint: Complaint) -> DomainError | None:
        actor = request.user if request.user.is_authenticated else None
        action = request.POST.get("action", "")
        try:
            if action == "message":
                services.complaint_message_citizen(
                    actor=actor,
                    complaint=complaint,
                    body=request.POST.get("body", ""),
                    uploads=request.FILES.getlist("attachments"),
                )
                messages.success(request, _("Pesan terkirim."))
            elif action == "reopen":
                services.complaint_reopen(
                    actor=actor, complaint=complaint, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("Pengaduan dibuka kembali."))
            elif action == "rate":
                services.complaint_rate(
                    actor=actor,
                    complaint=complaint,
                    rating=request.POST.get("rating"),
                    comment=request.POST.get("comment", ""),
                )
                messages.success(request, _("Terima kasih atas penilaian Anda."))
            else:
                raise DomainError(_("Aksi tidak dikenal."))
        except DomainError as exc:
            return exc
        return None

    def render_thread(self, request, complaint: Complaint, *, error=None, status=200, **extra):
        complaint = (
            selectors.with_thread(Complaint.objects.filter(pk=complaint.pk))
            .select_related("booth", "booth__agency", "booth__local_agency")
            .get()
        )
        form = MessageForm(request.POST or None) if error is not None else MessageForm()
        context = {
            "c": selectors.citizen_view(complaint),
            "complaint": complaint,
            "message_form": form,
            "error": error,
            "posted": request.POST if error is not None else {},
            **extra,
        }
        return render(request, "complaints/detail.html", context, status=status)


class DetailView(CitizenRequiredMixin, ThreadActionsMixin, View):
    """``/pengaduan/<id>/``: the citizen's own complaint."""

    def own(self, request, complaint_id) -> Complaint:
        try:
            return services.access_complaint_for_citizen(
                user=request.user, complaint_id=complaint_id
            )
        except NotFoundError as exc:
            raise Http404(exc.message) from exc

    def get(self, request, complaint_id: int):
        return self.render_thread(request, self.own(request, complaint_id))

    def post(self, request, complaint_id: int):
        complaint = self.own(request, complaint_id)
        error = self.act(request, complaint)
        if error is None:
            return redirect("complaints:detail", complaint_id=complaint.pk)
        return self.render_thread(request, complaint, error=error, status=error.status_code)


class AttachmentView(CitizenRequiredMixin, View):
    def get(self, request, complaint_id: int, attachment_id: int):
        try:
            complaint = services.access_complaint_for_citizen(
                user=request.user, complaint_id=complaint_id
            )
        except NotFoundError as exc:
            raise Http404(exc.message) from exc
        return serve_attachment(complaint, attachment_id)


# --- by tracking code (no account) ---------------------------------------------------------------
def _tracked(request) -> list[int]:
    return [int(i) for i in request.session.get(TRACKED_SESSION_KEY, []) if str(i).isdigit()]


class TrackView(PublicPageMixin, View):
    """``/pengaduan/lacak/``: type the tracking code. Wrong codes are throttled per client; a
    right one opens the complaint for this browser session only."""

    template_name = "complaints/track.html"

    def get(self, request):
        return render(request, self.template_name, {"form": TrackForm()})

    def post(self, request):
        form = TrackForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                complaint = services.access_complaint_by_code(
                    code=form.cleaned_data["code"], client=client_address(request)
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
                status = exc.status_code
            else:
                request.session[TRACKED_SESSION_KEY] = [
                    complaint.pk,
                    *[i for i in _tracked(request) if i != complaint.pk][:9],
                ]
                return redirect("complaints:tracked", complaint_id=complaint.pk)
        return render(request, self.template_name, {"form": form}, status=status)


class TrackedDetailView(PublicPageMixin, ThreadActionsMixin, View):
    """A complaint opened with its tracking code in this session."""

    def tracked(self, request, complaint_id) -> Complaint:
        if int(complaint_id) not in _tracked(request):
            raise Http404(_("Pengaduan tidak ditemukan."))
        complaint = Complaint.objects.filter(pk=complaint_id).first()
        if complaint is None:
            raise Http404(_("Pengaduan tidak ditemukan."))
        return complaint

    def get(self, request, complaint_id: int):
        return self.render_thread(request, self.tracked(request, complaint_id), tracked=True)

    def post(self, request, complaint_id: int):
        complaint = self.tracked(request, complaint_id)
        error = self.act(request, complaint)
        if error is None:
            return redirect("complaints:tracked", complaint_id=complaint.pk)
        return self.render_thread(
            request, complaint, error=error, status=error.status_code, tracked=True
        )


class TrackedAttachmentView(PublicPageMixin, View):
    def get(self, request, complaint_id: int, attachment_id: int):
        if int(complaint_id) not in _tracked(request):
            raise Http404(_("Tidak ditemukan."))
        complaint = Complaint.objects.filter(pk=complaint_id).first()
        if complaint is None:
            raise Http404(_("Tidak ditemukan."))
        return serve_attachment(complaint, attachment_id)


# --- kiosk ---------------------------------------------------------------------------------------
class KioskFileView(PublicPageMixin, TemplateView):
    """``/pengaduan/kiosk/``: at the MPP's kiosk (a registered device, or staff helping), with
    no account. The receipt shows the tracking code once; this shared device keeps no access."""

    device = KIOSK
    template_name = "complaints/kiosk.html"

    @property
    def actor(self):
        user = self.request.user
        return user if user.is_authenticated else None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", WalkInComplaintForm(offerings=offering_choices()))
        context["kiosk"] = getattr(self.request, "kiosk", None)
        context["region"] = self.request.region
        return context

    def post(self, request, *args, **kwargs):
        form = WalkInComplaintForm(request.POST, request.FILES, offerings=offering_choices())
        if form.is_valid():
            try:
                complaint = services.complaint_file(
                    actor=self.actor, channel=Channel.KIOSK, filing=_filing_from(form)
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
                        "track_url": request.build_absolute_uri(reverse("complaints:track")),
                        "again_url": reverse("complaints:kiosk"),
                    },
                )
        response = self.render_to_response(self.get_context_data(form=form))
        response.status_code = 400
        return response
