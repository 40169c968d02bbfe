from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "shared.accounts"
    label = "accounts"
    verbose_name = "Akun"

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib import admin
        from django.contrib.auth.signals import user_logged_in
        from django_otp.admin import OTPAdminSite

        # Belt and braces beside the middleware: the admin itself refuses a session without
        # the second factor (django-otp's documented way to protect the default site).
        admin.site.__class__ = OTPAdminSite
        user_locked_out.connect(_locked_out, dispatch_uid="accounts.locked_out")
        user_logged_in.connect(_logged_in, dispatch_uid="accounts.session_roles")


def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    from shared.accounts.throttling import on_locked_out

    if request is not None:
        on_locked_out(request=request, username=username, ip_address=ip_address)


def _logged_in(sender, request=None, user=None, **kwargs) -> None:
    import time

    from shared.accounts.middleware import SEEN_KEY, remember_roles

    if request is not None and hasattr(request, "session") and user is not None:
        remember_roles(request, user)
        request.session[SEEN_KEY] = time.time()
