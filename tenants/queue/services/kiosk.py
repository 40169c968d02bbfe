"""Kiosk devices: who may hand out tickets and check bookings in.

A kiosk page works for (a) a device registered by the region's admin, which holds a random token
in a cookie for this region's host only, or (b) any signed-in staff member of this region (a
counter PC, or an officer helping a citizen without a phone). Everyone else sees a page that says
the device is not a kiosk. The hall display needs neither: it is public and read-only.
"""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.audit import audit_log
from kernel.errors import DomainError, NotFoundError
from tenants.queue.models import KioskDevice

COOKIE_NAME = "mpp_kiosk"
HEADER_NAME = "HTTP_X_KIOSK_TOKEN"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def kiosk_for_token(token: str | None) -> KioskDevice | None:
    """The active kiosk holding ``token`` in this region, or None."""
    if not token or len(token) > 200:
        return None
    return KioskDevice.objects.filter(token_hash=token_hash(token), is_active=True).first()


def kiosk_touch(device: KioskDevice) -> None:
    """Record that the device is in use (at most once a minute)."""
    now = timezone.now()
    if device.last_seen_at is None or (now - device.last_seen_at).total_seconds() > 60:
        KioskDevice.objects.filter(pk=device.pk).update(last_seen_at=now)


@transaction.atomic
def kiosk_device_create(*, actor, name: str) -> tuple[KioskDevice, str]:
    """Register a kiosk. Returns the device and its token, which is shown once (as a set-up
    link) and never stored."""
    name = (name or "").strip()
    if not name:
        raise DomainError(
            _("Nama perangkat wajib diisi."), extra={"errors": {"name": [_("Wajib diisi.")]}}
        )
    token = secrets.token_urlsafe(32)
    device = KioskDevice.objects.create(
        name=name[:100], token_hash=token_hash(token), created_by_id=actor.pk
    )
    audit_log(actor=actor, action="queue.kiosk.created", target=device, data={"name": name})
    return device, token


@transaction.atomic
def kiosk_device_activate(*, token: str) -> tuple[KioskDevice, str]:
    """A device opened its set-up link and becomes the kiosk. The link works once: the device
    gets a fresh token for its cookie and the link's token stops working."""
    device = kiosk_for_token(token)
    if device is None or device.activated_at is not None:
        raise NotFoundError(_("Tautan pemasangan kiosk tidak berlaku atau sudah dipakai."))
    device_token = secrets.token_urlsafe(32)
    device.token_hash = token_hash(device_token)
    device.activated_at = timezone.now()
    device.save(update_fields=["token_hash", "activated_at"])
    audit_log(actor=None, action="queue.kiosk.activated", target=device, data={})
    return device, device_token


@transaction.atomic
def kiosk_device_revoke(*, actor, device: KioskDevice) -> KioskDevice:
    if device.is_active:
        device.is_active = False
        device.save(update_fields=["is_active"])
        audit_log(actor=actor, action="queue.kiosk.revoked", target=device, data={})
    return device
