"""Writes for offerings: adopt a national service, override what the region may set, add
local-only services, drop. Every write audits and updates the national availability index on
commit. Runs inside a region's schema."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kernel.audit import audit_log
from kernel.errors import ConflictError, DomainError, NotFoundError
from shared.catalogue.models import Channel, DocumentType, LifeEvent, Service
from tenants.mpp.availability import availability_sync_on_commit
from tenants.mpp.models import (
    Booth,
    FeeKind,
    LocalAgency,
    Offering,
    OfferingRequirement,
    OfferingStep,
)
from tenants.mpp.services._common import field_error, full_clean_or_error

_UNSET: Any = object()

QUOTA_FIELDS = ("quota_online", "quota_queue", "quota_walk_in")


def access_offering(*, offering_id, include_dropped: bool = True) -> Offering:
    """The offering with this id in *this* region's schema, or NotFoundError."""
    try:
        qs = Offering.objects.select_related("service", "booth")
        if not include_dropped:
            qs = qs.active()
        return qs.get(pk=int(offering_id))
    except (Offering.DoesNotExist, TypeError, ValueError) as exc:
        raise NotFoundError(_("Layanan tidak ditemukan.")) from exc


def _default_booth(service: Service) -> Booth | None:
    return (
        Booth.objects.filter(agency_id=service.agency_id, is_active=True)
        .order_by("number", "id")
        .first()
    )


def _clean_channels(channels: Iterable[str] | None, *, allowed: Sequence[str] | None) -> list[str]:
    values = list(dict.fromkeys(channels or []))
    unknown = [c for c in values if c not in Channel.values]
    if unknown:
        raise field_error("channels", _("Kanal tidak dikenal: %(c)s.") % {"c": ", ".join(unknown)})
    if not values:
        raise field_error("channels", _("Pilih sedikitnya satu kanal layanan."))
    if allowed is not None:
        extra = [c for c in values if c not in allowed]
        if extra:
            labels = ", ".join(str(Channel(c).label) for c in extra)
            raise field_error(
                "channels",
                _("Kanal %(c)s tidak tersedia untuk layanan ini menurut standar nasional.")
                % {"c": labels},
            )
    # Keep the canonical order: online, queue, walk_in.
    return [c for c in Channel.values if c in values]


