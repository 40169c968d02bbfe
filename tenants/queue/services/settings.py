"""Writes of the region's queue rules (admin console)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from kernel.audit import audit_log
from kernel.errors import DomainError
from tenants.mpp.models import Offering
from tenants.queue.models import OfferingQueueConfig, QueueSettings

SETTINGS_FIELDS: tuple[str, ...] = (
    "booking_days_ahead",
    "slot_minutes",
    "online_per_slot",
    "service_minutes",
    "max_bookings_per_day",
    "max_bookings_per_service_day",
    "max_upcoming_per_service",
    "checkin_early_minutes",
    "checkin_late_minutes",
)
OFFERING_FIELDS: tuple[str, ...] = ("slot_minutes", "online_per_slot", "service_minutes")


def _clean(instance) -> None:
    try:
        instance.full_clean()
    except ValidationError as exc:
        errors = exc.message_dict
        raise DomainError(
            next(iter(errors.values()))[0], code="invalid", extra={"errors": errors}
        ) from exc


@transaction.atomic
def queue_settings_update(*, actor, **fields: Any) -> QueueSettings:
    """Change the region's queue rules. Days already built keep their slots; a changed slot
    length or capacity applies as each day is next looked at (bookings are never dropped)."""
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"unknown settings: {sorted(unknown)}")
    settings, _created = QueueSettings.objects.select_for_update().get_or_create(key=1)
    changed = {k: v for k, v in fields.items() if getattr(settings, k) != v}
    for name, value in changed.items():
        setattr(settings, name, value)
    _clean(settings)
    settings.save()
    if changed:
        audit_log(actor=actor, action="queue.settings.updated", target=settings, data=changed)
    return settings


@transaction.atomic
def offering_queue_config_update(*, actor, offering: Offering, **fields: Any) -> None:
    """An offering's own slot length, bookings per slot and service-time estimate (None =
    follow the region's settings)."""
    unknown = set(fields) - set(OFFERING_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    config = OfferingQueueConfig.objects.filter(offering=offering).first() or OfferingQueueConfig(
        offering=offering
    )
    changed = {k: v for k, v in fields.items() if getattr(config, k) != v}
    if not changed:
        return
    for name, value in changed.items():
        setattr(config, name, value)
    _clean(config)
    if all(getattr(config, k) is None for k in OFFERING_FIELDS):
        if config.pk:
            config.delete()
    else:
        config.save()
    audit_log(actor=actor, action="queue.offering.updated", target=offering, data=changed)
