"""The HTTP WhatsApp/SMS gateway against a local HTTP server that plays the provider: accepted,
failed and retried, refused for good, timed out, and delivery-status callbacks (signed,
malformed, duplicate, unknown)."""

import hashlib
import hmac
import json

from shared.citizens.messaging import MessagingGateway
from shared.citizens.models import OutboxMessage
from shared.messaging.gateway import HttpGateway
from shared.messaging.models import ProviderMessage
from tests.shared.messaging.conftest import SECRET, TOKEN


def _send(callbacks, **kwargs):
    with callbacks(execute=True):
        return HttpGateway().send(to="0812-3456-7890", body="Booking Anda: 2 Des 09.00", **kwargs)


def test_it_implements_the_gateway_contract():
    assert isinstance(HttpGateway(), MessagingGateway)


def test_a_message_is_handed_to_the_provider_after_commit(
    db, provider, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as pending:
        message = HttpGateway().send(to="0812-3456-7890", body="Halo", reference="B-1")
    assert provider.received == []  # nothing leaves inside the transaction
    for callback in pending:
        callback()
    (call,) = provider.received
    assert call["auth"] == f"Bearer {TOKEN}"
    assert call["to"] == "+6281234567890"
    assert call["channel"] == "whatsapp"
    assert call["client_ref"] == str(message.pk)
    assert call["callback_url"].endswith("/api/v1/messaging/status/")
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.provider.state == ProviderMessage.State.ACCEPTED
    assert message.provider.provider_id == "wa-1"


def test_a_failing_provider_is_retried_then_accepts(
    db, provider, django_capture_on_commit_callbacks
):
    provider.answers = [503, 429]
    message = _send(django_capture_on_commit_callbacks)
    assert len(provider.received) == 3
    assert {c["client_ref"] for c in provider.received} == {str(message.pk)}  # dedupable
    record = ProviderMessage.objects.get(outbox=message)
    assert (record.state, record.attempts, record.provider_id) == ("accepted", 3, "wa-3")


def test_a_provider_that_keeps_failing_leaves_the_message_failed(
    db, provider, django_capture_on_commit_callbacks
):
    provider.answers = [500] * 10
    message = _send(django_capture_on_commit_callbacks)
    message.refresh_from_db()
    assert len(provider.received) == 5
    assert message.status == OutboxMessage.Status.FAILED
    assert message.error.startswith("HTTP 500")


def test_a_refusal_is_not_retried(db, provider, django_capture_on_commit_callbacks):
    provider.answers = [422]
    message = _send(django_capture_on_commit_callbacks)
    message.refresh_from_db()
    assert len(provider.received) == 1
    assert message.status == OutboxMessage.Status.FAILED


def test_a_provider_that_times_out_is_retried(db, provider, django_capture_on_commit_callbacks):
    provider.delay = 1.0  # longer than the 0.5 s read timeout
    provider.answers = [202]
    message = _send(django_capture_on_commit_callbacks)
    record = ProviderMessage.objects.get(outbox=message)
    assert record.state == ProviderMessage.State.FAILED
    assert record.attempts == 5
    assert "Timeout" in record.last_error


def _callback(client, payload, secret=SECRET, raw=None):
    body = raw if raw is not None else json.dumps(payload).encode()
    signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return client.post(
        "/api/v1/messaging/status/",
        body,
        content_type="application/json",
        HTTP_X_PROVIDER_SIGNATURE=signature,
    )


def test_delivery_status_callbacks(
    db, provider, national_client, django_capture_on_commit_callbacks
):
    message = _send(django_capture_on_commit_callbacks)
    pid = ProviderMessage.objects.get(outbox=message).provider_id
    response = _callback(national_client, {"id": pid, "status": "delivered"})
    assert response.status_code == 200
    assert response.json() == {"state": "delivered"}
    # A duplicate is harmless; a late "delivered" after "read" does not move it backwards.
    assert _callback(national_client, {"id": pid, "status": "read"}).json() == {"state": "read"}
    assert _callback(national_client, {"id": pid, "status": "delivered"}).json() == {
        "state": "read"
    }
    assert ProviderMessage.objects.get(outbox=message).state == "read"


def test_bad_callbacks_are_refused(
    db, provider, national_client, client_a, django_capture_on_commit_callbacks
):
    message = _send(django_capture_on_commit_callbacks)
    pid = ProviderMessage.objects.get(outbox=message).provider_id
    forged = _callback(national_client, {"id": pid, "status": "failed"}, secret="tebakan")
    assert forged.status_code == 403  # no WWW-Authenticate scheme to offer: 403, not 401
    assert forged["Content-Type"].startswith("application/problem+json")
    malformed = _callback(national_client, None, raw=b"{not json")
    assert malformed.status_code == 400
    wrong_status = _callback(national_client, {"id": pid, "status": "meledak"})
    assert wrong_status.status_code == 400
    assert "status" in wrong_status.json()["errors"]
    unknown = _callback(national_client, {"id": "wa-999", "status": "delivered"})
    assert unknown.status_code == 404
    # The callback lives on the national site only.
    assert _callback(client_a, {"id": pid, "status": "delivered"}).status_code == 404
    assert ProviderMessage.objects.get(outbox=message).state == "accepted"


def test_a_failed_delivery_callback_marks_the_message_failed(
    db, provider, national_client, django_capture_on_commit_callbacks
):
    message = _send(django_capture_on_commit_callbacks)
    pid = ProviderMessage.objects.get(outbox=message).provider_id
    response = _callback(
        national_client, {"id": pid, "status": "failed", "error": "nomor tidak aktif"}
    )
    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert message.error == "nomor tidak aktif"


def test_relay_retries_back_off(db, provider, settings, django_capture_on_commit_callbacks):
    """Each refusal of a busy provider asks for a retry four times later, until the fifth
    attempt gives the message up; the relay task schedules each retry with that countdown."""
    from shared.messaging.gateway import message_relay

    settings.MPP_MESSAGING_RETRY_BASE_SECONDS = 30
    provider.answers = [503] * 10
    with django_capture_on_commit_callbacks(execute=False):  # relayed by hand below
        message = HttpGateway().send(to="0812-3456-7890", body="Halo")
    waits = [message_relay(message_id=message.pk) for _ in range(5)]
    assert waits == [30, 120, 480, 1920, None]
    assert len(provider.received) == 5
    assert message_relay(message_id=message.pk) is None  # failed for good: not sent again
    assert len(provider.received) == 5
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