def _clean_fee(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        fee = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise field_error("fee_amount", _("Biaya harus berupa angka rupiah.")) from exc
    if fee < 0 or fee != fee.to_integral_value():
        raise field_error("fee_amount", _("Biaya harus bilangan bulat rupiah, tidak negatif."))
    if fee >= Decimal(10) ** 14:
        raise field_error("fee_amount", _("Biaya terlalu besar."))
    return fee


def _check_fee_kind(kind: str | None, amount: Decimal | None) -> None:
    """``amount`` is the effective amount (override or national)."""
    if kind is None:
        return
    if kind not in FeeKind.values:
        raise field_error("fee_kind", _("Jenis biaya tidak dikenal."))
    if kind == FeeKind.FREE and amount:
        raise field_error("fee_amount", _("Layanan gratis tidak boleh memiliki biaya."))
    if kind == FeeKind.FIXED and not amount:
        raise field_error("fee_amount", _("Isi besar tarif tetap (lebih dari 0)."))


def _clean_quota(field: str, value) -> int | None:
    if value is None or value == "":
        return None
    try:
        quota = int(value)
    except (TypeError, ValueError) as exc:
        raise field_error(field, _("Kuota harus berupa bilangan bulat.")) from exc
    if quota < 0 or quota > 100_000:
        raise field_error(field, _("Kuota harus antara 0 dan 100.000."))
    return quota


def _set_requirements(offering: Offering, requirements: Sequence[dict]) -> None:
    """Replace the offering's own requirements. Each item: ``text`` and/or ``document_type``
    (a DocumentType, its id or its code), optional ``is_mandatory`` (default True)."""
    rows = []
    for position, item in enumerate(requirements):
        doc = item.get("document_type")
        if doc is not None and not isinstance(doc, DocumentType):
            lookup = {"pk": doc} if str(doc).isdigit() else {"code": doc}
            doc = DocumentType.objects.filter(**lookup).first()
            if doc is None:
                raise field_error(
                    "requirements",
                    _("Jenis dokumen pada persyaratan ke-%(n)s tidak dikenal.")
                    % {"n": position + 1},
                )
        text = (item.get("text") or "").strip()
        if doc is None and not text:
            raise field_error(
                "requirements",
                _("Persyaratan ke-%(n)s harus berisi jenis dokumen atau keterangan.")
                % {"n": position + 1},
            )
        if len(text) > 300:
            raise field_error(
                "requirements",
                _("Keterangan persyaratan ke-%(n)s terlalu panjang (maks. 300 karakter).")
                % {"n": position + 1},
            )
        rows.append(
            OfferingRequirement(
                offering=offering,
                position=position,
                document_type=doc,
                text=text,
                is_mandatory=bool(item.get("is_mandatory", True)),
            )
        )
    offering.requirements.all().delete()
    OfferingRequirement.objects.bulk_create(rows)


def _set_steps(offering: Offering, steps: Sequence[str]) -> None:
    texts = [s.strip() for s in steps if s and s.strip()]
    if any(len(t) > 500 for t in texts):
        raise field_error("steps", _("Satu langkah prosedur paling panjang 500 karakter."))
    offering.steps.all().delete()
    OfferingStep.objects.bulk_create(
        OfferingStep(offering=offering, position=i, text=t) for i, t in enumerate(texts)
    )


def _requirements_snapshot(offering: Offering) -> list[dict]:
    return [
        {"document_type": r.document_type_id, "text": r.text, "is_mandatory": r.is_mandatory}
        for r in offering.requirements.all()
    ]


@transaction.atomic
def offering_adopt(*, actor, service: Service, booth: Booth | None = None) -> Offering:
    """Offer a national service in this MPP, inheriting its whole current standard.

    Adopting a service that was dropped earlier brings the same offering back (its overrides and
    history kept). Adopting one that is already offered is a conflict.
    """
    if not service.is_active:
        raise DomainError(_("Layanan nasional ini tidak aktif dan tidak dapat diadopsi."))
    if booth is not None and not booth.is_active:
        raise field_error("booth", _("Gerai ini tidak aktif."))
    existing = Offering.objects.select_for_update().filter(service=service).first()
    if existing is not None and existing.is_active:
        raise ConflictError(_("Layanan ini sudah ditawarkan di MPP ini."))
    if existing is not None:
        offering = existing
        offering.is_active = True
        if booth is not None:
            offering.booth = booth
        offering.acknowledged_version = service.version
        offering.save()
        action = "mpp.offering.readopted"
    else:
        if Offering.objects.filter(code=service.code).exists():
            raise ConflictError(
                _("Kode %(code)s sudah dipakai layanan lokal di MPP ini.") % {"code": service.code}
            )
        offering = Offering.objects.create(
            service=service,
            code=service.code,
            booth=booth or _default_booth(service),
            acknowledged_version=service.version,
        )
        action = "mpp.offering.adopted"
    audit_log(
        actor=actor,
        action=action,
        target=offering,
        data={"service": service.code, "version": service.version},
    )
    availability_sync_on_commit(service_ids=[service.pk])
    return offering


@transaction.atomic
def offering_update_overrides(
    *,
    actor,
    offering: Offering,
    fee_kind=_UNSET,
    fee_amount=_UNSET,
    fee_basis=_UNSET,
    channels=_UNSET,
    local_notes=_UNSET,
    booth=_UNSET,
    quota_online=_UNSET,
    quota_queue=_UNSET,
    quota_walk_in=_UNSET,
    requirements=_UNSET,
) -> Offering:
    """Set what the region may set locally.

    ``None`` for ``fee_kind``, ``fee_amount``, ``fee_basis`` or ``channels`` removes the override
    (the national value applies again); ``requirements`` are the MPP's *additional* requirements
    (replacing the previous additions)."""
    if offering.is_local:
        raise DomainError(_("Layanan lokal diubah lewat formulir layanan lokal."))
    if not offering.is_active:
        raise DomainError(_("Layanan ini sudah tidak ditawarkan. Adopsi kembali dahulu."))
    service = offering.service
    assert service is not None  # not local (checked above)
    changed: dict[str, Any] = {}

    def _set(name: str, value) -> None:
        if getattr(offering, name) != value:
            changed[name] = value
            setattr(offering, name, value)

    if fee_kind is not _UNSET:
        _set("fee_kind", fee_kind or None)
    if fee_amount is not _UNSET:
        _set("fee_amount", _clean_fee(fee_amount))
    if offering.fee_kind == FeeKind.FREE and offering.fee_amount is None and service.fee_amount:
        offering.fee_amount = Decimal(0)  # "free here" although the national fee is not
        changed["fee_amount"] = offering.fee_amount
    _check_fee_kind(
        offering.fee_kind,
        offering.fee_amount if offering.fee_amount is not None else service.fee_amount,
    )
    if fee_basis is not _UNSET:
        _set("fee_basis", (fee_basis.strip() or None) if isinstance(fee_basis, str) else None)
    if channels is not _UNSET:
        value = None if channels is None else _clean_channels(channels, allowed=service.channels)
        _set("channels", value)
    if local_notes is not _UNSET:
        _set("local_notes", (local_notes or "").strip())
    if booth is not _UNSET:
        if booth is not None and not booth.is_active:
            raise field_error("booth", _("Gerai ini tidak aktif."))
        _set("booth", booth)
    for name, value in (
        ("quota_online", quota_online),
        ("quota_queue", quota_queue),
        ("quota_walk_in", quota_walk_in),
    ):
        if value is not _UNSET:
            _set(name, _clean_quota(name, value))
    full_clean_or_error(offering, exclude=["service", "agency", "local_agency"])
    offering.save()
    if requirements is not _UNSET:
        before = _requirements_snapshot(offering)
        _set_requirements(offering, requirements or [])
        after = _requirements_snapshot(offering)
        if before != after:
            changed["requirements"] = after
    if changed:
        audit_log(
            actor=actor,
            action="mpp.offering.overrides_updated",
            target=offering,
            data={k: _jsonable(v) for k, v in changed.items()},
        )
    availability_sync_on_commit(service_ids=[offering.service_id] if offering.service_id else [])
    return offering


def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "pk"):
        return value.pk
    return value


