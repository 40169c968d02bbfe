"""Writes for booths (gerai), local agencies, weekly hours and local closures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kernel.audit import audit_log
from kernel.errors import ConflictError, NotFoundError
from shared.catalogue.models import Agency
from tenants.mpp.models import Booth, Closure, LocalAgency, Offering, OpeningHours, Weekday
from tenants.mpp.services._common import field_error, full_clean_or_error

# Weekday (0 = Senin) → opening intervals, as typed into a form or sent to the API.
HoursInput = Mapping[int, Sequence[tuple[dt.time | None, dt.time | None]]]

BOOTH_FIELDS = ("number", "name", "location", "description", "is_active")


def access_booth(*, booth_id) -> Booth:
    try:
        return Booth.objects.select_related("agency", "local_agency").get(pk=int(booth_id))
    except (Booth.DoesNotExist, TypeError, ValueError) as exc:
        raise NotFoundError(_("Gerai tidak ditemukan.")) from exc


def access_closure(*, closure_id) -> Closure:
    try:
        return Closure.objects.get(pk=int(closure_id))
    except (Closure.DoesNotExist, TypeError, ValueError) as exc:
        raise NotFoundError(_("Penutupan tidak ditemukan.")) from exc


@transaction.atomic
def local_agency_create(
    *, actor, name: str, abbreviation: str = "", description: str = ""
) -> LocalAgency:
    name = (name or "").strip()
    if not name:
        raise field_error("name", _("Nama instansi wajib diisi."))
    if LocalAgency.objects.filter(name__iexact=name).exists():
        raise field_error("name", _("Instansi lokal dengan nama ini sudah ada."))
    agency = LocalAgency(
        name=name, abbreviation=(abbreviation or "").strip(), description=description or ""
    )
    full_clean_or_error(agency)
    agency.save()
    audit_log(actor=actor, action="mpp.local_agency.created", target=agency, data={"name": name})
    return agency


def _check_number_free(number: str, *, exclude_pk=None) -> None:
    qs = Booth.objects.filter(number__iexact=number)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise field_error("number", _("Nomor gerai %(n)s sudah dipakai.") % {"n": number})


@transaction.atomic
def booth_create(
    *,
    actor,
    number: str,
    agency: Agency | None = None,
    local_agency: LocalAgency | None = None,
    name: str = "",
    location: str = "",
    description: str = "",
    is_active: bool = True,
    hours: HoursInput | None = None,
) -> Booth:
    """A booth of a national agency or of a local agency (exactly one of them)."""
    if (agency is None) == (local_agency is None):
        raise field_error("agency", _("Pilih satu instansi: nasional atau lokal."))
    number = (number or "").strip()
    if not number:
        raise field_error("number", _("Nomor gerai wajib diisi."))
    _check_number_free(number)
    booth = Booth(
        agency=agency,
        local_agency=local_agency,
        number=number,
        name=(name or "").strip(),
        location=(location or "").strip(),
        description=description or "",
        is_active=is_active,
    )
    full_clean_or_error(booth, exclude=["agency", "local_agency"])
    try:
        with transaction.atomic():
            booth.save()
    except IntegrityError as exc:
        raise ConflictError(_("Nomor gerai %(n)s sudah dipakai.") % {"n": number}) from exc
    audit_log(
        actor=actor,
        action="mpp.booth.created",
        target=booth,
        data={"number": number, "agency": agency.code if agency else None},
    )
    if hours is not None:
        hours_set(actor=actor, booth=booth, hours=hours)
    return booth


@transaction.atomic
def booth_update(*, actor, booth: Booth, **fields: Any) -> Booth:
    """Change number, name, location, description or active state. A deactivated booth keeps
    its offerings, which are not served (``offering_open_intervals`` is empty) until moved."""
    unknown = set(fields) - set(BOOTH_FIELDS)
    if unknown:
        raise field_error(
            "__all__", _("Kolom tidak dikenal: %(f)s.") % {"f": ", ".join(sorted(unknown))}
        )
    changed: dict[str, Any] = {}
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        if name == "number":
            if not value:
                raise field_error("number", _("Nomor gerai wajib diisi."))
            _check_number_free(value, exclude_pk=booth.pk)
        if getattr(booth, name) != value:
            changed[name] = value
            setattr(booth, name, value)
    full_clean_or_error(booth, exclude=["agency", "local_agency"])
    booth.save()
    if changed:
        audit_log(actor=actor, action="mpp.booth.updated", target=booth, data=changed)
    return booth


def _clean_hours(hours: HoursInput) -> list[tuple[int, dt.time, dt.time]]:
    rows: list[tuple[int, dt.time, dt.time]] = []
    for weekday, intervals in hours.items():
        try:
            day = Weekday(int(weekday))
        except (TypeError, ValueError) as exc:
            raise field_error("hours", _("Hari tidak dikenal.")) from exc
        complete: list[tuple[dt.time, dt.time]] = []
        for opens, closes in intervals:
            if opens is None and closes is None:
                continue
            if opens is None or closes is None:
                raise field_error(
                    "hours", _("%(day)s: isi jam buka dan jam tutup.") % {"day": day.label}
                )
            complete.append((opens, closes))
        previous_close = None
        for opens, closes in sorted(complete):
            if opens >= closes:
                raise field_error(
                    "hours",
                    _("%(day)s: jam buka harus sebelum jam tutup.") % {"day": day.label},
                )
            if previous_close is not None and opens < previous_close:
                raise field_error(
                    "hours", _("%(day)s: jam layanan saling tumpang tindih.") % {"day": day.label}
                )
            previous_close = closes
            rows.append((int(day), opens, closes))
    return rows


@transaction.atomic
def hours_set(
    *,
    actor,
    hours: HoursInput,
    booth: Booth | None = None,
    offering: Offering | None = None,
) -> list[OpeningHours]:
    """Replace the weekly hours of the MPP (no booth, no offering), a booth or an offering.

    ``hours`` maps a weekday (0 = Senin) to its intervals; days left out are closed. An empty
    mapping for a booth or offering removes its own hours (it follows the booth / MPP again).
    """
    if booth is not None and offering is not None:
        raise field_error(
            "hours", _("Jam layanan berlaku untuk gerai atau layanan, bukan keduanya.")
        )
    rows = _clean_hours(hours)
    scope = OpeningHours.objects.filter(booth=booth, offering=offering)
    before = [(h.weekday, h.opens_at.isoformat(), h.closes_at.isoformat()) for h in scope]
    scope.delete()
    created = OpeningHours.objects.bulk_create(
        OpeningHours(booth=booth, offering=offering, weekday=d, opens_at=o, closes_at=c)
        for d, o, c in rows
    )
    after = [(d, o.isoformat(), c.isoformat()) for d, o, c in rows]
    if sorted(before) != sorted(after):
        target = offering or booth
        audit_log(
            actor=actor,
            action="mpp.hours.updated",
            target=target,
            data={"scope": "offering" if offering else "booth" if booth else "mpp", "hours": after},
        )
    return created


@transaction.atomic
def closure_create(
    *,
    actor,
    start_date: dt.date,
    end_date: dt.date | None,
    reason: str,
    booth: Booth | None = None,
) -> Closure:
    """A local closure of the whole MPP (no booth) or of one booth, both dates inclusive."""
    reason = (reason or "").strip()
    end_date = end_date or start_date
    if not reason:
        raise field_error("reason", _("Alasan penutupan wajib diisi."))
    if start_date is None:
        raise field_error("start_date", _("Tanggal mulai wajib diisi."))
    if end_date < start_date:
        raise field_error("end_date", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
    if (end_date - start_date).days > 366:
        raise field_error("end_date", _("Penutupan paling lama satu tahun."))
    closure = Closure(booth=booth, start_date=start_date, end_date=end_date, reason=reason)
    full_clean_or_error(closure, exclude=["booth"])
    closure.save()
    audit_log(
        actor=actor,
        action="mpp.closure.created",
        target=closure,
        data={
            "booth": booth.pk if booth else None,
            "start": start_date.isoformat(),
            "end": end_date.isoformat(),
            "reason": reason,
        },
    )
    return closure


@transaction.atomic
def closure_delete(*, actor, closure: Closure) -> None:
    data = {
        "booth": closure.booth_id,
        "start": closure.start_date.isoformat(),
        "end": closure.end_date.isoformat(),
        "reason": closure.reason,
    }
    audit_log(actor=actor, action="mpp.closure.deleted", target=closure, data=data)
    closure.delete()
