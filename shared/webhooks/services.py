"""Events, subscribers and deliveries: every write of the webhooks app.

``event_emit`` is called by the services that change state (applications, bookings, onboarding,
complaints); it writes the event and, after commit, a Celery task fans it out. The web request
never waits for a subscriber.
"""

from __future__ import annotations

import json
import logging
import secrets
import time

import requests
from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.audit import audit_log
from kernel.routing import national_url, region_url
from kernel.tenancy import connection
from shared.outbox.services import task_enqueue
from shared.webhooks.models import Delivery, DeliveryAttempt, Event, EventKind, Subscriber
from shared.webhooks.signing import SIGNATURE_HEADER, sign
from shared.webhooks.urlcheck import SubscriberURLRefused, check_subscriber_url

logger = logging.getLogger(__name__)

# What an event may carry: ids, numbers, states, dates and links. A key outside this set is a
# programming error (it could be personal data), refused before anything is written.
ALLOWED_DATA = frozenset(
    {
        "number",
        "status",
        "previous_status",
        "offering_code",
        "service_date",
        "slot_start",
        "code",
        "reference",
        "kind",
        "complexity",
    }
)
MAX_ATTEMPTS = 6


def _backoff_seconds(attempt: int) -> int:
    """After the n-th failed attempt: base, 4×, 16× … capped at an hour."""
    return min(settings.WEBHOOKS_RETRY_BASE_SECONDS * 4 ** (attempt - 1), 3600)


# --- events --------------------------------------------------------------------------------------


def event_emit(
    *, kind: str, region, subject_type: str, subject_id, data: dict | None = None
) -> Event:
    """Record an event (``region``: a Region or None for a national one); fan out on commit."""
    EventKind(kind)
    data = dict(data or {})
    unknown = set(data) - ALLOWED_DATA
    if unknown:
        raise ValueError(f"event data may not carry {sorted(unknown)}")
    for value in data.values():
        if not isinstance(value, str | int | bool | type(None)):
            raise ValueError("event data values are plain ids, states and dates")
    event = Event.objects.create(
        kind=kind,
        region=region,
        subject_type=subject_type,
        subject_id=str(subject_id),
        data=data,
    )
    # Through the transactional outbox: sent after commit, and kept if the broker is down.
    task_enqueue("webhooks.fan_out", kwargs={"event_id": event.id})
    return event


def region_event_emit(*, kind: str, subject_type: str, subject_id, data: dict | None = None):
    """``event_emit`` for the region whose schema this connection is in (tenant services)."""
    tenant = getattr(connection, "tenant", None)
    region = getattr(tenant, "region", None)
    if region is None or connection.schema_name == "public":
        raise RuntimeError("a region event is emitted inside the region's schema")
    return event_emit(
        kind=kind, region=region, subject_type=subject_type, subject_id=subject_id, data=data
    )


def event_payload(event: Event) -> dict:
    """The one JSON shape of an event, in the feed and in a delivery."""
    region = event.region
    links: dict[str, str] = {}
    if region is not None:
        slug = region.slug
        # Bookings have no link: their API is addressed by the citizen's booking code.
        subject_paths = {
            "application": f"/api/v1/applications/{event.subject_id}/",
            "complaint": f"/api/v1/complaints/{event.subject_id}/",
        }
        if event.subject_type in subject_paths:
            links["subject"] = region_url(slug, subject_paths[event.subject_type])
        links["region"] = region_url(slug, "/")
        links["feed"] = region_url(slug, "/api/v1/events/")
    else:
        links["feed"] = national_url("/api/v1/events/")
    return {
        "id": event.id,
        "type": event.kind,
        "occurred_at": event.occurred_at.isoformat(),
        "region": {"code": region.code, "slug": region.slug} if region is not None else None,
        "subject": {"type": event.subject_type, "id": event.subject_id},
        "data": event.data,
        "links": links,
    }


def events_fan_out(*, event_id: int) -> list[int]:
    """Create a delivery for every active subscriber that wants this event (its region's, or
    national); returns the new deliveries' ids."""
    event = Event.objects.select_related("region").get(pk=event_id)
    subscribers = Subscriber.objects.filter(is_active=True)
    if event.region_id is None:
        subscribers = subscribers.filter(region__isnull=True)
    else:
        subscribers = subscribers.filter(region__isnull=True) | subscribers.filter(
            region_id=event.region_id
        )
    created = []
    for subscriber in subscribers:
        if not subscriber.wants(event.kind):
            continue
        delivery, new = Delivery.objects.get_or_create(subscriber=subscriber, event=event)
        if new:
            created.append(delivery.id)
    return created


# --- subscribers ---------------------------------------------------------------------------------


def subscriber_create(
    *, actor, region, name: str, url: str, event_kinds: list[str] | None = None
) -> Subscriber:
    """Register a subscriber (``region`` None: national, superadmins only; the caller's gate
    decides who). The secret is generated here and returned once."""
    check_subscriber_url(url)
    subscriber = Subscriber.objects.create(
        region=region,
        name=name,
        url=url,
        secret=secrets.token_hex(32),
        event_kinds=list(event_kinds or []),
        created_by=actor,
    )
    audit_log(
        actor=actor,
        action="webhooks.subscriber.created",
        target=subscriber,
        data={"url": url},
        region=region,
    )
    return subscriber


