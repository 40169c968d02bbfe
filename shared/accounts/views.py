from base64 import b32encode
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from shared.access.pages import CitizenRequiredMixin, PublicPageMixin
from shared.access.policy import Host
from shared.accounts import services
from shared.accounts.forms import SecondFactorForm, SignInForm
from shared.accounts.selectors import (
    api_token_of,
    api_tokens_of,
    has_second_factor,
    requires_second_factor,
)
from shared.accounts.throttling import ThrottledError, account_key, throttle


def _next(request: HttpRequest, default: str = "/") -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _second_factor_url(user, next_url: str) -> str:
    name = "accounts:second_factor" if has_second_factor(user) else "accounts:second_factor_enrol"
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


class _AccountPage(PublicPageMixin):
    """Signing in and out, and resetting a password: everyone, on every host."""

    host = Host.ANY


class SignInView(_AccountPage, auth_views.LoginView):
    """Step one for everyone (throttled by django-axes); officials go on to the second factor."""

    form_class = SignInForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        if requires_second_factor(user):
            return redirect(_second_factor_url(user, self.get_success_url()))
        return response


class SignOutView(_AccountPage, auth_views.LogoutView):
    pass


def admin_sign_in(request: HttpRequest) -> HttpResponse:
    """The Django admin signs in through the one sign-in page (throttled, second factor)."""
    return redirect(f"{reverse('accounts:login')}?{urlencode({'next': _next(request, '/admin/')})}")


class PasswordResetView(_AccountPage, auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        try:
            email = account_key(form.cleaned_data["email"])
            throttle(self.request, "password_reset", account=email)
        except ThrottledError as exc:
            form.add_error(None, exc.message)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


class PasswordResetDoneView(_AccountPage, auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(_AccountPage, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_reset_completed(user=form.user)
        return response


class PasswordResetCompleteView(_AccountPage, auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


# --- second factor ------------------------------------------------------------------------------


class _OfficialView(CitizenRequiredMixin, View):
    """Second-factor pages: any signed-in account passes the gate (on every host); then only
    officials find something here (others have nothing to enrol: 404)."""

    host = Host.ANY

    def dispatch(self, request, *args, **kwargs):
        if not requires_second_factor(request.user):
            raise Http404(_("Tidak ditemukan."))
        return super().dispatch(request, *args, **kwargs)


class SecondFactorView(_OfficialView):
    """Step two of an official's sign-in: a code from the authenticator app, or a recovery code."""

    template_name = "accounts/second_factor.html"

    def get(self, request):
        if not has_second_factor(request.user):
            return redirect(_second_factor_url(request.user, _next(request)))
        if request.user.is_verified():
            return redirect(_next(request))
        return self._render(SecondFactorForm())

    def post(self, request):
        if not has_second_factor(request.user):
            return redirect(_second_factor_url(request.user, _next(request)))
        form = SecondFactorForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                ok = services.second_factor_verify(request=request, code=form.cleaned_data["code"])
            except ThrottledError as exc:
                form.add_error(None, exc.message)
                status = 429
            else:
                if ok:
                    return redirect(_next(request))
                form.add_error(
                    "code",
                    _("Kode tidak cocok. Masukkan kode 6 angka yang sedang tampil di aplikasi."),
                )
        return self._render(form, status=status)

    def _render(self, form, status=200):
        return render(
            self.request,
            self.template_name,
            {"form": form, "next": _next(self.request)},
            status=status,
        )


class SecondFactorEnrolView(_OfficialView):
    """Enrol an authenticator app: scan the QR code (or type the secret), confirm with a code.

    An official who already has one must pass it first (a stolen password alone must not be
    able to swap the authenticator).
    """

    template_name = "accounts/second_factor_enrol.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and has_second_factor(user) and not user.is_verified():
            return redirect(_second_factor_url(user, _next(request)))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        device = services.totp_enrolment_start(user=request.user)
        return self._render(device, SecondFactorForm())

    def post(self, request):
        device = services.pending_totp_device(user=request.user)
        if device is None:
            return redirect(request.get_full_path())
        form = SecondFactorForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                codes = services.totp_enrolment_confirm(
                    request=request, device=device, code=form.cleaned_data["code"]
                )
            except ThrottledError as exc:
                form.add_error(None, exc.message)
                status = 429
            else:
                if codes is not None:
                    return render(
                        request,
                        "accounts/second_factor_codes.html",
                        {"codes": codes, "next": _next(request), "enrolled": True},
                    )
                form.add_error(
                    "code",
                    _(
                        "Kode tidak cocok. Periksa jam ponsel Anda, lalu masukkan kode yang "
                        "terbaru."
                    ),
                )
        return self._render(device, form, status=status)

    def _render(self, device, form, status=200):
        secret = b32encode(device.bin_key).decode()
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "next": _next(self.request),
                "qr_svg": _qr_svg(device.config_url),
                "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
                "replacing": has_second_factor(self.request.user),
            },
            status=status,
        )


def _qr_svg(data: str) -> SafeString:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    # Generated by qrcode from our own otpauth URL: no user-controlled markup.
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308


class SecondFactorManageView(_OfficialView):
    """The official's own second factor: recovery codes left, new codes, a new phone."""

    template_name = "accounts/second_factor_manage.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not user.is_verified():
            return redirect(_second_factor_url(user, request.get_full_path()))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return render(
            request,
            self.template_name,
            {
                "enrolled": has_second_factor(request.user),
                "codes_left": services.recovery_codes_left(user=request.user),
            },
        )

    def post(self, request):
        codes = services.recovery_codes_regenerate(actor=request.user)
        messages.success(request, _("Kode pemulihan baru dibuat; kode lama tidak berlaku lagi."))
        return render(
            request,
            "accounts/second_factor_codes.html",
            {"codes": codes, "next": reverse("accounts:second_factor_manage"), "enrolled": False},
        )


# --- my devices (API tokens of the mobile app) ------------------------------------------------


class DevicesView(CitizenRequiredMixin, View):
    """ "Perangkat saya": the apps signed in to this account (citizen or official), on every
    host, and signing one or all of them out. Only the account's own devices exist here."""

    host = Host.ANY
    template_name = "accounts/devices.html"

    def get(self, request):
        return render(request, self.template_name, {"devices": list(api_tokens_of(request.user))})


class DeviceSignOutView(CitizenRequiredMixin, View):
    host = Host.ANY

    def post(self, request, token_id: str):
        token = api_token_of(request.user, token_id)
        if token is None:
            raise Http404(_("Tidak ditemukan."))
        name = token.device_name or _("tanpa nama")
        services.api_token_revoke(actor=request.user, token=token)
        messages.success(
            request, _("Perangkat %(name)s sudah dikeluarkan dari akun Anda.") % {"name": name}
        )
        return redirect("accounts:devices")


class DevicesSignOutAllView(CitizenRequiredMixin, View):
    host = Host.ANY

    def post(self, request):
        count = services.api_tokens_revoke_all(
            user=request.user, actor=request.user, reason="user_request"
        )
        messages.success(
            request,
            ngettext(
                "%(n)d perangkat dikeluarkan dari akun Anda.",
                "%(n)d perangkat dikeluarkan dari akun Anda.",
                count,
            )
            % {"n": count},
        )
        return redirect("accounts:devices")
