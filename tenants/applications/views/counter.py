"""The assisted channel at the counter: find or register the walk-in citizen, ask for their
consent, fill in and submit the application for them, print the receipt with a claim code.

Before consent a search shows only that a record exists and a masked name; the profile, the
vault and the assisted form need the consent given at this counter, this visit
(shared.citizens.services.counter). Every step is in the citizen's access log.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from kernel.errors import DomainError, NotFoundError
from shared.access.pages import RegionStaffRequiredMixin
from shared.accounts.throttling import throttle
from shared.citizens import selectors as citizen_selectors
from shared.citizens.models import ApplicationStatus, CitizenProfile
from shared.citizens.services import (
    citizen_register_at_counter,
    consent_channels,
    counter_code_confirm,
    counter_code_request,
    counter_consent_ktp,
    counter_profile_viewed,
    counter_visit_end,
    declared_by_other_account,
    nik_dispute_resolve,
    nik_dispute_resolve_for_ktp_holder,
    nik_verify_at_counter,
    open_dispute_for,
)
from shared.citizens.services.identity import open_dispute_of_nik
from shared.citizens.validation import normalize_nik
from tenants.applications import selectors, services
from tenants.applications.forms_counter import (
    CitizenRegisterForm,
    CitizenSearchForm,
    ConsentCodeForm,
    DisputeResolveForm,
    KtpConsentForm,
    KtpHolderForm,
)
from tenants.applications.models import Application
from tenants.applications.services.assisted import counter_desk, staff_booths
from tenants.applications.views.citizen import ApplicationFormMixin, receipt_context
from tenants.mpp.models import Offering
from tenants.mpp.selectors import offering_effective_standard, offerings_for_standard

CLAIM_SESSION_KEY = "assisted_claim_codes"
BOOTH_SESSION_KEY = "counter_booth_id"


def _form_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


def desk_for(request, *, via: str = "web"):
    """The counter desk of this request; a booth chosen on a form is remembered for the visit."""
    chosen = request.POST.get("booth")
    if chosen:
        request.session[BOOTH_SESSION_KEY] = chosen
    return counter_desk(request.user, booth_id=request.session.get(BOOTH_SESSION_KEY), via=via)


def _consented(request, profile_id) -> CitizenProfile:
    profile = selectors.consented_citizen(actor=request.user, profile_id=profile_id)
    if profile is None:
        raise Http404(_("Tidak ditemukan."))
    return profile


def _reachable(request, profile_id) -> CitizenProfile:
    """A citizen this staff member may ask for consent (searched here lately) or already has."""
    profile = selectors.consented_citizen(
        actor=request.user, profile_id=profile_id
    ) or selectors.searched_citizen(actor=request.user, profile_id=profile_id)
    if profile is None:
        raise Http404(_("Tidak ditemukan."))
    return profile


class CounterView(RegionStaffRequiredMixin, View):
    template_name = "applications/counter/home.html"

    def _render(self, search, register, *, ktp_holder=None, status=200):
        return render(
            self.request,
            self.template_name,
            {"search": search, "register": register, "ktp_holder": ktp_holder},
            status=status,
        )

    def get(self, request):
        return self._render(
            CitizenSearchForm(), CitizenRegisterForm(booths=staff_booths(request.user))
        )

    def post(self, request):
        booths = staff_booths(request.user)
        search, register = CitizenSearchForm(), CitizenRegisterForm(booths=booths)
        action = request.POST.get("do")
        if action in ("register", "register_ktp_holder"):
            return self._register(request, CitizenRegisterForm(request.POST, booths=booths), search)
        search = CitizenSearchForm(request.POST)
        status = 400
        if search.is_valid():
            try:
                profile = services.citizen_lookup_at_counter(
                    actor=request.user, query=search.cleaned_data["q"]
                )
            except DomainError as exc:
                search.add_error("q", exc.message)
                status = exc.status_code
            else:
                if profile is not None:
                    return redirect("applications:counter_citizen", profile_id=profile.pk)
                search.add_error(
                    "q", _("Warga tidak ditemukan. Periksa NIK/nomor HP, atau daftarkan di bawah.")
                )
                status = 404
        return self._render(search, register, status=status)

    def _register(self, request, register, search):
        ktp_holder = (
            KtpHolderForm(request.POST) if request.POST.get("do") == "register_ktp_holder" else None
        )
        if not register.is_valid():
            return self._render(search, register, ktp_holder=ktp_holder, status=400)
        desk = desk_for(request)
        data = dict(register.cleaned_data)
        try:
            if ktp_holder is not None and ktp_holder.is_valid():
                holder = CitizenProfile.objects.with_nik(normalize_nik(data["nik"])).first()
                if holder is None:
                    raise NotFoundError(_("NIK itu kini bebas: daftarkan biasa."))
                profile = nik_dispute_resolve_for_ktp_holder(
                    desk=desk,
                    holder=holder,
                    data=data,
                    ktp_seen=ktp_holder.cleaned_data["ktp_seen"],
                    reason=ktp_holder.cleaned_data["reason"],
                )
                messages.success(
                    request,
                    _(
                        "Sengketa diselesaikan: warga ini terdaftar sebagai pemilik NIK "
                        "(terverifikasi)."
                    ),
                )
            else:
                profile = citizen_register_at_counter(desk=desk, data=data)
                messages.success(request, _("Warga terdaftar. Lanjutkan permohonannya."))
        except ValidationError as exc:
            _form_errors(
                ktp_holder
                if ktp_holder is not None and set(exc.message_dict) <= {"ktp_seen", "reason"}
                else register,
                exc,
            )
            return self._render(search, register, ktp_holder=ktp_holder, status=400)
        except DomainError as exc:
            messages.error(request, exc.message)
            if exc.code in ("nik_declared",):
                return self._render(search, register, ktp_holder=KtpHolderForm(), status=409)
            return self._render(search, register, ktp_holder=ktp_holder, status=exc.status_code)
        return redirect("applications:counter_citizen", profile_id=profile.pk)


def _consent_context(request, citizen, *, ktp_form=None, code_form=None) -> dict:
    from shared.citizens.models import OneTimeCode
    from shared.citizens.otp import otp_active

    pending = otp_active(purpose=OneTimeCode.Purpose.COUNTER_CONSENT, profile=citizen)
    mine = bool(pending and pending.context.get("actor") == request.user.pk)
    return {
        "citizen": citizen,
        "masked_name": citizen.masked_name,
        "channels": consent_channels(citizen),
        "pending": pending if mine else None,
        "code_form": code_form or ConsentCodeForm(),
        "ktp_form": ktp_form or KtpConsentForm(),
        "declared_by_account": declared_by_other_account(citizen),
        "dispute": open_dispute_for(citizen),
        "booths": staff_booths(request.user),
        "booth_id": request.session.get(BOOTH_SESSION_KEY, ""),
    }


class CounterCitizenView(RegionStaffRequiredMixin, View):
    """After consent: the citizen's data, vault and applications here. Before: the consent
    step, with only the masked name."""

    def get(self, request, profile_id: int):
        citizen = selectors.consented_citizen(actor=request.user, profile_id=profile_id)
        if citizen is None:
            citizen = _reachable(request, profile_id)
            return render(
                request, "applications/counter/consent.html", _consent_context(request, citizen)
            )
        counter_profile_viewed(desk=desk_for(request), profile=citizen)
        offerings = [
            (o, offering_effective_standard(o))
            for o in offerings_for_standard(Offering.objects.active()).order_by("code")
        ]
        return render(
            request,
            "applications/counter/citizen.html",
            {
                "citizen": citizen,
                "consent": citizen.consent,
                "documents": list(citizen_selectors.vault_documents(citizen)),
                "applications": selectors.citizen_applications_here(citizen)[:20],
                "offerings": sorted(offerings, key=lambda p: p[1].name.lower()),
                "can_verify_nik": bool(
                    citizen.nik
                    and not citizen.nik_is_verified
                    and (citizen.consent.method == "code" or not citizen.user_id)
                ),
            },
        )


class CounterConsentView(RegionStaffRequiredMixin, View):
    """send | code | ktp | verify_nik | end, by POST from the consent or citizen page."""

    def post(self, request, profile_id: int):
        citizen = _reachable(request, profile_id)
        desk = desk_for(request)
        action = request.POST.get("do")
        back = redirect("applications:counter_citizen", profile_id=citizen.pk)
        try:
            if action == "send":
                throttle(request, "verification_send", account=f"consent:{citizen.pk}")
                counter_code_request(
                    desk=desk, profile=citizen, channel=request.POST.get("channel", "")
                )
                messages.success(
                    request, _("Kode dikirim. Minta warga menyebutkan kode yang diterimanya.")
                )
            elif action == "code":
                form = ConsentCodeForm(request.POST)
                if not form.is_valid():
                    return self._again(request, citizen, code_form=form)
                throttle(request, "one_time_code", account=f"consent:{citizen.pk}")
                counter_code_confirm(desk=desk, profile=citizen, code=form.cleaned_data["code"])
                messages.success(request, _("Warga menyetujui. Akses berlaku untuk kunjungan ini."))
            elif action == "ktp":
                ktp_form = KtpConsentForm(request.POST)
                if not ktp_form.is_valid():
                    return self._again(request, citizen, ktp_form=ktp_form)
                try:
                    counter_consent_ktp(
                        desk=desk,
                        profile=citizen,
                        ktp_seen=ktp_form.cleaned_data["ktp_seen"],
                        birth_date=ktp_form.cleaned_data["birth_date"],
                        reason=ktp_form.cleaned_data["reason"],
                    )
                except ValidationError as exc:
                    _form_errors(ktp_form, exc)
                    return self._again(request, citizen, ktp_form=ktp_form)
                messages.success(request, _("Akses dengan KTP-el tercatat untuk kunjungan ini."))
            elif action == "verify_nik":
                nik_verify_at_counter(desk=desk, profile=_consented(request, citizen.pk))
                messages.success(request, _("NIK terverifikasi dengan KTP-el."))
            elif action == "end":
                counter_visit_end(desk=desk, profile_id=citizen.pk)
                messages.success(request, _("Layanan untuk warga ini selesai; akses ditutup."))
                return redirect("applications:counter")
            else:
                raise Http404(_("Aksi tidak dikenal."))
        except NotFoundError as exc:
            raise Http404(exc.message) from exc
        except DomainError as exc:
            messages.error(request, exc.message)
        return back

    def _again(self, request, citizen, **forms):
        return render(
            request,
            "applications/counter/consent.html",
            _consent_context(request, citizen, **forms),
            status=400,
        )


class CounterDisputeView(RegionStaffRequiredMixin, View):
    """Two people claim one NIK: the person at the counter proves which account is theirs with
    a code and shows the KTP-el; that account keeps (or gets) the NIK, verified."""

    template_name = "applications/counter/dispute.html"

    def _load(self, request, profile_id):
        holder = _reachable(request, profile_id)
        dispute = open_dispute_for(holder)
        if dispute is None or dispute.holder_id != holder.pk:
            dispute = open_dispute_of_nik(holder.nik) if holder.nik else None
        if dispute is None:
            raise Http404(_("Tidak ditemukan."))
        parties = list(
            CitizenProfile.objects.select_related("user").filter(
                pk__in=[dispute.holder_id, dispute.claimant_id]
            )
        )
        return holder, dispute, parties

    def _render(self, request, holder, dispute, parties, *, form=None, status=200):
        from shared.citizens.services import counter_consent_active

        rows = []
        for party in parties:
            consent = counter_consent_active(
                actor=request.user, region=counter_desk(request.user).region, profile_id=party.pk
            )
            auto_id = f"id_p{party.pk}_%s"  # two parties' forms on one page: unique ids
            posted = form is not None and request.POST.get("party") == str(party.pk)
            rows.append(
                {
                    "profile": party,
                    "role": _("pemegang NIK saat ini")
                    if party.pk == dispute.holder_id
                    else _("pengaju sengketa"),
                    "channels": consent_channels(party),
                    "proven": bool(consent and consent.method == "code"),
                    "form": form if posted else DisputeResolveForm(auto_id=auto_id),
                    "code_form": ConsentCodeForm(auto_id=auto_id),
                }
            )
        return render(
            request,
            self.template_name,
            {
                "holder": holder,
                "dispute": dispute,
                "rows": rows,
            },
            status=status,
        )

    def get(self, request, profile_id: int):
        holder, dispute, parties = self._load(request, profile_id)
        return self._render(request, holder, dispute, parties)

    def post(self, request, profile_id: int):
        holder, dispute, parties = self._load(request, profile_id)
        by_id = {p.pk: p for p in parties}
        try:
            party = by_id[int(request.POST.get("party", "0"))]
        except (KeyError, ValueError) as exc:
            raise Http404(_("Tidak ditemukan.")) from exc
        desk = desk_for(request)
        action = request.POST.get("do")
        try:
            if action == "send":
                throttle(request, "verification_send", account=f"consent:{party.pk}")
                counter_code_request(
                    desk=desk, profile=party, channel=request.POST.get("channel", "")
                )
                messages.success(request, _("Kode dikirim ke akun pihak ini."))
            elif action == "code":
                throttle(request, "one_time_code", account=f"consent:{party.pk}")
                counter_code_confirm(desk=desk, profile=party, code=request.POST.get("code", ""))
                messages.success(request, _("Warga di loket terbukti pemilik akun ini."))
            elif action == "resolve":
                form = DisputeResolveForm(request.POST, auto_id=f"id_p{party.pk}_%s")
                if not form.is_valid():
                    return self._render(request, holder, dispute, parties, form=form, status=400)
                try:
                    winner = nik_dispute_resolve(
                        desk=desk,
                        dispute=dispute,
                        winner=party,
                        ktp_seen=form.cleaned_data["ktp_seen"],
                        birth_date=form.cleaned_data["birth_date"],
                        reason=form.cleaned_data["reason"],
                    )
                except ValidationError as exc:
                    _form_errors(form, exc)
                    return self._render(request, holder, dispute, parties, form=form, status=400)
                messages.success(
                    request, _("Sengketa NIK selesai; NIK terverifikasi untuk akun ini.")
                )
                return redirect("applications:counter_citizen", profile_id=winner.pk)
            else:
                raise Http404(_("Aksi tidak dikenal."))
        except NotFoundError as exc:
            raise Http404(exc.message) from exc
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("applications:counter_dispute", profile_id=holder.pk)


class _AssistedFormMixin(ApplicationFormMixin, RegionStaffRequiredMixin):
    assisted = True
    edit_route = "applications:counter_edit"
    receipt_route = "applications:counter_receipt"
    detail_route = "applications:counter_receipt"

    def extra_context(self, application) -> dict:
        return {"form_title": _("Permohonan dibantu petugas")}


class AssistedStartView(_AssistedFormMixin, View):
    def _load(self, profile_id, offering_id):
        citizen = _consented(self.request, profile_id)
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
    """Continue an assisted draft: the vault is offered only under this visit's consent."""

    def _editable(self, request, application_id):
        application = _assisted_application(request, application_id)
        if not application.is_editable_by_citizen:
            return application, redirect(self.receipt_route, application_id=application.pk)
        if (
            selectors.consented_citizen(actor=request.user, profile_id=application.citizen_id)
            is None
        ):
            messages.error(
                request,
                _(
                    "Persetujuan warga untuk kunjungan ini sudah berakhir. Cari warga lagi dan "
                    "minta persetujuannya."
                ),
            )
            return application, redirect("applications:counter")
        return application, None

    def get(self, request, application_id: int):
        application, answer = self._editable(request, application_id)
        if answer is not None:
            return answer
        offering, standard = selectors.offering_for_application(application.offering_id)
        return self.render_form(
            offering=offering,
            standard=standard,
            citizen=application.citizen,
            application=application,
        )

    def post(self, request, application_id: int):
        application, answer = self._editable(request, application_id)
        if answer is not None:
            return answer
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
        services.staff_data_access(actor=request.user, application=application)
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
