"""Writes for general information (informasi umum) and announcements."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.audit import audit_log
from kernel.errors import NotFoundError
from tenants.mpp.models import Announcement, Facility, GeneralInfo
from tenants.mpp.services._common import field_error, full_clean_or_error

INFO_FIELDS = (
    "about",
    "address",
    "latitude",
    "longitude",
    "phone",
    "whatsapp",
    "email",
    "website",
    "facilities",
    "facilities_note",
    "open_on_cuti_bersama",
)
ANNOUNCEMENT_FIELDS = ("title", "body", "publish_from", "publish_until", "is_important")


def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


@transaction.atomic
def general_info_update(*, actor, **fields: Any) -> GeneralInfo:
    unknown = set(fields) - set(INFO_FIELDS)
    if unknown:
        raise field_error(
            "__all__", _("Kolom tidak dikenal: %(f)s.") % {"f": ", ".join(sorted(unknown))}
        )
    info, _created = GeneralInfo.objects.select_for_update().get_or_create(key=1)
    changed: dict[str, Any] = {}
    for name, value in fields.items():
        if isinstance(value, str) and name not in ("about", "facilities_note"):
            value = value.strip()
        if name in ("latitude", "longitude") and value == "":
            value = None
        if name == "facilities":
            value = list(dict.fromkeys(value or []))
            unknown_facilities = [f for f in value if f not in Facility.values]
            if unknown_facilities:
                raise field_error("facilities", _("Fasilitas tidak dikenal."))
        if getattr(info, name) != value:
            changed[name] = value
            setattr(info, name, value)
    if (info.latitude is None) != (info.longitude is None):
        raise field_error(
            "latitude", _("Isi lintang dan bujur sekaligus, atau kosongkan keduanya.")
        )
    full_clean_or_error(info)
    info.save()
    if changed:
        audit_log(
            actor=actor,
            action="mpp.general_info.updated",
            target=info,
            data={k: _jsonable(v) for k, v in changed.items()},
        )
    return info


def access_announcement(*, announcement_id) -> Announcement:
    try:
        return Announcement.objects.get(pk=int(announcement_id))
    except (Announcement.DoesNotExist, TypeError, ValueError) as exc:
        raise NotFoundError(_("Pengumuman tidak ditemukan.")) from exc


def _check_window(announcement: Announcement) -> None:
    if not announcement.title.strip():
        raise field_error("title", _("Judul wajib diisi."))
    if not announcement.body.strip():
        raise field_error("body", _("Isi pengumuman wajib diisi."))
    if (
        announcement.publish_until is not None
        and announcement.publish_until <= announcement.publish_from
    ):
        raise field_error(
            "publish_until", _("Waktu akhir tayang harus sesudah waktu mulai tayang.")
        )


@transaction.atomic
def announcement_create(
    *,
    actor,
    title: str,
    body: str,
    publish_from: dt.datetime | None = None,
    publish_until: dt.datetime | None = None,
    is_important: bool = False,
) -> Announcement:
    announcement = Announcement(
        title=(title or "").strip(),
        body=(body or "").strip(),
        publish_from=publish_from or timezone.now(),
        publish_until=publish_until,
        is_important=is_important,
    )
    _check_window(announcement)
    full_clean_or_error(announcement)
    announcement.save()
    audit_log(
        actor=actor,
        action="mpp.announcement.created",
        target=announcement,
        data={"title": announcement.title},
    )
    return announcement


@transaction.atomic
def announcement_update(*, actor, announcement: Announcement, **fields: Any) -> Announcement:
    unknown = set(fields) - set(ANNOUNCEMENT_FIELDS)
    if unknown:
        raise field_error(
            "__all__", _("Kolom tidak dikenal: %(f)s.") % {"f": ", ".join(sorted(unknown))}
        )
    changed: dict[str, Any] = {}
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        if name == "publish_from" and value is None:
            value = timezone.now()
        if getattr(announcement, name) != value:
            changed[name] = value
            setattr(announcement, name, value)
    _check_window(announcement)
    full_clean_or_error(announcement)
    announcement.save()
    if changed:
        audit_log(
            actor=actor,
            action="mpp.announcement.updated",
            target=announcement,
            data={k: _jsonable(v) for k, v in changed.items()},
        )
    return announcement


@transaction.atomic
def announcement_delete(*, actor, announcement: Announcement) -> None:
    audit_log(
        actor=actor,
        action="mpp.announcement.deleted",
        target=announcement,
        data={"title": announcement.title},
    )
    announcement.delete()
