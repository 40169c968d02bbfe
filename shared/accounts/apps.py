from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "shared.accounts"
    label = "accounts"
    verbose_name = "Akun"

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib import admin
        from django_otp.admin import OTPAdminSite

        # Belt and braces beside the middleware: the admin itself refuses a session without
        # the second factor (django-otp's documented way to protect the default site).
        admin.site.__class__ = OTPAdminSite
        user_locked_out.connect(_locked_out, dispatch_uid="accounts.locked_out")


def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    from shared.accounts.throttling import on_locked_out

    if request is not None:
        on_locked_out(request=request, username=username, ip_address=ip_address)
