"""Drafting and submitting an application (the citizen online, or counter staff for a walk-in
citizen). Runs inside the region's schema.

A draft is never lost: saving keeps everything that is valid and reports the rest (a file of the
wrong type, a number that is not one) instead of refusing the whole save. Submitting is strict:
the profile, every mandatory requirement and every required field must be there. Submitting is
idempotent (a second submit of the same application, or a replayed form with the same client
key, answers the existing application).
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.audit import audit_log
from kernel.errors import ConflictError, DomainError, NotFoundError
from shared.citizens.models import ApplicationStatus, CitizenProfile, Document
from shared.citizens.services import document_upload
from shared.citizens.validation import check_upload
from shared.webhooks.models import EventKind
from shared.webhooks.services import event_emit
from tenants.applications.common import (
    CITIZEN_ROLE,
    current_region,
    index_write,
    requirement_slots,
)
from tenants.applications.models import (
    Application,
    ApplicationFile,
    ApplicationRequirement,
    FormField,
    NumberSequence,
    StatusChange,
)
from tenants.applications.selectors import form_fields, offering_accepts_online
from tenants.applications.services.notify import status_notice_enqueue
from tenants.mpp.models import Offering
from tenants.mpp.selectors import (
    add_region_working_days,
    offering_effective_standard,
    region_today,
)

Errors = dict[str, list[str]]

APPLICANT_FIELDS = (
    "full_name",
    "nik",
    "birth_place",
    "birth_date",
    "gender",
    "address_line",
    "province_code",
    "regency_code",
    "district_code",
    "village_code",
    "postal_code",
    "phone",
)
MAX_TEXT = 1000


# --- requirements --------------------------------------------------------------------------------
def _sync_requirements(application: Application, standard) -> dict[str, ApplicationRequirement]:
    """Make the application's requirement rows match the offering's *current* standard."""
    slots = requirement_slots(standard)
    rows = {r.key: r for r in application.requirements.all()}
    wanted = {slot.key for slot in slots}
    stale = [key for key in rows if key not in wanted]
    if stale:
        ApplicationRequirement.objects.filter(application=application, key__in=stale).delete()
    for slot in slots:
        row = rows.get(slot.key)
        if row is None:
            rows[slot.key] = ApplicationRequirement.objects.create(
                application=application,
                key=slot.key,
                position=slot.position,
                label=slot.label[:400],
                document_type_id=slot.document_type_id,
                is_mandatory=slot.is_mandatory,
            )
        elif (row.position, row.label, row.is_mandatory) != (
            slot.position,
            slot.label[:400],
            slot.is_mandatory,
        ):
            row.position, row.label, row.is_mandatory = (
                slot.position,
                slot.label[:400],
                slot.is_mandatory,
            )
            row.save(update_fields=["position", "label", "is_mandatory"])
    return {key: row for key, row in rows.items() if key in wanted}


def _own_document(
    citizen: CitizenProfile, document_id, document_type_id, *, attached_id: int | None = None
) -> Document | None:
    """One of the citizen's vault documents of this type. An archived ("deleted") document is
    never attached anew; it stays only where it is already attached (``attached_id``)."""
    try:
        document_id = int(document_id)
    except (TypeError, ValueError):
        return None
    found = Document.objects.filter(
        pk=document_id, profile=citizen, document_type_id=document_type_id
    )
    if document_id != attached_id:
        found = found.filter(archived_at__isnull=True)
    return found.first()


def _apply_requirements(
    *,
    actor,
    application: Application,
    rows: dict[str, ApplicationRequirement],
    choices: dict,
    confirmations,
    uploads: dict,
    source: str,
    errors: Errors,
) -> None:
    for key, row in rows.items():
        changed = False
        if row.document_type_id:
            if uploads.get(key) is not None:
                try:
                    document = document_upload(
                        actor=actor,
                        profile=application.citizen,
                        document_type=row.document_type,
                        upload=uploads[key],
                        source=source,
                    )
                except ValidationError as exc:
                    errors.setdefault(f"req-{key}", []).extend(exc.messages)
                else:
                    row.document = document
                    changed = True
            elif key in choices:
                chosen = choices[key]
                if chosen in (None, ""):
                    row.document, changed = None, row.document_id is not None
                else:
                    owned = _own_document(
                        application.citizen,
                        chosen,
                        row.document_type_id,
                        attached_id=row.document_id,
                    )
                    if owned is None:
                        errors.setdefault(f"req-{key}", []).append(
                            _("Dokumen yang dipilih tidak ada di brankas Anda.")
                        )
                    elif owned.pk != row.document_id:
                        row.document, changed = owned, True
        elif confirmations is not None:
            confirmed = key in confirmations
            if confirmed != row.confirmed:
                row.confirmed, changed = confirmed, True
        if changed:
            row.save(update_fields=["document", "confirmed"])


# --- extra fields --------------------------------------------------------------------------------
def _clean_answer(field: FormField, raw) -> object:
    """A valid value for the field, or ValidationError. Empty answers are ``None``."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    text = str(raw).strip()
    if field.kind == FormField.Kind.TEXT:
        if len(text) > MAX_TEXT:
            raise ValidationError(_("Terlalu panjang (maksimal %(n)s karakter).") % {"n": MAX_TEXT})
        return text
    if field.kind == FormField.Kind.NUMBER:
        try:
            value = Decimal(text.replace(",", "."))
        except InvalidOperation as exc:
            raise ValidationError(_("Isi dengan angka.")) from exc
        if not value.is_finite():
            raise ValidationError(_("Isi dengan angka."))
        return str(value)
    if field.kind == FormField.Kind.DATE:
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError as exc:
            raise ValidationError(_("Isi tanggal dengan format TTTT-BB-HH.")) from exc
    if field.kind == FormField.Kind.CHOICE:
        if text not in field.choices:
            raise ValidationError(_("Pilih salah satu pilihan yang tersedia."))
        return text
    raise ValidationError(_("Jenis isian tidak dikenal."))