@transaction.atomic
def offering_acknowledge(*, actor, offering: Offering) -> Offering:
    """The admin has reviewed the national changes up to the current national version."""
    service = offering.service if offering.service_id else None
    if service is None:
        return offering
    current = service.version
    if offering.acknowledged_version != current:
        previous = offering.acknowledged_version
        offering.acknowledged_version = current
        offering.save(update_fields=["acknowledged_version", "updated_at"])
        audit_log(
            actor=actor,
            action="mpp.offering.national_change_acknowledged",
            target=offering,
            data={"from": previous, "to": current},
        )
        # The national channels may have changed: bring the index in step.
        availability_sync_on_commit(
            service_ids=[offering.service_id] if offering.service_id else []
        )
    return offering


@transaction.atomic
def offering_drop(*, actor, offering: Offering) -> Offering:
    """Stop offering a service. The row stays (applications and tickets point at it) and comes
    back with its overrides if the service is adopted again."""
    if not offering.is_active:
        return offering
    offering.is_active = False
    offering.save(update_fields=["is_active", "updated_at"])
    audit_log(actor=actor, action="mpp.offering.dropped", target=offering, data={})
    availability_sync_on_commit(service_ids=[offering.service_id] if offering.service_id else [])
    return offering


# --- local-only services ------------------------------------------------------------------------


def _unique_local_code(name: str) -> str:
    base = ("lokal-" + slugify(name))[:70].rstrip("-") or "lokal"
    code, n = base, 2
    while Offering.objects.filter(code=code).exists():
        code, n = f"{base}-{n}", n + 1
    return code


