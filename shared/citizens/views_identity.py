"""The citizen's pages about identity and their rights: phone verification, NIK verification
and disputes, the code a counter asks for, "download my data", "delete my account", and the
password reset by phone."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from kernel.errors import DomainError
from shared.access.pages import PublicPageMixin
from shared.access.policy import Host
from shared.accounts.services import password_reset_completed
from shared.accounts.throttling import account_key, throttle
from shared.citizens import services
from shared.citizens.formstash import SignInRequiredKeepingPostMixin
from shared.citizens.models import OneTimeCode
from shared.citizens.otp import code_of, otp_active
from shared.citizens.services.rights import (
    citizen_account_delete,
    citizen_data_export,
    retention_plan,
)

PHONE_RESET_SESSION_KEY = "password_reset_phone"


class _PublicPage(PublicPageMixin):
    """Resetting a password by phone: everyone, on every host."""

    host = Host.ANY


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Kode 6 angka"),
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class DisputeForm(forms.Form):
    nik = forms.CharField(
        label=gettext_lazy("NIK Anda (16 digit, sesuai KTP-el)"),
        max_length=24,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    understood = forms.BooleanField(
        label=gettext_lazy("Saya memahami aturan penyimpanan di atas dan ingin menghapus akun."),
        error_messages={"required": gettext_lazy("Centang untuk melanjutkan.")},
    )


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=gettext_lazy("Nomor HP akun"),
        max_length=24,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )


class PhoneResetForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Kode 6 angka"),
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    password1 = forms.CharField(
        label=gettext_lazy("Kata sandi baru"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=gettext_lazy("Ulangi kata sandi baru"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        return data


def counter_request_of(profile) -> dict | None:
    """A counter's pending request for consent, with the code to read out (shown in the
    citizen's account; the citizen decides whether to give it)."""
    row = otp_active(purpose=OneTimeCode.Purpose.COUNTER_CONSENT, profile=profile)
    if row is None:
        return None
    return {
        "code": code_of(row),
        "who": row.context.get("actor_name", ""),
        "region": row.context.get("region_name", ""),
        "booth": row.context.get("booth_name", ""),
        "expires_at": row.expires_at,
    }


class PhoneVerifyView(SignInRequiredKeepingPostMixin, View):
    """send | verify, from the profile page."""

    def post(self, request):
        profile = services.profile_ensure(user=request.user)
        try:
            if request.POST.get("do") == "verify":
                form = CodeForm(request.POST)
                if not form.is_valid():
                    raise DomainError(_("Isi kode 6 angka."))
                throttle(request, "one_time_code", account=request.user.pk)
                services.phone_verify(
                    actor=request.user, profile=profile, code=form.cleaned_data["code"]
                )
                messages.success(request, _("Nomor HP terverifikasi."))
            else:
                throttle(request, "verification_send", account=request.user.pk)
                services.phone_verification_send(
                    actor=request.user, profile=profile, channel=request.POST.get("channel")
                )
                messages.success(request, _("Kode dikirim ke nomor HP Anda. Berlaku 10 menit."))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect(reverse("citizens:profile") + "#hp")


class NikDukcapilView(SignInRequiredKeepingPostMixin, View):
    def post(self, request):
        profile = services.profile_ensure(user=request.user)
        try:
            services.nik_verify_dukcapil(actor=request.user, profile=profile)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("NIK terverifikasi dengan data kependudukan."))
        return redirect(reverse("citizens:profile") + "#nik")


class NikDisputeView(SignInRequiredKeepingPostMixin, View):
    template_name = "citizens/nik_dispute.html"

    def get(self, request):
        profile = services.profile_ensure(user=request.user)
        dispute = services.open_dispute_for(profile)
        return render(request, self.template_name, {"form": DisputeForm(), "dispute": dispute})

    def post(self, request):
        profile = services.profile_ensure(user=request.user)
        form = DisputeForm(request.POST)
        if form.is_valid():
            try:
                services.nik_dispute_open(
                    actor=request.user, claimant=profile, nik=form.cleaned_data["nik"]
                )
            except ValidationError as exc:
                for errors in exc.message_dict.values():
                    for error in errors:
                        form.add_error("nik", error)
            except DomainError as exc:
                form.add_error("nik", exc.message)
            else:
                messages.success(
                    request,
                    _(
                        "Sengketa NIK tercatat. Datang ke loket MPP mana pun dengan KTP-el asli "
                        "untuk menyelesaikannya."
                    ),
                )
                return redirect("citizens:profile")
        dispute = services.open_dispute_for(profile)
        return render(request, self.template_name, {"form": form, "dispute": dispute}, status=400)