def _apply_answers(
    *,
    actor,
    application: Application,
    fields: list[FormField],
    answers: dict,
    field_uploads: dict,
    errors: Errors,
) -> None:
    data = dict(application.data)
    for field in fields:
        if field.kind == FormField.Kind.FILE:
            upload = field_uploads.get(field.key)
            if upload is None:
                continue
            try:
                checked = check_upload(upload)
            except ValidationError as exc:
                errors.setdefault(f"field-{field.key}", []).extend(exc.messages)
                continue
            stored = ApplicationFile(
                application=application,
                purpose=ApplicationFile.Purpose.FIELD,
                field_key=field.key,
                original_name=(upload.name or "berkas")[-200:],
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
                uploaded_by=actor if actor.is_authenticated else None,
            )
            stored.file.save(upload.name or "berkas", checked.file, save=False)
            stored.save()
            data[field.key] = {"file_id": stored.pk, "name": stored.original_name}
            continue
        if field.key not in answers:
            continue
        try:
            data[field.key] = _clean_answer(field, answers[field.key])
        except ValidationError as exc:
            errors.setdefault(f"field-{field.key}", []).extend(exc.messages)
            # Keep what was typed, so the form shows it again with the message.
            data[field.key] = str(answers[field.key])[:MAX_TEXT]
    application.data = data


# --- draft ---------------------------------------------------------------------------------------
def _require_counter_consent(*, actor, citizen: CitizenProfile) -> None:
    """Counter staff act for a citizen only under the consent given at this counter, this visit
    (shared.citizens.services.counter): nothing uploaded or filed at a counter goes to a record
    whose owner did not prove to be the person standing there."""
    from shared.citizens.services import counter_consent_active

    if counter_consent_active(actor=actor, region=current_region(), profile_id=citizen.pk) is None:
        raise NotFoundError(
            _("Persetujuan warga untuk kunjungan ini tidak ada atau sudah berakhir.")
        )


def _log_assisted(*, actor, citizen: CitizenProfile, application: Application) -> None:
    from shared.citizens.services import counter_assisted_logged
    from tenants.applications.services.assisted import counter_desk

    counter_assisted_logged(
        desk=counter_desk(actor), profile=citizen, reference=application.number or ""
    )


def _new_application(
    *, actor, citizen, offering: Offering, standard, client_key, is_assisted: bool
) -> Application:
    if client_key:
        existing = Application.objects.filter(client_key=client_key).first()
        if existing is not None:
            if existing.citizen_id != citizen.pk:
                raise ConflictError(_("Kunci permohonan ini sudah dipakai."))
            return existing
    if not is_assisted and not offering_accepts_online(offering, standard):
        raise DomainError(_("Layanan ini tidak menerima permohonan daring."), code="not_online")
    if not offering.is_active:
        raise DomainError(_("Layanan ini tidak lagi ditawarkan."), code="not_offered")
    try:
        with transaction.atomic():
            application = Application.objects.create(
                offering=offering,
                booth=offering.booth,
                citizen=citizen,
                offering_name=standard.name[:200],
                agency_name=standard.agency_name[:200],
                completion_days=standard.completion_days,
                is_assisted=is_assisted,
                created_by=actor if actor.is_authenticated else None,
                client_key=client_key or None,
            )
    except IntegrityError:  # the same form posted twice at once: the other post created it
        application = Application.objects.get(client_key=client_key)
        if application.citizen_id != citizen.pk:
            raise ConflictError(_("Kunci permohonan ini sudah dipakai.")) from None
    return application


