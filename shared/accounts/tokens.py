"""API tokens for the mobile app (django-rest-knox): hashed, expiring, listable, revocable.

Plain DRF tokens are retired: they never expired, were stored in plain text and survived a
password reset. A token here is checked against the user's current password (``auth_hash``) and
active flag on every request, so a password change, a reset or a deactivation ends it.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication
from rest_framework import exceptions

from shared.accounts.models import ApiToken

# A write per request would be wasteful: "last used" is precise to a few minutes.
_LAST_USED_PRECISION_SECONDS = 300


class TokenEnded(exceptions.AuthenticationFailed):
    default_detail = _("Sesi aplikasi ini sudah berakhir. Silakan masuk kembali.")


class ApiTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <token>``. Refuses (and deletes) a token whose owner changed the
    password or was deactivated since it was issued."""

    def validate_user(self, auth_token: ApiToken):
        user = auth_token.user
        if not user.is_active or not constant_time_compare(
            auth_token.auth_hash, user.get_session_auth_hash()
        ):
            auth_token.delete()
            raise TokenEnded
        now = timezone.now()
        last = auth_token.last_used_at
        if last is None or (now - last).total_seconds() > _LAST_USED_PRECISION_SECONDS:
            ApiToken.objects.filter(pk=auth_token.pk).update(last_used_at=now)
        return super().validate_user(auth_token)

    def authenticate_credentials(self, token: bytes):
        try:
            return super().authenticate_credentials(token)
        except TokenEnded:
            raise
        except exceptions.AuthenticationFailed as exc:
            raise exceptions.AuthenticationFailed(
                _("Token tidak valid atau sudah kedaluwarsa. Silakan masuk kembali.")
            ) from exc


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes the token header."""

    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=self.target.authenticate_header(None)
        )
