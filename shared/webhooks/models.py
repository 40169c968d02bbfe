"""Webhook subscribers, the events they receive, and every delivery attempt.

All in ``public``: an event names its region (``None``: a national event), so the feed and the
fan-out filter by one indexed column instead of visiting 514 schemas. A region's subscriber only
ever matches its own region's events (``Subscriber.region``); a national subscriber (the national
portal, registered by a superadmin) receives every region's events and the national ones.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    APPLICATION_SUBMITTED = "application.submitted", _("Permohonan diajukan")
    APPLICATION_STATUS_CHANGED = "application.status_changed", _("Status permohonan berubah")
    APPLICATION_COMPLETED = "application.completed", _("Permohonan selesai")
    BOOKING_CREATED = "booking.created", _("Reservasi antrean dibuat")
    BOOKING_CANCELLED = "booking.cancelled", _("Reservasi antrean dibatalkan")
    REGION_LIVE = "region.live", _("MPP daerah aktif")
    REGION_SUSPENDED = "region.suspended", _("MPP daerah ditangguhkan")
    COMPLAINT_FILED = "complaint.filed", _("Pengaduan diajukan")
    COMPLAINT_ANSWERED = "complaint.answered", _("Pengaduan dijawab")
    COMPLAINT_CLOSED = "complaint.closed", _("Pengaduan ditutup")


class Subscriber(models.Model):
    region = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="webhook_subscribers",
        help_text="Kosong: pelanggan nasional (semua daerah).",
    )
    name = models.CharField(max_length=200)
    url = models.URLField(max_length=500)
    # The HMAC key; it must be readable to sign, so it is shown once and never listed again.
    secret = models.CharField(max_length=64)
    event_kinds = ArrayField(
        models.CharField(max_length=40, choices=EventKind.choices), default=list, blank=True
    )  # empty: every kind
    is_active = models.BooleanField(default=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None

    def wants(self, kind: str) -> bool:
        return not self.event_kinds or kind in self.event_kinds


class Event(models.Model):
    id = models.BigAutoField(primary_key=True)  # the feed's cursor orders by it
    kind = models.CharField(max_length=40, choices=EventKind.choices)
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    subject_type = models.CharField(max_length=40)
    subject_id = models.CharField(max_length=64)
    data = models.JSONField(default=dict)  # ids, states and links only: see services.ALLOWED_DATA
    occurred_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["region", "id"], name="webhooks_event_region_id")]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_type}:{self.subject_id}"


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        SUCCEEDED = "succeeded", _("Terkirim")
        FAILED = "failed", _("Gagal")

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "event"], name="webhooks_one_delivery")
        ]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.subscriber_id}: {self.status}"


class DeliveryAttempt(models.Model):
    """One POST to a subscriber and what came back (the delivery log)."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField(auto_now_add=True)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    response_excerpt = models.CharField(max_length=500, blank=True)
    error = models.CharField(max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.delivery_id} @ {self.at}: {self.status_code or self.error}"
