"""The assisted channel at the counter: find or register the walk-in citizen, fill in and
submit the application for them, print the receipt with a claim code."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from kernel.errors import DomainError, NotFoundError
from shared.access.pages import RegionStaffRequiredMixin
from shared.citizens.models import ApplicationStatus, CitizenProfile
from shared.citizens.services import citizen_register_at_counter
from tenants.applications import selectors, services
from tenants.applications.common import current_region
from tenants.applications.models import Application
from tenants.applications.selectors import known_citizen
from tenants.applications.views.citizen import ApplicationFormMixin, receipt_context
from tenants.mpp.models import Offering
from tenants.mpp.selectors import offering_effective_standard, offerings_for_standard

SESSION_KEY = "assisted_citizens"
CLAIM_SESSION_KEY = "assisted_claim_codes"


class CitizenSearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("NIK atau nomor HP warga"),
        max_length=24,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class CitizenRegisterForm(forms.Form):
    nik = forms.CharField(
        label=gettext_lazy("NIK (dari KTP-el)"),
        max_length=24,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    full_name = forms.CharField(label=gettext_lazy("Nama lengkap sesuai KTP-el"), max_length=150)
    birth_place = forms.CharField(label=gettext_lazy("Tempat lahir"), max_length=100)
    address_line = forms.CharField(label=gettext_lazy("Alamat sesuai KTP-el"), max_length=255)
    phone = forms.CharField(
        label=gettext_lazy("Nomor HP (boleh kosong)"), max_length=20, required=False
    )


def _remember(request, profile_id: int) -> None:
    """Kept for convenience only; access is decided by ``known_citizen``."""
    known = [i for i in request.session.get(SESSION_KEY, []) if i != profile_id]
    request.session[SESSION_KEY] = [profile_id, *known][:20]


def _known_citizen(request, profile_id) -> CitizenProfile:
    profile = known_citizen(actor=request.user, profile_id=profile_id)
    if profile is None:
        raise Http404(_("Tidak ditemukan."))
    return profile


class CounterView(RegionStaffRequiredMixin, View):
    template_name = "applications/counter/home.html"

    def get(self, request):
        return render(
            request,
            self.template_name,
            {"search": CitizenSearchForm(), "register": CitizenRegisterForm()},
        )

    def post(self, request):
        search, register = CitizenSearchForm(), CitizenRegisterForm()
        if request.POST.get("do") == "register":
            register = CitizenRegisterForm(request.POST)
            if register.is_valid():
                try:
                    profile = citizen_register_at_counter(
                        actor=request.user, region=current_region(), **register.cleaned_data
                    )
                except ValidationError as exc:
                    for field, errors in exc.message_dict.items():
                        for error in errors:
                            register.add_error(field if field in register.fields else None, error)
                else:
                    _remember(request, profile.pk)
                    messages.success(request, _("Warga terdaftar. Lanjutkan permohonannya."))
                    return redirect("applications:counter_citizen", profile_id=profile.pk)
        else:
            search = CitizenSearchForm(request.POST)
            if search.is_valid():
                profile = services.citizen_lookup_at_counter(
                    actor=request.user, query=search.cleaned_data["q"]
                )
                if profile is not None:
                    _remember(request, profile.pk)
                    return redirect("applications:counter_citizen", profile_id=profile.pk)
                search.add_error(
                    "q", _("Warga tidak ditemukan. Periksa NIK/nomor HP, atau daftarkan di bawah.")
                )
        return render(
            request, self.template_name, {"search": search, "register": register}, status=400
        )


class CounterCitizenView(RegionStaffRequiredMixin, View):
    def get(self, request, profile_id: int):
        citizen = _known_citizen(request, profile_id)
        offerings = [
            (o, offering_effective_standard(o))
            for o in offerings_for_standard(Offering.objects.active()).order_by("code")
        ]
        return render(
            request,
            "applications/counter/citizen.html",
            {
                "citizen": citizen,
                "applications": selectors.citizen_applications_here(citizen)[:20],
                "offerings": sorted(offerings, key=lambda p: p[1].name.lower()),
            },
        )


class _AssistedFormMixin(ApplicationFormMixin, RegionStaffRequiredMixin):
    assisted = True
    edit_route = "applications:counter_edit"
    receipt_route = "applications:counter_receipt"
    detail_route = "applications:counter_receipt"

    def extra_context(self, application) -> dict:
        return {"form_title": _("Permohonan dibantu petugas")}


class AssistedStartView(_AssistedFormMixin, View):
    def _load(self, profile_id, offering_id):
        citizen = _known_citizen(self.request, profile_id)
        try:
            offering, standard = selectors.offering_for_application(offering_id)
        except NotFoundError as exc:
            raise Http404(exc.message) from exc
        return citizen, offering, standard

    def get(self, request, profile_id: int, offering_id: int):
        citizen, offering, standard = self._load(profile_id, offering_id)
        return self.render_form(
            offering=offering, standard=standard, citizen=citizen, application=None
        )

    def post(self, request, profile_id: int, offering_id: int):
        citizen, offering, standard = self._load(profile_id, offering_id)
        return self.save(
            offering=offering,
            standard=standard,
            citizen=citizen,
            application=None,
            post=request.POST,
            files=request.FILES,
        )


def _assisted_application(request, application_id) -> Application:
    try:
        application = services.access_application_for_staff(
            user=request.user, application_id=application_id
        )
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    if not application.is_assisted:
        raise Http404(_("Tidak ditemukan."))
    application.citizen = CitizenProfile.objects.select_related("user").get(
        pk=application.citizen_id
    )
    return application


class AssistedEditView(_AssistedFormMixin, View):
    def get(self, request, application_id: int):
        application = _assisted_application(request, application_id)
        if not application.is_editable_by_citizen:
            return redirect(self.receipt_route, application_id=application.pk)
        offering, standard = selectors.offering_for_application(application.offering_id)
        return self.render_form(
            offering=offering,
            standard=standard,
            citizen=application.citizen,
            application=application,
        )

    def post(self, request, application_id: int):
        application = _assisted_application(request, application_id)
        if not application.is_editable_by_citizen:
            return redirect(self.receipt_route, application_id=application.pk)
        offering, standard = selectors.offering_for_application(application.offering_id)
        return self.save(
            offering=offering,
            standard=standard,
            citizen=application.citizen,
            application=application,
            post=request.POST,
            files=request.FILES,
        )


class AssistedReceiptView(RegionStaffRequiredMixin, View):
    """The counter receipt. The claim code is shown once, right after it is made; a lost code
    is replaced by a new one (the old one stops working)."""

    def get(self, request, application_id: int):
        application = _assisted_application(request, application_id)
        if application.number is None:
            return redirect("applications:counter_edit", application_id=application.pk)
        codes = request.session.get(CLAIM_SESSION_KEY, {})
        code = codes.pop(str(application.pk), None)
        request.session[CLAIM_SESSION_KEY] = codes
        if (
            code is None
            and not application.claim_code_hash
            and application.citizen.user_id is None
            and application.status != ApplicationStatus.DRAFT
        ):
            code = services.claim_code_issue(actor=request.user, application=application)
        context = receipt_context(request, application)
        context.update({"claim_code": code, "assisted": True})
        return render(request, "applications/receipt.html", context)

    def post(self, request, application_id: int):
        application = _assisted_application(request, application_id)
        try:
            code = services.claim_code_issue(actor=request.user, application=application)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            codes = request.session.get(CLAIM_SESSION_KEY, {})
            codes[str(application.pk)] = code
            request.session[CLAIM_SESSION_KEY] = codes
            messages.success(request, _("Kode klaim baru dibuat; kode lama tidak berlaku."))
        return redirect("applications:counter_receipt", application_id=application.pk)
