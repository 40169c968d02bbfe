"""The provider's delivery-status callback (national site; the provider signs each call)."""

import hashlib
import hmac

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import AuthenticationFailed, NotFound
from rest_framework.response import Response

from shared.access.api import PublicAPIView
from shared.access.policy import Host
from shared.messaging.gateway import delivery_status_record
from shared.messaging.models import ProviderMessage


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
