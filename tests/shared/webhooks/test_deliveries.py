"""Webhook deliveries against a real HTTP subscriber on 127.0.0.1: signature, retry with a log,
pause after repeated failure (owner told), region isolation, and payloads without personal data."""

import hashlib
import hmac
import json

import pytest
from django.core import mail

from shared.webhooks.models import Delivery, EventKind, Subscriber
from shared.webhooks.services import event_emit, subscriber_create, subscriber_resume
from shared.webhooks.signing import SIGNATURE_HEADER, sign, verify


def _emit(region, kind=EventKind.APPLICATION_SUBMITTED, subject_id=41, **data):
    return event_emit(
        kind=kind,
        region=region,
        subject_type="application",
        subject_id=subject_id,
        data={"number": "3510-2026-000041", "status": "submitted", **data},
    )


def test_delivery_is_signed_with_the_subscribers_secret(
    db, region_a, make_user, subscriber_server, eager_celery, django_capture_on_commit_callbacks
):
    admin = make_user(role="dpmptsp_admin", region=region_a)
    sub = subscriber_create(
        actor=admin, region=region_a.region, name="Portal", url=subscriber_server.url
    )
    with django_capture_on_commit_callbacks(execute=True):
        event = _emit(region_a.region)
    (request,) = subscriber_server.received
    headers, body = request["headers"], request["body"]
    assert verify(sub.secret, body, headers[SIGNATURE_HEADER])
    assert not verify("another-secret", body, headers[SIGNATURE_HEADER])
    assert not verify(
        sub.secret, body.replace(b"submitted", b"completed"), headers[SIGNATURE_HEADER]
    )
    # A captured signature does not verify ten minutes later (the timestamp is signed).
    timestamp = int(headers[SIGNATURE_HEADER].split(",")[0][2:])
    assert not verify(sub.secret, body, headers[SIGNATURE_HEADER], now=timestamp + 600)
    assert headers[SIGNATURE_HEADER] == sign(sub.secret, body, timestamp)
    # The documented scheme, computed here without the product's code (an integrator's view):
    # HMAC-SHA256 with the secret over "<t>." + body, so a replay with a fresh t fails.
    expected = hmac.new(sub.secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    assert headers[SIGNATURE_HEADER] == f"t={timestamp},v1={expected.hexdigest()}"
    fresh = headers[SIGNATURE_HEADER].replace(f"t={timestamp}", f"t={timestamp + 600}")
    assert not verify(sub.secret, body, fresh, now=timestamp + 600)
    payload = json.loads(body)
    assert payload["id"] == event.id
    assert payload["type"] == "application.submitted"
    assert payload["region"] == {"code": "35.10", "slug": region_a.region.slug}
    assert payload["subject"] == {"type": "application", "id": "41"}
    assert payload["links"]["subject"].endswith("/api/v1/applications/41/")
    delivery = Delivery.objects.get(subscriber=sub, event=event)
    assert delivery.status == Delivery.Status.SUCCEEDED
    assert delivery.log.get().status_code == 200


def test_a_failing_subscriber_is_retried_and_each_attempt_logged(
    db, region_a, make_user, subscriber_server, eager_celery, django_capture_on_commit_callbacks
):
    admin = make_user(role="dpmptsp_admin", region=region_a)
    sub = subscriber_create(
        actor=admin, region=region_a.region, name="P", url=subscriber_server.url
    )
    subscriber_server.answers = [503, 500]
    with django_capture_on_commit_callbacks(execute=True):
        _emit(region_a.region)
    assert len(subscriber_server.received) == 3
    delivery = Delivery.objects.get(subscriber=sub)
    assert delivery.status == Delivery.Status.SUCCEEDED
    assert delivery.attempts == 3
    assert [a.status_code for a in delivery.log.all()] == [503, 500, 200]
    assert delivery.log.first().response_excerpt == "sedang gangguan"
    sub.refresh_from_db()
    assert sub.consecutive_failures == 0  # a success resets the count


def test_an_unreachable_subscriber_is_logged_not_raised(
    db, region_a, make_user, eager_celery, django_capture_on_commit_callbacks, settings
):
    settings.WEBHOOKS_PAUSE_AFTER = 100
    admin = make_user(role="dpmptsp_admin", region=region_a)
    # A port nobody listens on: connection refused at once.
    sub = subscriber_create(
        actor=admin, region=region_a.region, name="P", url="http://127.0.0.1:9/x"
    )
    with django_capture_on_commit_callbacks(execute=True):
        _emit(region_a.region)
    delivery = Delivery.objects.get(subscriber=sub)
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.attempts == 6
    log = list(delivery.log.all())
    assert len(log) == 6  # every attempt logged …
    assert all("ConnectionError" in a.error for a in log)  # … with its error


def test_repeated_failure_pauses_the_subscriber_and_tells_its_owner(
    db,
    region_a,
    make_user,
    subscriber_server,
    eager_celery,
    django_capture_on_commit_callbacks,
    settings,
):
    settings.WEBHOOKS_PAUSE_AFTER = 3
    admin = make_user(role="dpmptsp_admin", region=region_a, email="admin@banyuwangi.test")
    sub = subscriber_create(
        actor=admin, region=region_a.region, name="Portal", url=subscriber_server.url
    )
    subscriber_server.default = 500
    with django_capture_on_commit_callbacks(execute=True):
        _emit(region_a.region, subject_id=1)
        _emit(region_a.region, subject_id=2)
    sub.refresh_from_db()
    assert sub.is_paused
    assert len(subscriber_server.received) == 3  # paused at the third failure, nothing after
    assert [m.to for m in mail.outbox] == [["admin@banyuwangi.test"]]
    assert "Portal" in mail.outbox[0].subject
    # While paused, new events wait; resuming sends what waited.
    with django_capture_on_commit_callbacks(execute=True):
        _emit(region_a.region, subject_id=3)
    assert len(subscriber_server.received) == 3
    subscriber_server.default = 200
    with django_capture_on_commit_callbacks(execute=True):
        subscriber_resume(actor=admin, subscriber=sub)
    sent = {json.loads(r["body"])["subject"]["id"] for r in subscriber_server.received[3:]}
    assert sent == {"1", "2", "3"}
    assert not Delivery.objects.filter(subscriber=sub).exclude(status="succeeded").exists()


def test_region_subscribers_get_only_their_regions_events(
    db,
    region_a,
    region_b,
    make_user,
    subscriber_server,
    eager_celery,
    django_capture_on_commit_callbacks,
):
    admin_a = make_user(role="dpmptsp_admin", region=region_a)
    superadmin = make_user(superadmin=True)
    sub_a = subscriber_create(
        actor=admin_a, region=region_a.region, name="A", url=subscriber_server.url
    )
    national = subscriber_create(
        actor=superadmin, region=None, name="Portal nasional", url=subscriber_server.url
    )
    with django_capture_on_commit_callbacks(execute=True):
        event_b = _emit(region_b.region)
        national_event = event_emit(
            kind=EventKind.REGION_LIVE,
            region=None,
            subject_type="region",
            subject_id="35.74",
            data={"code": "35.74", "status": "live"},
        )
        event_a = _emit(region_a.region)
    assert set(Delivery.objects.filter(subscriber=sub_a).values_list("event", flat=True)) == {
        event_a.id
    }
    assert set(Delivery.objects.filter(subscriber=national).values_list("event", flat=True)) == {
        event_a.id,
        event_b.id,
        national_event.id,
    }


def test_event_data_refuses_personal_fields(db, region_a):
    with pytest.raises(ValueError, match="nik"):
        _emit(region_a.region, nik="3510012345678901")
    with pytest.raises(ValueError):
        _emit(region_a.region, number={"name": "Budi"})


@pytest.mark.parametrize(
    "url",
    [
        "http://portal.example.go.id/hook",
        "https://127.0.0.1/hook",
        "https://10.1.2.3/hook",
        "https://[::1]/hook",
        "https://169.254.169.254/latest/meta-data",
        "ftp://example.com/x",
    ],
)
def test_production_refuses_plain_http_and_private_addresses(db, make_user, settings, url):
    from shared.webhooks.urlcheck import SubscriberURLRefused

    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False
    with pytest.raises(SubscriberURLRefused):
        subscriber_create(actor=make_user(superadmin=True), region=None, name="x", url=url)
    assert not Subscriber.objects.filter(url=url).exists()


def test_the_request_does_not_wait_for_the_subscriber(db, region_a, make_user, subscriber_server):
    """Without a commit nothing is sent: delivery is a task enqueued after commit."""
    admin = make_user(role="dpmptsp_admin", region=region_a)
    subscriber_create(actor=admin, region=region_a.region, name="A", url=subscriber_server.url)
    _emit(region_a.region)
    assert subscriber_server.received == []
    assert Delivery.objects.count() == 0


def _delivery(region, admin, url, callbacks) -> Delivery:
    from shared.webhooks.services import events_fan_out

    sub = subscriber_create(actor=admin, region=region.region, name="Portal", url=url)
    with callbacks(execute=False):  # fanned out and attempted by hand below, not by Celery
        event = _emit(region.region)
    (delivery_id,) = events_fan_out(event_id=event.id)
    assert Delivery.objects.get(pk=delivery_id).subscriber == sub
    return Delivery.objects.get(pk=delivery_id)


def test_retries_back_off_then_give_up(
    db, region_a, make_user, subscriber_server, settings, django_capture_on_commit_callbacks
):
    """Each failed attempt asks for a retry later, four times longer each time (capped at an
    hour), until the sixth attempt gives up; the task schedules the retry with that countdown."""
    from shared.webhooks.services import delivery_attempt

    settings.WEBHOOKS_RETRY_BASE_SECONDS = 30
    settings.WEBHOOKS_PAUSE_AFTER = 100
    subscriber_server.default = 503
    admin = make_user(role="dpmptsp_admin", region=region_a)
    delivery = _delivery(region_a, admin, subscriber_server.url, django_capture_on_commit_callbacks)
    waits = [delivery_attempt(delivery_id=delivery.pk) for _ in range(6)]
    assert waits == [30, 120, 480, 1920, 3600, None]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.FAILED, 6)
    assert len(subscriber_server.received) == 6
    assert delivery_attempt(delivery_id=delivery.pk) is None  # given up: nothing more is sent
    assert len(subscriber_server.received) == 6


def test_a_subscriber_that_turned_private_is_refused_at_delivery(
    db, region_a, make_user, subscriber_server, settings, django_capture_on_commit_callbacks
):
    """The address is checked again at every delivery (a name can resolve elsewhere after it was
    registered): nothing is sent, and the refusal is in the delivery's log."""
    from shared.webhooks.services import delivery_attempt

    admin = make_user(role="dpmptsp_admin", region=region_a)
    delivery = _delivery(region_a, admin, subscriber_server.url, django_capture_on_commit_callbacks)
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False
    assert delivery_attempt(delivery_id=delivery.pk) is not None  # retried later, not raised
    assert subscriber_server.received == []
    attempt = delivery.log.get()
    assert attempt.status_code is None
    assert attempt.error
