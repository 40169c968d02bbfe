"""The provider's delivery-status callback (national site; the provider signs each call)."""

import hashlib
import hmac

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import AuthenticationFailed, NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from shared.access.api import CitizenAPI, PublicAPIView
from shared.access.policy import Host
from shared.messaging.gateway import delivery_status_record
from shared.messaging.models import ChannelPreference, ProviderMessage
from shared.messaging.services import channel_preference_set, language_preference_set


class StatusCallbackSerializer(serializers.Serializer):
    id = serializers.CharField(max_length=100)
    status = serializers.ChoiceField(
        choices=[
            ProviderMessage.State.DELIVERED,
            ProviderMessage.State.READ,
            ProviderMessage.State.FAILED,
        ]
    )
    error = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


@extend_schema(
    tags=["messaging"],
    request=StatusCallbackSerializer,
    responses=inline_serializer("StatusCallbackAnswer", {"state": serializers.CharField()}),
)
class DeliveryStatusCallback(PublicAPIView):
    """``POST /api/v1/messaging/status/``: the provider reports what happened to a message."""

    host = Host.NATIONAL
    authentication_classes: list = []  # the provider's HMAC signature is the credential

    def post(self, request):
        secret = settings.MPP_MESSAGING_CALLBACK_SECRET
        given = request.headers.get("X-Provider-Signature", "")
        expected = hmac.new(secret.encode(), request.body, hashlib.sha256).hexdigest()
        if not secret or not hmac.compare_digest(given, expected):
            raise AuthenticationFailed(_("Tanda tangan penyedia tidak sah."))
        data = StatusCallbackSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            record = delivery_status_record(
                provider_id=data.validated_data["id"],
                status=data.validated_data["status"],
                error=data.validated_data["error"],
            )
        except ProviderMessage.DoesNotExist as exc:
            raise NotFound(_("Pesan tidak dikenal.")) from exc
        return Response({"state": record.state})


class ChannelPreferenceSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=ChannelPreference.Channel.choices, allow_null=True)


@extend_schema(tags=["account"], responses=ChannelPreferenceSerializer)
class ChannelPreferenceView(CitizenAPI, APIView):
    """``/api/v1/me/notification-channel/``: how this account wants to be told (null: every
    channel it has). The same on every site."""

    host = Host.ANY

    def get(self, request):
        chosen = (
            ChannelPreference.objects.filter(user=request.user)
            .values_list("channel", flat=True)
            .first()
        )
        return Response({"channel": chosen or None})

    @extend_schema(request=ChannelPreferenceSerializer)
    def put(self, request):
        data = ChannelPreferenceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        channel = channel_preference_set(actor=request.user, channel=data.validated_data["channel"])
        return Response({"channel": channel})


class LanguagePreferenceSerializer(serializers.Serializer):
    language = serializers.ChoiceField(choices=ChannelPreference.Language.choices)


@extend_schema(tags=["account"], responses=LanguagePreferenceSerializer)
class LanguagePreferenceView(CitizenAPI, APIView):
    """``/api/v1/me/message-language/``: the language of this account's WhatsApp, SMS and
    e-mail messages (``id`` or ``en``; ``id`` until chosen). The same on every site."""

    host = Host.ANY

    def get(self, request):
        chosen = (
            ChannelPreference.objects.filter(user=request.user)
            .values_list("language", flat=True)
            .first()
        )
        return Response({"language": chosen or ChannelPreference.Language.INDONESIAN})

    @extend_schema(request=LanguagePreferenceSerializer)
    def put(self, request):
        data = LanguagePreferenceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        language = language_preference_set(
            actor=request.user, language=data.validated_data["language"]
        )
        return Response({"language": language})