def application_draft_save(
    *,
    actor,
    citizen: CitizenProfile,
    offering: Offering | None = None,
    application: Application | None = None,
    answers: dict | None = None,
    choices: dict | None = None,
    confirmations=None,
    uploads: dict | None = None,
    field_uploads: dict | None = None,
    client_key: uuid.UUID | str | None = None,
    is_assisted: bool = False,
) -> tuple[Application, Errors]:
    """Create or update a draft (or a returned application being fixed). Returns the
    application and the per-input errors of what could not be kept; the rest is saved."""
    errors: Errors = {}
    is_new = application is None
    with transaction.atomic():
        if application is None:
            if offering is None:
                raise DomainError(_("Pilih layanan."))
            standard = offering_effective_standard(offering)
            application = _new_application(
                actor=actor,
                citizen=citizen,
                offering=offering,
                standard=standard,
                client_key=client_key,
                is_assisted=is_assisted,
            )
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.citizen_id != citizen.pk:
            raise ConflictError(_("Permohonan ini milik warga lain."))
        if application.is_assisted:
            _require_counter_consent(actor=actor, citizen=citizen)
            if is_new:
                _log_assisted(actor=actor, citizen=citizen, application=application)
        if not application.is_editable_by_citizen:
            return application, errors  # already submitted: a replayed form changes nothing
        offering = application.offering
        from tenants.mpp.selectors import offerings_for_standard

        offering = offerings_for_standard(Offering.objects.filter(pk=offering.pk)).get()
        standard = offering_effective_standard(offering)
        rows = _sync_requirements(application, standard)
        source = Document.Source.COUNTER if application.is_assisted else Document.Source.APPLICATION
        _apply_requirements(
            actor=actor,
            application=application,
            rows=rows,
            choices=choices or {},
            confirmations=confirmations,
            uploads=uploads or {},
            source=source,
            errors=errors,
        )
        _apply_answers(
            actor=actor,
            application=application,
            fields=form_fields(offering),
            answers=answers or {},
            field_uploads=field_uploads or {},
            errors=errors,
        )
        application.save()
        audit_log(
            actor=actor,
            action="applications.application.draft_saved",
            target=application,
            data={"problems": sorted(errors)},
        )
        index_write(application)
    return application, errors


