"""Filing a complaint: by a signed-in citizen (region site or API), by counter staff on behalf of
a walk-in, or at the kiosk without an account. Runs inside the region's schema.

Everything is checked before anything is written (one transaction): a refused filing stores
nothing, and the form shows what to fix with the citizen's text still in it. Filing through the
API is idempotent by ``client_key``.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kernel.audit import audit_log
from kernel.errors import DomainError
from shared.accounts.models import normalize_phone
from shared.citizens.models import CitizenProfile
from shared.citizens.validation import CheckedUpload, check_upload
from shared.complaints.models import ComplaintKind
from shared.webhooks.models import EventKind
from shared.webhooks.services import region_event_emit
from tenants.applications.models import Application
from tenants.complaints.models import (
    RESPONSE_DAYS,
    Attachment,
    Channel,
    Complaint,
    Event,
    NumberSequence,
    Privacy,
)
from tenants.complaints.services.common import (
    CITIZEN,
    MAX_DESCRIPTION,
    MAX_SUBJECT,
    MIN_DESCRIPTION,
    MIN_SUBJECT,
    clean_text,
    current_region,
    field_error,
    index_write,
)
from tenants.complaints.services.notify import event_notice_enqueue
from tenants.mpp.models import Offering
from tenants.mpp.selectors import add_region_working_days, region_today
from tenants.queue.codes import ALPHABET
from tenants.queue.models import Booking, Ticket

TRACKING_LENGTH = 10
#: Evidence files per complaint, over its whole life.
MAX_ATTACHMENTS = 5


def new_tracking_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(TRACKING_LENGTH))


def normalize_tracking_code(raw) -> str:
    """What a person typed (dashes, spaces, lower case) as stored."""
    text = raw if isinstance(raw, str) else ""
    return "".join(ch for ch in text.upper() if ch.isalnum())[:32]


def display_tracking_code(code: str) -> str:
    return f"{code[:5]}-{code[5:]}" if len(code) == TRACKING_LENGTH else code


@dataclass
class Filing:
    """What the form or the API sent, before checking. Links are raw (ids, numbers, codes)."""

    kind: str = ""
    subject: str = ""
    description: str = ""
    privacy: str = Privacy.NORMAL
    offering_id: object = None
    application_id: object = None  # the citizen's own application (online, API)
    application_number: str = ""  # counter staff type the number from the receipt
    booking_code: str = ""  # the citizen's own booking (online, API)
    ticket_number: str = ""  # today's queue ticket, e.g. "A-012" (counter, kiosk)
    name: str = ""
    phone: str = ""
    email: str = ""
    uploads: list = field(default_factory=list)
    client_key: uuid.UUID | str | None = None


@dataclass
class _Links:
    offering: Offering | None = None
    application: Application | None = None
    ticket: Ticket | None = None

    @property
    def about(self) -> str:
        if self.application is not None:
            return self.application.offering_name
        offering = self.offering or (self.ticket.offering if self.ticket else None)
        if offering is None:
            return ""
        from tenants.mpp.selectors import offering_effective_standard

        return offering_effective_standard(offering).name


def _int(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _links(filing: Filing, *, owner, channel: str, errors: dict) -> _Links:
    links = _Links()
    offering_id = _int(filing.offering_id)
    if filing.offering_id not in (None, "") and offering_id is None:
        errors["offering"] = [_("Layanan tidak ditemukan.")]
    elif offering_id is not None:
        links.offering = Offering.objects.active().filter(pk=offering_id).first()
        if links.offering is None:
            errors["offering"] = [_("Layanan tidak ditemukan.")]
    if channel in (Channel.ONLINE, Channel.API):
        application_id = _int(filing.application_id)
        if filing.application_id not in (None, "") and application_id is None:
            errors["application"] = [_("Permohonan tidak ditemukan.")]
        elif application_id is not None:
            profile_ids = CitizenProfile.objects.filter(user=owner).values("pk")
            links.application = (
                Application.objects.select_related("offering", "booth")
                .filter(pk=application_id, citizen_id__in=profile_ids)
                .exclude(number__isnull=True)
                .first()
            )
            if links.application is None:
                errors["application"] = [_("Permohonan tidak ditemukan di akun Anda.")]
        code = "".join(ch for ch in (filing.booking_code or "").upper() if ch.isalnum())
        if code:
            booking = (
                Booking.objects.select_related("offering").filter(code=code, citizen=owner).first()
            )
            if booking is None:
                errors["booking"] = [_("Kode booking tidak ditemukan di akun Anda.")]
            else:
                links.ticket = Ticket.objects.filter(booking=booking).first()
                links.offering = links.offering or booking.offering
    else:
        number = (filing.application_number or "").strip().upper()
        if number and channel == Channel.COUNTER:
            links.application = (
                Application.objects.select_related("offering", "booth")
                .filter(number=number)
                .first()
            )
            if links.application is None:
                errors["application"] = [_("Nomor permohonan tidak ditemukan di MPP ini.")]
        ticket = "".join(ch for ch in (filing.ticket_number or "").upper() if ch.isalnum())
        if ticket:
            prefix, digits = ticket[:1], ticket[1:]
            links.ticket = (
                Ticket.objects.select_related("offering")
                .filter(date=region_today(), prefix=prefix, seq=int(digits))
                .first()
                if prefix.isalpha() and digits.isdigit() and len(digits) <= 6
                else None
            )
            if links.ticket is None:
                errors["ticket"] = [_("Nomor antrean hari ini tidak ditemukan.")]
    return links


def _identity(filing: Filing, *, owner, privacy: str, errors: dict) -> tuple[str, str, str]:
    """(name, phone, email) to store. Anonymous stores nothing at all."""
    if privacy == Privacy.ANONYMOUS:
        return "", "", ""
    if owner is not None:
        profile = CitizenProfile.objects.filter(user=owner).first()
        name = (profile.full_name if profile else "") or owner.full_name or ""
        phone = (profile.contact_phone if profile else "") or owner.phone or ""
        return name[:150], phone[:20], (owner.email or "")[:254]
    name = " ".join((filing.name or "").split())[:150]
    phone = ""
    if (filing.phone or "").strip():
        phone = normalize_phone(filing.phone) or ""
        if not phone:
            errors["phone"] = [
                _("Nomor HP tidak valid: gunakan nomor Indonesia, misalnya 0812-3456-7890.")
            ]
    email = (filing.email or "").strip().lower()
    if email:
        from django.core.validators import validate_email

        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Alamat email tidak valid.")]
            email = ""
    return name, phone, email[:254]


def check_uploads(uploads, *, field_name: str, already: int = 0) -> list[tuple[Any, CheckedUpload]]:
    """(upload, checked) pairs under the vault's rules; a DomainError on the field otherwise."""
    uploads = [u for u in uploads or [] if u is not None]
    if already + len(uploads) > MAX_ATTACHMENTS:
        raise field_error(
            field_name,
            _("Paling banyak %(n)s berkas bukti per pengaduan.") % {"n": MAX_ATTACHMENTS},
        )
    checked = []
    for upload in uploads:
        try:
            checked.append((upload, check_upload(upload)))
        except ValidationError as exc:
            raise DomainError(
                exc.messages[0], code="invalid_file", extra={"errors": {field_name: exc.messages}}
            ) from exc
    return checked


