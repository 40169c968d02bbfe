"""The citizen's application pages on a region's site."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from kernel.errors import DomainError
from shared.access.pages import CitizenRequiredMixin, PublicPageMixin
from shared.citizens.formstash import stash_pop
from shared.citizens.models import ApplicationStatus, ResultKind
from shared.citizens.services import profile_ensure
from tenants.applications import selectors, services
from tenants.applications.common import CITIZEN_ROLE, staff_role
from tenants.applications.formpage import form_context, read_post
from tenants.applications.models import Application, ApplicationFile
from tenants.applications.qr import qr_svg
from tenants.applications.views.files import serve_private


class RegionCitizenMixin(CitizenRequiredMixin):
    """A signed-in citizen on a region's site (any account: one account for every region)."""

    def own_application(self, application_id) -> Application:
        return services.access_application_for_citizen(
            user=self.request.user, application_id=application_id
        )


class OnlineOfferingsView(PublicPageMixin, View):
    """Services this MPP accepts online applications for (public)."""

    def get(self, request):
        pairs = selectors.online_offerings()
        return render(request, "applications/offerings.html", {"pairs": pairs})


class ApplicationFormMixin:
    """Saving and rendering the application form; the assisted (counter) pages reuse it with
    their own routes and the staff member as the actor."""

    request: Any
    template_name = "applications/form.html"
    assisted = False
    edit_route = "applications:edit"
    receipt_route = "applications:receipt"
    detail_route = "applications:detail"

    def extra_context(self, application) -> dict:
        return {}

    def render_form(self, *, offering, standard, citizen, application, errors=None, status=200):
        ctx = form_context(
            offering=offering,
            standard=standard,
            citizen=citizen,
            application=application,
            errors=errors,
        )
        ctx["profile_url"] = reverse("citizens:profile") + "?next=" + self.request.path
        ctx["vault_url"] = reverse("citizens:vault") + "?next=" + self.request.path
        ctx["assisted"] = self.assisted
        ctx.update(self.extra_context(application))
        return render(self.request, self.template_name, ctx, status=status)

    def save(self, *, offering, standard, citizen, application, post, files):
        """Save the draft from the posted form, then submit when asked. Nothing typed is lost:
        what is valid is saved even when the submission is refused."""
        posted = read_post(post, files, standard=standard, fields=selectors.form_fields(offering))
        try:
            application, errors = services.application_draft_save(
                actor=self.request.user,
                citizen=citizen,
                offering=offering,
                application=application,
                answers=posted.answers,
                choices=posted.choices,
                confirmations=posted.confirmations,
                uploads=posted.uploads,
                field_uploads=posted.field_uploads,
                client_key=posted.client_key,
                is_assisted=self.assisted,
            )
        except DomainError as exc:
            messages.error(self.request, exc.message)
            return self.render_form(
                offering=offering,
                standard=standard,
                citizen=citizen,
                application=application,
                status=exc.status_code,
            )
        if not application.is_editable_by_citizen:  # a replayed submit: show what exists
            return redirect(self.detail_route, application_id=application.pk)
        if posted.action == "submit" and not errors:
            try:
                application = services.application_submit(
                    actor=self.request.user,
                    application=application,
                    role=staff_role(self.request.user) if self.assisted else CITIZEN_ROLE,
                )
            except DomainError as exc:
                errors = exc.extra.get("errors", {})
                messages.error(self.request, exc.message)
                messages.info(self.request, _("Isian Anda sudah disimpan sebagai draf."))
            else:
                messages.success(
                    self.request,
                    _("Permohonan terkirim. Nomor permohonan Anda: %(number)s.")
                    % {"number": application.number},
                )
                return redirect(self.receipt_route, application_id=application.pk)
        elif errors:
            messages.error(self.request, _("Sebagian isian belum dapat disimpan: lihat tandanya."))
        else:
            messages.success(
                self.request, _("Draf tersimpan. Anda dapat melanjutkannya kapan saja.")
            )
            return redirect(self.edit_route, application_id=application.pk)
        application = selectors.application_detail(application.pk)
        application.citizen = citizen
        return self.render_form(
            offering=offering,
            standard=standard,
            citizen=citizen,
            application=application,
            errors=errors,
            status=400,
        )


