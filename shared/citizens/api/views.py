"""The citizen's API (``/api/v1/citizen/…``) for the mobile app: the same operations as the
pages, on the national host and every region's host."""

from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from shared.access.api import CitizenAPI, PublicAPI
from shared.access.policy import Host
from shared.accounts.throttling import PlatformThrottle
from shared.citizens import selectors, services
from shared.citizens.api.serializers import (
    AccessLogSerializer,
    ApplicationIndexSerializer,
    ClaimSerializer,
    DocumentSerializer,
    DocumentUploadSerializer,
    ProfileSerializer,
    ProfileUpdateSerializer,
    SignUpSerializer,
    VerifyEmailSerializer,
)
from shared.citizens.downloads import document_response


class _CitizenAnyHost(CitizenAPI):
    host = Host.ANY


class _PublicAnyHost(PublicAPI):
    host = Host.ANY


def _site_slug(request):
    region = getattr(request, "region", None)
    return region.slug if region is not None else None


@extend_schema(tags=["citizen"])
class SignUpAPIView(_PublicAnyHost, APIView):
    """Create a citizen account (email or phone + password). No token yet: the app signs in
    (``auth/sign-in/``) once the e-mail or phone is verified, so nobody can hold a session on
    an address that is not theirs. Throttled per address."""

    throttle_classes = [PlatformThrottle]
    throttle_scope = "sign_up"

    @extend_schema(request=SignUpSerializer, responses={201: ProfileSerializer})
    def post(self, request):
        serializer = SignUpSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with transaction.atomic():
            user = services.citizen_sign_up(
                email=data.get("email") or None,
                phone=data.get("phone") or None,
                password=data["password"],
                full_name=data["full_name"],
                site_slug=_site_slug(request),
            )
        body = ProfileSerializer(user.citizen_profile).data | {
            "detail": _("Akun dibuat. Verifikasi email atau nomor HP Anda, lalu masuk.")
        }
        return Response(body, status=status.HTTP_201_CREATED)


@extend_schema(tags=["citizen"])
class VerifyEmailAPIView(_PublicAnyHost, APIView):
    throttle_classes = [PlatformThrottle]
    throttle_scope = "one_time_code"

    @extend_schema(request=VerifyEmailSerializer, responses={200: None})
    def post(self, request):
        serializer = VerifyEmailSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.email_verify(token=serializer.validated_data["token"])
        return Response({"detail": _("Email terverifikasi.")})


@extend_schema(tags=["citizen"])
class ProfileAPIView(_CitizenAnyHost, APIView):
    @extend_schema(responses=ProfileSerializer)
    def get(self, request):
        return Response(ProfileSerializer(services.profile_ensure(user=request.user)).data)

    @extend_schema(request=ProfileUpdateSerializer, responses=ProfileSerializer)
    def patch(self, request):
        serializer = ProfileUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        profile = services.profile_ensure(user=request.user)
        services.profile_update(
            actor=request.user, profile=profile, data=dict(serializer.validated_data)
        )
        return Response(ProfileSerializer(profile).data)


@extend_schema(tags=["citizen"])
class DocumentListAPIView(_CitizenAnyHost, generics.ListAPIView):
    serializer_class = DocumentSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        return selectors.vault_documents(services.profile_ensure(user=self.request.user))

    @extend_schema(request={"multipart/form-data": DocumentUploadSerializer})
    def post(self, request):
        serializer = DocumentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document = services.document_upload(
            actor=request.user,
            profile=services.profile_ensure(user=request.user),
            document_type=serializer.validated_data["document_type"],
            upload=serializer.validated_data["file"],
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class _OwnDocumentMixin:
    request: Any

    def own_document(self, document_id):
        profile = selectors.profile_for(self.request.user)
        document = selectors.document_of(profile, document_id) if profile else None
        if document is None:
            raise NotFound(_("Tidak ditemukan."))
        return document


@extend_schema(tags=["citizen"])
class DocumentDetailAPIView(_CitizenAnyHost, _OwnDocumentMixin, APIView):
    @extend_schema(responses=DocumentSerializer)
    def get(self, request, document_id: int):
        return Response(DocumentSerializer(self.own_document(document_id)).data)

    @extend_schema(responses={204: None})
    def delete(self, request, document_id: int):
        services.document_archive(actor=request.user, document=self.own_document(document_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["citizen"], responses={(200, "application/octet-stream"): bytes})
class DocumentFileAPIView(_CitizenAnyHost, _OwnDocumentMixin, APIView):
    def get(self, request, document_id: int):
        try:
            document = self.own_document(document_id)
        except NotFound as exc:
            raise Http404 from exc
        return document_response(document)


@extend_schema(tags=["citizen"])
class MyApplicationsAPIView(_CitizenAnyHost, generics.ListAPIView):
    """Every application of the citizen in every region (from the public index)."""

    serializer_class = ApplicationIndexSerializer

    def get_queryset(self):
        return selectors.applications_of(services.profile_ensure(user=self.request.user))


@extend_schema(tags=["citizen"])
class ClaimAPIView(_CitizenAnyHost, APIView):
    throttle_classes = [PlatformThrottle]
    throttle_scope = "claim_code"

    @staticmethod
    def throttle_account(request):
        return request.user.pk

    @extend_schema(request=ClaimSerializer, responses=ApplicationIndexSerializer)
    def post(self, request):
        serializer = ClaimSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = services.application_claim(user=request.user, **serializer.validated_data)
        return Response(ApplicationIndexSerializer(row).data)


@extend_schema(tags=["citizen"])
class AccessLogAPIView(_CitizenAnyHost, generics.ListAPIView):
    serializer_class = AccessLogSerializer

    def get_queryset(self):
        return selectors.access_log_of(services.profile_ensure(user=self.request.user))