def store_attachments(*, complaint, checked, actor, side: str, message=None) -> list[Attachment]:
    stored = []
    for upload, result in checked:
        attachment = Attachment(
            complaint=complaint,
            message=message,
            side=side,
            original_name=(upload.name or "bukti")[-200:],
            content_type=result.content_type,
            size=result.size,
            sha256=result.sha256,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        attachment.file.save(upload.name or "bukti", upload, save=False)
        attachment.save()
        stored.append(attachment)
    return stored


def _next_number(today) -> str:
    sequence, _created = NumberSequence.objects.select_for_update().get_or_create(year=today.year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    code = current_region().code.replace(".", "")
    return f"ADU-{code}-{today.year}-{sequence.last:05d}"


def complaint_file(*, actor, channel: str, filing: Filing, owner=None) -> Complaint:
    """File a complaint. ``owner`` is the signed-in citizen (online, API); counter staff file
    with ``actor`` = themselves and no owner; a kiosk files with neither.

    Raises DomainError with per-field errors; nothing is stored then."""
    if channel not in Channel.values:
        raise DomainError(_("Kanal tidak dikenal."))
    if channel in (Channel.ONLINE, Channel.API) and owner is None:
        raise DomainError(_("Masuk terlebih dahulu untuk menyampaikan pengaduan."))
    if filing.client_key:
        existing = Complaint.objects.filter(client_key=filing.client_key).first()
        if existing is not None:
            if existing.owner_id != getattr(owner, "pk", None):
                raise field_error("client_key", _("Kunci ini sudah dipakai."))
            return existing
    errors: dict[str, list[str]] = {}
    if filing.kind not in ComplaintKind.values:
        errors["kind"] = [_("Pilih jenis laporan.")]
    privacy = filing.privacy or Privacy.NORMAL
    if privacy not in Privacy.values:
        errors["privacy"] = [_("Pilih kerahasiaan identitas.")]
        privacy = Privacy.NORMAL
    for name, value, low, high in (
        ("subject", filing.subject, MIN_SUBJECT, MAX_SUBJECT),
        ("description", filing.description, MIN_DESCRIPTION, MAX_DESCRIPTION),
    ):
        try:
            clean_text(value, field=name, max_length=high, min_length=low)
        except DomainError as exc:
            errors.update(exc.extra["errors"])
    links = _links(filing, owner=owner, channel=channel, errors=errors)
    name, phone, email = _identity(filing, owner=owner, privacy=privacy, errors=errors)
    if channel == Channel.COUNTER and privacy != Privacy.ANONYMOUS and not name:
        errors["name"] = [_("Isi nama pelapor, atau pilih anonim.")]
    try:
        checked = check_uploads(filing.uploads, field_name="attachments")
    except DomainError as exc:
        errors.update(exc.extra.get("errors", {}))
        checked = []
    if errors:
        first = next(iter(errors.values()))[0]
        raise DomainError(
            _("Periksa isian pengaduan: %(problem)s") % {"problem": first},
            code="invalid",
            extra={"errors": errors},
        )
    today = region_today()
    try:
        with transaction.atomic():
            complaint = Complaint.objects.create(
                number=_next_number(today),
                tracking_code=new_tracking_code(),
                kind=filing.kind,
                channel=channel,
                privacy=privacy,
                subject=filing.subject.strip(),
                description=filing.description.strip(),
                offering=links.offering
                or (links.application.offering if links.application else None)
                or (links.ticket.offering if links.ticket else None),
                application=links.application,
                ticket=links.ticket,
                about=links.about[:200],
                owner=owner,
                complainant_name=name,
                complainant_phone=phone,
                complainant_email=email,
                filed_by=actor if getattr(actor, "is_authenticated", False) else None,
                client_key=filing.client_key or None,
                received_on=today,
                response_due=add_region_working_days(today, RESPONSE_DAYS),
            )
            event = Event.objects.create(
                complaint=complaint,
                action="filed",
                to_status=complaint.status,
                actor=complaint.filed_by,
                actor_role=CITIZEN if owner is not None else (channel if actor is None else ""),
                note=str(Channel(channel).label),
            )
            store_attachments(complaint=complaint, checked=checked, actor=actor, side="citizen")
            audit_log(
                actor=actor,
                action="complaints.complaint.filed",
                target=complaint,
                data={"number": complaint.number, "channel": channel, "kind": filing.kind},
            )
            region_event_emit(
                kind=EventKind.COMPLAINT_FILED,
                subject_type="complaint",
                subject_id=complaint.pk,
                data={
                    "number": complaint.number,
                    "status": complaint.status,
                    "kind": complaint.kind,
                },
            )
            index_write(complaint)
            # The complainant's receipt and the officers' alert leave from a worker after
            # commit (services/notify.py), the receipt in the complainant's language.
            event_notice_enqueue(event)
    except IntegrityError as exc:
        # Two requests with the same client key raced: the first one won; answer it.
        if filing.client_key:
            existing = Complaint.objects.filter(client_key=filing.client_key).first()
            if existing is not None:
                return existing
        raise DomainError(_("Pengaduan tidak dapat disimpan. Coba lagi.")) from exc
    return complaint