class MyDataView(SignInRequiredKeepingPostMixin, View):
    """ "Data saya": download everything, or delete the account (retention rules first)."""

    template_name = "citizens/my_data.html"

    def _render(self, request, form, status=200):
        profile = services.profile_ensure(user=request.user)
        return render(
            request,
            self.template_name,
            {"plan": retention_plan(profile), "form": form},
            status=status,
        )

    def get(self, request):
        return self._render(request, DeleteAccountForm())

    def post(self, request):
        form = DeleteAccountForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        profile = services.profile_ensure(user=request.user)
        try:
            citizen_account_delete(
                user=request.user, profile=profile, password=form.cleaned_data["password"]
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            return self._render(request, form, status=exc.status_code)
        logout(request)
        messages.success(request, _("Akun Anda sudah dihapus."))
        return redirect("home")


class DataExportView(SignInRequiredKeepingPostMixin, View):
    def get(self, request):
        profile = services.profile_ensure(user=request.user)
        archive = citizen_data_export(user=request.user, profile=profile)
        response = HttpResponse(archive, content_type="application/zip")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="data-saya-mpp-{stamp}.zip"'
        response["Cache-Control"] = "private, no-store"
        return response


class PasswordResetPhoneView(_PublicPage, View):
    """Citizens without e-mail: a code to the phone number they sign in with."""

    template_name = "accounts/password_reset_phone.html"

    def get(self, request):
        return render(request, self.template_name, {"form": PhoneForm()})

    def post(self, request):
        form = PhoneForm(request.POST)
        if form.is_valid():
            try:
                throttle(request, "password_reset", account=account_key(form.cleaned_data["phone"]))
                services.password_reset_by_phone_send(phone=form.cleaned_data["phone"])
            except ValidationError as exc:
                form.add_error("phone", exc.message_dict.get("phone", exc.messages))
            except DomainError as exc:
                form.add_error("phone", exc.message)
            else:
                request.session[PHONE_RESET_SESSION_KEY] = form.cleaned_data["phone"]
                return redirect("accounts:password_reset_phone_code")
        return render(request, self.template_name, {"form": form}, status=400)


class PasswordResetPhoneCodeView(_PublicPage, View):
    template_name = "accounts/password_reset_phone_code.html"

    def _phone(self, request) -> str | None:
        return request.session.get(PHONE_RESET_SESSION_KEY)

    def get(self, request):
        if not self._phone(request):
            return redirect("accounts:password_reset_phone")
        return render(request, self.template_name, {"form": PhoneResetForm()})

    def post(self, request):
        phone = self._phone(request)
        if not phone:
            return redirect("accounts:password_reset_phone")
        form = PhoneResetForm(request.POST)
        if form.is_valid():
            try:
                throttle(request, "one_time_code", account=account_key(phone))
                user = services.password_reset_by_phone(
                    phone=phone,
                    code=form.cleaned_data["code"],
                    password=form.cleaned_data["password1"],
                )
            except ValidationError as exc:
                for error in exc.message_dict.get("password", exc.messages):
                    form.add_error("password1", error)
            except DomainError as exc:
                form.add_error("code", exc.message)
            else:
                # Every app signed in with the old password is signed out too.
                password_reset_completed(user=user)
                request.session.pop(PHONE_RESET_SESSION_KEY, None)
                messages.success(request, _("Kata sandi baru tersimpan. Silakan masuk."))
                return redirect("accounts:login")
        return render(request, self.template_name, {"form": form}, status=400)