def subscriber_update(*, actor, subscriber: Subscriber, **changes) -> Subscriber:
    if "url" in changes:
        check_subscriber_url(changes["url"])
    for name, value in changes.items():
        setattr(subscriber, name, value)
    subscriber.save()
    audit_log(
        actor=actor,
        action="webhooks.subscriber.updated",
        target=subscriber,
        data={k: v for k, v in changes.items() if k != "secret"},
        region=subscriber.region,
    )
    return subscriber


def subscriber_delete(*, actor, subscriber: Subscriber) -> None:
    audit_log(
        actor=actor,
        action="webhooks.subscriber.deleted",
        target=subscriber,
        data={"url": subscriber.url},
        region=subscriber.region,
    )
    subscriber.delete()


def subscriber_resume(*, actor, subscriber: Subscriber) -> Subscriber:
    """Un-pause and send again what waited."""
    subscriber.paused_at = None
    subscriber.consecutive_failures = 0
    subscriber.save(update_fields=["paused_at", "consecutive_failures"])
    audit_log(
        actor=actor,
        action="webhooks.subscriber.resumed",
        target=subscriber,
        region=subscriber.region,
    )
    waiting = list(
        subscriber.deliveries.filter(
            status__in=[Delivery.Status.PENDING, Delivery.Status.FAILED]
        ).values_list("id", flat=True)
    )
    # What was given up gets a fresh round of attempts (its log keeps the earlier ones).
    Delivery.objects.filter(pk__in=waiting, status=Delivery.Status.FAILED).update(
        status=Delivery.Status.PENDING, attempts=0
    )
    for delivery_id in waiting:
        task_enqueue("webhooks.deliver", kwargs={"delivery_id": delivery_id})
    return subscriber


def _subscriber_pause(subscriber: Subscriber) -> None:
    updated = Subscriber.objects.filter(pk=subscriber.pk, paused_at__isnull=True).update(
        paused_at=timezone.now()
    )
    if not updated:
        return  # already paused (and its owner already told)
    audit_log(
        actor=None,
        action="webhooks.subscriber.paused",
        target=subscriber,
        data={"consecutive_failures": subscriber.consecutive_failures},
        region=subscriber.region,
    )
    owner = subscriber.created_by
    if owner is not None and owner.email:
        send_mail(
            _("Webhook %(name)s dihentikan sementara") % {"name": subscriber.name},
            _(
                "Pengiriman ke %(url)s gagal %(count)s kali berturut-turut, sehingga webhook "
                "dihentikan sementara. Perbaiki penerimanya, lalu aktifkan kembali."
            )
            % {"url": subscriber.url, "count": subscriber.consecutive_failures},
            None,
            [owner.email],
        )


# --- delivery ------------------------------------------------------------------------------------


def delivery_attempt(*, delivery_id: int) -> int | None:
    """POST one delivery once and log it. Returns seconds until the next try, or None when
    there is nothing more to do (sent, given up, or the subscriber is paused)."""
    connection.set_schema_to_public()
    delivery = Delivery.objects.select_related("subscriber", "event__region").get(pk=delivery_id)
    subscriber = delivery.subscriber
    if delivery.status != Delivery.Status.PENDING:
        return None  # sent, or given up (a duplicate task must not send it again)
    if not subscriber.is_active or subscriber.is_paused:
        return None  # kept pending; resuming sends it
    body = json.dumps(event_payload(delivery.event), separators=(",", ":")).encode()
    timestamp = int(time.time())
    started = time.monotonic()
    status_code = None
    excerpt = error = ""
    try:
        check_subscriber_url(subscriber.url)
        response = requests.post(
            subscriber.url,
            data=body,
            headers={
                "Content-Type": "application/json",
                "User-Agent": "MPP-Digital-Webhooks/1",
                SIGNATURE_HEADER: sign(subscriber.secret, body, timestamp),
                "X-MPP-Event": delivery.event.kind,
                "X-MPP-Delivery": str(delivery.id),
            },
            timeout=(settings.WEBHOOKS_CONNECT_TIMEOUT, settings.WEBHOOKS_READ_TIMEOUT),
            allow_redirects=False,
        )
        status_code = response.status_code
        excerpt = response.text[:500]
    except SubscriberURLRefused as exc:
        error = exc.message[:300]
    except requests.RequestException as exc:
        error = f"{type(exc).__name__}: {exc}"[:300]
    ok = status_code is not None and 200 <= status_code < 300
    DeliveryAttempt.objects.create(
        delivery=delivery,
        status_code=status_code,
        response_excerpt=excerpt,
        error=error,
        duration_ms=int((time.monotonic() - started) * 1000),
    )
    delivery.attempts += 1
    if ok:
        delivery.status = Delivery.Status.SUCCEEDED
        delivery.delivered_at = timezone.now()
        delivery.save(update_fields=["status", "attempts", "delivered_at"])
        Subscriber.objects.filter(pk=subscriber.pk).update(consecutive_failures=0)
        return None
    logger.warning(
        "webhook delivery %s to subscriber %s failed (%s)",
        delivery.id,
        subscriber.id,
        status_code or error,
    )
    Subscriber.objects.filter(pk=subscriber.pk).update(
        consecutive_failures=F("consecutive_failures") + 1
    )
    subscriber.refresh_from_db(fields=["consecutive_failures"])
    give_up = delivery.attempts >= MAX_ATTEMPTS
    delivery.status = Delivery.Status.FAILED if give_up else Delivery.Status.PENDING
    delivery.save(update_fields=["status", "attempts"])
    if subscriber.consecutive_failures >= settings.WEBHOOKS_PAUSE_AFTER:
        _subscriber_pause(subscriber)
        return None
    return None if give_up else _backoff_seconds(delivery.attempts)
