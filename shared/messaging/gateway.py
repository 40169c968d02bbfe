"""A real WhatsApp/SMS gateway over HTTP, for any provider that speaks this small contract.

Provider contract (a local fake in tests/shared/messaging plays it):

- ``POST {MPP_MESSAGING_URL}/v1/messages`` with ``Authorization: Bearer {MPP_MESSAGING_TOKEN}`` and
  JSON ``{"to": "+62…", "channel": "whatsapp"|"sms", "text": "…", "client_ref": "<our id>",
  "callback_url": "…"}``. ``200/201/202 {"id": "<provider id>"}``: accepted. ``429``, ``5xx``, a
  timeout or a refused connection: try again later (the same ``client_ref``, so a provider
  deduplicates). Any other ``4xx``: refused for good.
- Delivery status: the provider POSTs ``{"id": "<provider id>", "status": "delivered"|"read"|
  "failed", "error": "…"}`` to ``callback_url`` with ``X-Provider-Signature: <hex HMAC-SHA256 of
  the body with MPP_MESSAGING_CALLBACK_SECRET>``.

``send`` only records the message (inside the caller's transaction, like the outbox gateway);
a Celery task relays it after commit, so no web request waits for the provider.
"""

from __future__ import annotations

import logging

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kernel.routing import national_url
from shared.citizens.messaging import OutboxGateway
from shared.citizens.models import OutboxMessage
from shared.messaging.models import ProviderMessage
from shared.outbox.services import task_enqueue

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


class HttpGateway(OutboxGateway):
    """The shipped gateway's outbox row, then relayed to the provider by a task."""

    name = "http"

    def send(self, **kwargs) -> OutboxMessage:
        message = super().send(**kwargs)
        ProviderMessage.objects.create(outbox=message)
        # Through the transactional outbox: sent after commit, kept if the broker is down.
        task_enqueue("messaging.relay", kwargs={"message_id": message.pk})
        return message


def _backoff(attempt: int) -> int:
    return min(settings.MPP_MESSAGING_RETRY_BASE_SECONDS * 4 ** (attempt - 1), 3600)


def message_relay(*, message_id: int) -> int | None:
    """Hand one message to the provider. Returns seconds until a retry, or None when done."""
    record = ProviderMessage.objects.select_related("outbox").get(outbox_id=message_id)
    if record.state != ProviderMessage.State.QUEUED:
        return None  # already accepted (a duplicate task) or given up
    message = record.outbox
    error = ""
    retry = False
    try:
        response = requests.post(
            settings.MPP_MESSAGING_URL.rstrip("/") + "/v1/messages",
            json={
                "to": message.recipient,
                "channel": message.channel,
                "text": message.body,
                "client_ref": str(message.pk),
                "callback_url": national_url("/api/v1/messaging/status/"),
            },
            headers={"Authorization": f"Bearer {settings.MPP_MESSAGING_TOKEN}"},
            timeout=(3, settings.MPP_MESSAGING_TIMEOUT),
        )
    except requests.RequestException as exc:
        error, retry = f"{type(exc).__name__}", True
    else:
        if response.status_code in (200, 201, 202):
            provider_id = str((response.json() or {}).get("id", ""))[:100] or None
            record.provider_id = provider_id
            record.state = ProviderMessage.State.ACCEPTED
            record.attempts += 1
            record.last_error = ""
            record.save()
            OutboxMessage.objects.filter(pk=message.pk).update(
                status=OutboxMessage.Status.SENT, sent_at=timezone.now(), error=""
            )
            return None
        error = f"HTTP {response.status_code}: {response.text[:200]}"
        retry = response.status_code == 429 or response.status_code >= 500
    record.attempts += 1
    record.last_error = error[:300]
    logger.warning("message %s not accepted by the provider: %s", message.pk, error)
    if retry and record.attempts < MAX_ATTEMPTS:
        record.save()
        OutboxMessage.objects.filter(pk=message.pk).update(error=error[:300])
        return _backoff(record.attempts)
    record.state = ProviderMessage.State.FAILED
    record.save()
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.FAILED, error=error[:300]
    )
    return None


def delivery_status_record(*, provider_id: str, status: str, error: str = "") -> ProviderMessage:
    """Apply a provider's delivery-status callback. A duplicate or late callback never moves a
    message backwards (delivered after read stays read)."""
    order: list[str] = [
        ProviderMessage.State.QUEUED,
        ProviderMessage.State.ACCEPTED,
        ProviderMessage.State.DELIVERED,
        ProviderMessage.State.READ,
    ]
    with transaction.atomic():
        record = ProviderMessage.objects.select_for_update().get(provider_id=provider_id)
        if status == ProviderMessage.State.FAILED:
            if record.state not in (ProviderMessage.State.DELIVERED, ProviderMessage.State.READ):
                record.state = ProviderMessage.State.FAILED
                record.last_error = error[:300]
                record.save()
                OutboxMessage.objects.filter(pk=record.outbox_id).update(
                    status=OutboxMessage.Status.FAILED, error=error[:300]
                )
        elif record.state in order and order.index(status) > order.index(record.state):  # type: ignore[arg-type]
            record.state = status
            record.save()
    return record