class StartApplicationView(ApplicationFormMixin, RegionCitizenMixin, View):
    """ "Ajukan permohonan": the form, prefilled from the profile and the vault. Nothing is
    stored until the citizen saves a draft or submits."""

    def _offering(self, offering_id):
        offering, standard = selectors.offering_for_application(offering_id)
        if not selectors.offering_accepts_online(offering, standard):
            raise Http404(_("Layanan ini tidak menerima permohonan daring."))
        return offering, standard

    def get(self, request, offering_id: int):
        offering, standard = self._offering(offering_id)
        citizen = profile_ensure(user=request.user)
        restored = stash_pop(request)
        if restored is not None:
            return self.save(
                offering=offering,
                standard=standard,
                citizen=citizen,
                application=None,
                post=restored,
                files={},
            )
        draft = (
            Application.objects.filter(
                citizen=citizen, offering=offering, status=ApplicationStatus.DRAFT
            )
            .order_by("-updated_at")
            .first()
        )
        if draft is not None:
            messages.info(request, _("Anda punya draf untuk layanan ini; lanjutkan di sini."))
            return redirect("applications:edit", application_id=draft.pk)
        return self.render_form(
            offering=offering, standard=standard, citizen=citizen, application=None
        )

    def post(self, request, offering_id: int):
        offering, standard = self._offering(offering_id)
        citizen = profile_ensure(user=request.user)
        return self.save(
            offering=offering,
            standard=standard,
            citizen=citizen,
            application=None,
            post=request.POST,
            files=request.FILES,
        )


class EditApplicationView(ApplicationFormMixin, RegionCitizenMixin, View):
    """Continue a draft, or fix an application returned for revision and resubmit it."""

    def _load(self, application_id):
        application = self.own_application(application_id)
        if not application.is_editable_by_citizen:
            return application, None, None
        offering, standard = selectors.offering_for_application(application.offering_id)
        return application, offering, standard

    def get(self, request, application_id: int):
        application, offering, standard = self._load(application_id)
        if offering is None:
            return redirect("applications:detail", application_id=application.pk)
        restored = stash_pop(request)
        if restored is not None:
            return self.save(
                offering=offering,
                standard=standard,
                citizen=application.citizen,
                application=application,
                post=restored,
                files={},
            )
        return self.render_form(
            offering=offering,
            standard=standard,
            citizen=application.citizen,
            application=application,
        )

    def post(self, request, application_id: int):
        application, offering, standard = self._load(application_id)
        if offering is None:
            messages.info(request, _("Permohonan ini sudah diajukan."))
            return redirect("applications:detail", application_id=application.pk)
        return self.save(
            offering=offering,
            standard=standard,
            citizen=application.citizen,
            application=application,
            post=request.POST,
            files=request.FILES,
        )


class ApplicationDetailView(RegionCitizenMixin, View):
    def get(self, request, application_id: int):
        application = self.own_application(application_id)
        result = next(
            (f for f in application.files.all() if f.purpose == ApplicationFile.Purpose.RESULT),
            None,
        )
        return render(
            request,
            "applications/detail.html",
            {
                "application": application,
                "history": list(application.history.all()),
                "result_file": result,
                "is_pickup": application.result_kind == ResultKind.PICKUP,
                "overdue": selectors.is_overdue(application),
            },
        )


class ReceiptView(RegionCitizenMixin, View):
    def get(self, request, application_id: int):
        application = self.own_application(application_id)
        if application.number is None:
            return redirect("applications:edit", application_id=application.pk)
        return render(request, "applications/receipt.html", receipt_context(request, application))


def receipt_context(request, application: Application) -> dict:
    verify_url = request.build_absolute_uri(
        reverse("applications:verify", kwargs={"token": application.public_token})
    )
    return {"application": application, "verify_url": verify_url, "qr": qr_svg(verify_url)}


class ApplicationFileView(RegionCitizenMixin, View):
    """The citizen's own files of this application: the result, and their file answers."""

    def get(self, request, application_id: int, file_id: int):
        application = self.own_application(application_id)
        stored = application.files.filter(pk=file_id).first()
        if stored is None:
            raise Http404(_("Tidak ditemukan."))
        return serve_private(stored.file, stored.content_type, f"berkas-{stored.pk}")


class VerifyView(PublicPageMixin, View):
    """The public page the receipt's QR code opens: status only, nothing personal."""

    def get(self, request, token):
        application = (
            Application.objects.filter(public_token=token, number__isnull=False)
            .only(
                "number",
                "status",
                "offering_name",
                "agency_name",
                "first_submitted_at",
                "due_date",
                "finished_at",
            )
            .first()
        )
        if application is None:
            raise Http404(_("Tanda terima tidak dikenal."))
        return render(request, "applications/verify.html", {"application": application})
