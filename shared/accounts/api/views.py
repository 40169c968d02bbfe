from django.contrib.auth import authenticate
from django.contrib.auth.models import update_last_login
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from kernel.errors import DomainError
from shared.access.api import CitizenAPI, PublicAPI, RegionalAPIMixin
from shared.access.policy import Host
from shared.accounts import services
from shared.accounts.api.serializers import (
    ApiTokenSerializer,
    MeSerializer,
    RegionMemberSerializer,
    SignInResultSerializer,
    SignInSerializer,
)
from shared.accounts.models import ADMIN_ROLES, ApiToken, Membership, User
from shared.accounts.selectors import contact_verified, has_second_factor, requires_second_factor
from shared.accounts.throttling import lockout_message


class _CitizenAnyHost(CitizenAPI):
    host = Host.ANY


class MeView(_CitizenAnyHost, generics.RetrieveAPIView):
    """The signed-in user with their memberships: the same answer on every host."""

    serializer_class = MeSerializer

    def get_object(self):
        return User.objects.prefetch_related("memberships__region").get(pk=self.request.user.pk)


@extend_schema(tags=["region-admin"])
class RegionMemberListView(RegionalAPIMixin, generics.ListAPIView):
    """Staff of this region. DPMPTSP admins only; another region's admin gets 404."""

    serializer_class = RegionMemberSerializer
    allowed_roles = ADMIN_ROLES

    def get_queryset(self):
        return Membership.objects.filter(region=self.region).select_related("user").order_by("id")


class SignInRefused(DomainError):
    status_code = status.HTTP_400_BAD_REQUEST


class SignInForbidden(DomainError):
    status_code = status.HTTP_403_FORBIDDEN


class SignInLocked(DomainError):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    code = "locked_out"


@extend_schema(tags=["auth"])
class SignInAPIView(PublicAPI, APIView):
    """Sign a mobile app in: e-mail or phone plus password, plus the second factor for officials.

    Answers a token (shown once; only its hash is stored) that expires, is listed under "my
    devices" and ends with a password change, a reset or a deactivation. Failures are counted
    by django-axes with the website's sign-in, per account and per address, on every host.
    """

    host = Host.ANY
    authentication_classes: list = []  # the credentials are in the body: no session, no CSRF

    @extend_schema(request=SignInSerializer, responses={200: SignInResultSerializer})
    def post(self, request):
        serializer = SignInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        django_request = request._request  # axes marks lockouts on Django's request
        user = authenticate(django_request, username=data["username"], password=data["password"])
        if user is None:
            if getattr(django_request, "axes_locked_out", False):
                raise SignInLocked(lockout_message())
            raise SignInRefused(
                _("Email/nomor HP atau kata sandi salah. Periksa kembali lalu coba lagi."),
                code="invalid_credentials",
            )
        if requires_second_factor(user):
            self._second_factor(django_request, user, data.get("otp_code") or "")
        if not contact_verified(user):
            raise SignInForbidden(
                _(
                    "Verifikasi email atau nomor HP Anda terlebih dahulu (tautan atau kode yang "
                    "kami kirim saat pendaftaran), lalu masuk kembali."
                ),
                code="contact_unverified",
            )
        token, raw = services.api_token_issue(user=user, device_name=data.get("device_name", ""))
        update_last_login(User, user)
        body = {
            "token": raw,
            "expiry": token.expiry,
            "user": User.objects.prefetch_related("memberships__region").get(pk=user.pk),
        }
        return Response(SignInResultSerializer(body).data)

    @staticmethod
    def _second_factor(django_request, user, code: str) -> None:
        if not has_second_factor(user):
            raise SignInForbidden(
                _(
                    "Akun petugas ini wajib verifikasi dua langkah. Aktifkan dulu lewat situs "
                    "MPP Digital, lalu masuk dari aplikasi."
                ),
                code="second_factor_enrolment_required",
            )
        if not code.strip():
            raise SignInRefused(
                _("Masukkan kode verifikasi dari aplikasi autentikator."),
                code="second_factor_required",
            )
        if services.second_factor_check(request=django_request, user=user, code=code) is None:
            raise SignInRefused(_("Kode verifikasi tidak cocok."), code="second_factor_invalid")


@extend_schema(tags=["auth"])
class SignOutAPIView(_CitizenAnyHost, APIView):
    """Sign this device out: its token stops working now."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        if isinstance(request.auth, ApiToken):
            services.api_token_revoke(actor=request.user, token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["auth"])
class ApiTokenListView(_CitizenAnyHost, generics.ListAPIView):
    """My devices: every app signed in to this account."""

    serializer_class = ApiTokenSerializer
    pagination_class = None

    def get_queryset(self):
        return ApiToken.objects.filter(user=self.request.user).order_by("-created")


@extend_schema(tags=["auth"])
class ApiTokenDetailView(_CitizenAnyHost, APIView):
    """Sign one of my devices out. Another account's device does not exist here (404)."""

    @extend_schema(responses={204: None})
    def delete(self, request, token_id: str):
        token = (
            ApiToken.objects.filter(user=request.user, token_key__startswith=token_id).first()
            if len(token_id) == 8
            else None
        )
        if token is None:
            raise NotFound(_("Tidak ditemukan."))
        services.api_token_revoke(actor=request.user, token=token)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["auth"])
class ApiTokenRevokeAllView(_CitizenAnyHost, APIView):
    """Sign every device of my account out."""

    @extend_schema(request=None, responses={200: None})
    def post(self, request):
        count = services.api_tokens_revoke_all(
            user=request.user, actor=request.user, reason="user_request"
        )
        return Response({"revoked": count})