# --- submit --------------------------------------------------------------------------------------
def _next_number(year: int) -> str:
    """The next number of the year, under the year's row lock (see NumberSequence)."""
    NumberSequence.objects.bulk_create([NumberSequence(year=year)], ignore_conflicts=True)
    sequence = NumberSequence.objects.select_for_update().get(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    prefix = current_region().code.replace(".", "")
    return f"{prefix}-{year}-{sequence.last:06d}"


def submission_problems(application: Application, *, offering: Offering, standard) -> Errors:
    """Everything that stops a submission, per input; empty when it can go."""
    problems: Errors = {}
    citizen = application.citizen
    if not citizen.is_complete:
        labels = {
            "nik": _("NIK"),
            "full_name": _("nama lengkap"),
            "birth_place": _("tempat lahir"),
            "birth_date": _("tanggal lahir"),
            "address_line": _("alamat"),
            "regency_code": _("kabupaten/kota"),
        }
        problems["profile"] = [
            _("Lengkapi profil: %(fields)s.")
            % {"fields": ", ".join(str(labels[f]) for f in citizen.missing_fields)}
        ]
    rows = _sync_requirements(application, standard)
    for key, row in rows.items():
        if row.is_mandatory and not row.is_met:
            message = (
                _("Pilih atau unggah dokumen untuk persyaratan ini.")
                if row.document_type_id
                else _("Centang untuk menyatakan persyaratan ini terpenuhi.")
            )
            problems.setdefault(f"req-{key}", []).append(message)
    for field in form_fields(offering):
        value = application.data.get(field.key)
        if field.kind == FormField.Kind.FILE:
            if field.is_required and not value:
                problems[f"field-{field.key}"] = [_("Unggah berkas untuk isian ini.")]
            continue
        try:
            clean = _clean_answer(field, value)
        except ValidationError as exc:
            problems[f"field-{field.key}"] = list(exc.messages)
            continue
        if field.is_required and clean is None:
            problems[f"field-{field.key}"] = [_("Isian ini wajib diisi.")]
    return problems


def _check_open_limit(application: Application, citizen: CitizenProfile) -> None:
    """At most MPP_MAX_OPEN_APPLICATIONS_PER_SERVICE open applications for one service per
    citizen, counted over every profile with the same verified phone (brokers, *calo*)."""
    from django.conf import settings

    from shared.citizens.models import OPEN_STATUSES
    from shared.citizens.selectors import identity_profile_ids

    limit = settings.MPP_MAX_OPEN_APPLICATIONS_PER_SERVICE
    open_ones = (
        Application.objects.filter(
            citizen_id__in=identity_profile_ids(citizen),
            offering_id=application.offering_id,
            status__in=(*OPEN_STATUSES, ApplicationStatus.RETURNED),
        )
        .exclude(pk=application.pk)
        .count()
    )
    if open_ones >= limit:
        raise DomainError(
            _(
                "Sudah ada %(n)d permohonan layanan ini yang masih diproses untuk warga ini. "
                "Tunggu sampai selesai sebelum mengajukan lagi."
            )
            % {"n": open_ones},
            code="limit_open_applications",
        )


def _applicant_snapshot(citizen: CitizenProfile) -> dict:
    """The applicant as submitted. The NIK is kept encrypted (``nik_encrypted``) like the
    profile's; ``Application.applicant_view`` decrypts it for the pages that show it."""
    snapshot = {}
    for name in APPLICANT_FIELDS:
        value = getattr(citizen, name)
        snapshot[name] = value.isoformat() if isinstance(value, dt.date) else (value or "")
    snapshot["nik_encrypted"] = citizen.nik_encrypted
    snapshot.pop("nik", None)
    snapshot["email"] = citizen.contact_email
    snapshot["phone"] = citizen.contact_phone
    return snapshot


def application_submit(*, actor, application: Application, role: str = CITIZEN_ROLE) -> Application:
    """Submit (or resubmit after a return). Idempotent: an application that is already past
    this step is answered as it is. Raises DomainError (code ``incomplete``, with ``errors``
    per input) when something required is missing; the draft stays as it was."""
    from tenants.mpp.selectors import offerings_for_standard

    with transaction.atomic():
        application = (
            Application.objects.select_for_update()
            .select_related("offering")
            .get(pk=application.pk)
        )
        if not application.is_editable_by_citizen:
            return application
        offering = offerings_for_standard(Offering.objects.filter(pk=application.offering_id)).get()
        standard = offering_effective_standard(offering)
        if not offering.is_active:
            raise DomainError(_("Layanan ini tidak lagi ditawarkan."), code="not_offered")
        if not application.is_assisted and not offering_accepts_online(offering, standard):
            raise DomainError(_("Layanan ini tidak menerima permohonan daring."), code="not_online")
        citizen = CitizenProfile.objects.select_related("user").get(pk=application.citizen_id)
        application.citizen = citizen
        if application.is_assisted:
            _require_counter_consent(actor=actor, citizen=citizen)
        _check_open_limit(application, citizen)
        problems = submission_problems(application, offering=offering, standard=standard)
        if problems:
            raise DomainError(
                _("Permohonan belum lengkap. Periksa bagian yang ditandai."),
                code="incomplete",
                extra={"errors": problems},
            )
        now = timezone.now()
        today = region_today()
        previous = application.status
        if application.number is None:
            application.number = _next_number(today.year)
            application.first_submitted_at = now
        application.applicant = _applicant_snapshot(citizen)
        application.offering_name = standard.name[:200]
        application.agency_name = standard.agency_name[:200]
        application.completion_days = standard.completion_days
        application.booth = offering.booth
        application.submitted_at = now
        # The working days run from this (re)submission: a return for revision stops the clock.
        application.due_date = (
            add_region_working_days(today, standard.completion_days)
            if standard.completion_days
            else None
        )
        application.status = ApplicationStatus.SUBMITTED
        application.overdue_notified_on = None
        application.save()
        change = StatusChange.objects.create(
            application=application,
            from_status=previous,
            to_status=ApplicationStatus.SUBMITTED,
            actor=actor if actor.is_authenticated else None,
            actor_role=role,
        )
        audit_log(
            actor=actor,
            action=(
                "applications.application.resubmitted"
                if previous == ApplicationStatus.RETURNED
                else "applications.application.submitted"
            ),
            target=application,
            data={"number": application.number, "assisted": application.is_assisted},
        )
        index_write(application)
        event_emit(
            kind=EventKind.APPLICATION_SUBMITTED,
            region=current_region(),
            subject_type="application",
            subject_id=application.pk,
            data={
                "number": application.number,
                "status": application.status,
                "previous_status": previous,
            },
        )
        # The citizen is told by a worker after commit, in their own language (notify.py).
        status_notice_enqueue(change)
    return application
