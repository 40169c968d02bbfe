from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from shared.access.pages import PublicPageMixin
from shared.access.policy import Host
from shared.accounts.forms import SignInForm


class _AccountPage(PublicPageMixin):
    """Signing in and out, and resetting a password: everyone, on every host."""

    host = Host.ANY


class SignInView(_AccountPage, auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class SignOutView(_AccountPage, auth_views.LogoutView):
    pass


class PasswordResetView(_AccountPage, auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(_AccountPage, auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(_AccountPage, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(_AccountPage, auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