def _clean_life_events(ids: Iterable) -> list[int]:
    try:
        wanted = sorted({int(i) for i in ids or []})
    except (TypeError, ValueError) as exc:
        raise field_error("life_event_ids", _("Peristiwa hidup tidak dikenal.")) from exc
    found = set(LifeEvent.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    if len(found) != len(wanted):
        raise field_error("life_event_ids", _("Peristiwa hidup tidak dikenal."))
    return wanted


LOCAL_FIELDS = (
    "name",
    "summary",
    "completion_days",
    "completion_note",
    "fee_kind",
    "fee_amount",
    "fee_basis",
    "product",
    "complaint_handling",
    "legal_basis",
    "local_notes",
)


def _apply_local_fields(offering: Offering, fields: dict) -> dict:
    changed: dict[str, Any] = {}
    for name, value in fields.items():
        if value is _UNSET:
            continue
        if name == "fee_amount":
            value = _clean_fee(value) or Decimal(0)
        elif name == "fee_kind":
            value = value or None
        elif name == "completion_days":
            if value in ("", None):
                value = None
            else:
                try:
                    value = int(value)
                except (TypeError, ValueError) as exc:
                    raise field_error(
                        "completion_days", _("Jangka waktu harus berupa jumlah hari kerja.")
                    ) from exc
                if value < 0 or value > 365:
                    raise field_error(
                        "completion_days", _("Jangka waktu harus antara 0 dan 365 hari kerja.")
                    )
        elif isinstance(value, str):
            value = value.strip()
        if getattr(offering, name) != value:
            changed[name] = value
            setattr(offering, name, value)
    return changed


def _check_local_required(offering: Offering, steps: Sequence[str] | None) -> None:
    required = {
        "name": _("Nama layanan wajib diisi."),
        "product": _("Produk layanan wajib diisi."),
        "complaint_handling": _("Penanganan pengaduan wajib diisi."),
    }
    for name, message in required.items():
        if not getattr(offering, name):
            raise field_error(name, message)
    if offering.completion_days is None:
        raise field_error("completion_days", _("Jangka waktu (hari kerja) wajib diisi."))
    if steps is not None and not [s for s in steps if s and s.strip()]:
        raise field_error("steps", _("Isi sedikitnya satu langkah prosedur."))
    _check_fee_kind(offering.fee_kind, offering.fee_amount)


@transaction.atomic
def local_service_create(
    *,
    actor,
    name: str,
    product: str,
    complaint_handling: str,
    completion_days: int | None,
    steps: Sequence[str],
    requirements: Sequence[dict] = (),
    agency=None,
    local_agency: LocalAgency | None = None,
    booth: Booth | None = None,
    channels: Sequence[str] = (Channel.WALK_IN,),
    summary: str = "",
    completion_note: str = "",
    fee_kind: str | None = None,
    fee_amount=0,
    fee_basis: str = "",
    legal_basis: str = "",
    local_notes: str = "",
    life_event_ids: Iterable[int] = (),
    quota_online=None,
    quota_queue=None,
    quota_walk_in=None,
) -> Offering:
    """A service only this MPP offers, with the six standard components of its own."""
    if booth is not None and agency is None and local_agency is None:
        agency, local_agency = booth.agency, booth.local_agency
    if agency is None and local_agency is None:
        raise field_error("agency", _("Pilih instansi penyelenggara (atau gerainya)."))
    if agency is not None and local_agency is not None:
        raise field_error("agency", _("Pilih satu instansi saja: nasional atau lokal."))
    offering = Offering(agency=agency, local_agency=local_agency, booth=booth)
    _apply_local_fields(
        offering,
        {
            "name": name,
            "summary": summary,
            "completion_days": completion_days,
            "completion_note": completion_note,
            "fee_kind": fee_kind,
            "fee_amount": fee_amount,
            "fee_basis": fee_basis,
            "product": product,
            "complaint_handling": complaint_handling,
            "legal_basis": legal_basis,
            "local_notes": local_notes,
        },
    )
    _check_local_required(offering, steps)
    offering.channels = _clean_channels(channels, allowed=None)
    offering.life_event_ids = _clean_life_events(life_event_ids)
    quotas = {"quota_online": quota_online, "quota_queue": quota_queue}
    quotas["quota_walk_in"] = quota_walk_in
    for field, value in quotas.items():
        setattr(offering, field, _clean_quota(field, value))
    offering.code = _unique_local_code(offering.name)
    full_clean_or_error(offering, exclude=["agency", "local_agency", "service", "booth"])
    try:
        with transaction.atomic():
            offering.save()
    except IntegrityError as exc:  # a concurrent create took the code
        raise ConflictError(_("Layanan dengan nama ini baru saja dibuat. Coba lagi.")) from exc
    _set_steps(offering, steps)
    _set_requirements(offering, requirements)
    audit_log(
        actor=actor,
        action="mpp.local_service.created",
        target=offering,
        data={"code": offering.code, "name": offering.name},
    )
    return offering


@transaction.atomic
def local_service_update(
    *,
    actor,
    offering: Offering,
    steps: Sequence[str] | None = None,
    requirements: Sequence[dict] | None = None,
    channels: Sequence[str] | None = None,
    life_event_ids: Iterable[int] | None = None,
    booth=_UNSET,
    **fields,
) -> Offering:
    """Change a local-only service. Unknown field names are refused."""
    if not offering.is_local:
        raise DomainError(_("Layanan nasional hanya dapat diubah pada bagian yang diizinkan."))
    unknown = set(fields) - set(LOCAL_FIELDS) - set(QUOTA_FIELDS) - {"is_active"}
    if unknown:
        raise DomainError(_("Kolom tidak dikenal: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    changed = _apply_local_fields(offering, {k: v for k, v in fields.items() if k in LOCAL_FIELDS})
    for field in QUOTA_FIELDS:
        if field in fields:
            value = _clean_quota(field, fields[field])
            if getattr(offering, field) != value:
                changed[field] = value
                setattr(offering, field, value)
    if "is_active" in fields and bool(fields["is_active"]) != offering.is_active:
        offering.is_active = bool(fields["is_active"])
        changed["is_active"] = offering.is_active
    if channels is not None:
        offering.channels = _clean_channels(channels, allowed=None)
        changed["channels"] = offering.channels
    if life_event_ids is not None:
        offering.life_event_ids = _clean_life_events(life_event_ids)
        changed["life_event_ids"] = offering.life_event_ids
    if booth is not _UNSET:
        offering.booth = booth
        changed["booth"] = booth
    _check_local_required(offering, steps)
    full_clean_or_error(offering, exclude=["agency", "local_agency", "service", "booth"])
    offering.save()
    if steps is not None:
        _set_steps(offering, steps)
        changed["steps"] = list(steps)
    if requirements is not None:
        _set_requirements(offering, requirements)
        changed["requirements"] = _requirements_snapshot(offering)
    audit_log(
        actor=actor,
        action="mpp.local_service.updated",
        target=offering,
        data={k: _jsonable(v) for k, v in changed.items()},
    )
    return offering
