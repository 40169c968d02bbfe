"""The invitation a new DPMPTSP admin receives: a link to set their password on their region's
site (Django's password-reset token, valid for PASSWORD_RESET_TIMEOUT)."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from kernel.routing import region_url
from onboarding.models import Onboarding


def set_password_url(*, user, region) -> str:
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
        urlconf=settings.ROOT_URLCONF,
    )
    return region_url(region.slug, path)


def invitation_send(*, onboarding: Onboarding) -> None:
    user = onboarding.admin_user
    if user is None or not user.email:
        raise ValueError("an invitation needs the admin's account with an email address")
    region = onboarding.region
    context = {
        "user": user,
        "region": region,
        "site_url": region_url(region.slug, "/"),
        "sign_in_url": region_url(
            region.slug, reverse("accounts:login", urlconf=settings.ROOT_URLCONF)
        ),
        "set_password_url": (
            None if user.has_usable_password() else set_password_url(user=user, region=region)
        ),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("onboarding/email/invitation_subject.txt", context).strip()
        body = render_to_string("onboarding/email/invitation.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
