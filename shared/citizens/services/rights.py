"""The citizen's rights under UU 27/2022 (PDP): a copy of their data, and deleting the account
with the retention rules for completed applications shown first and then applied."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kernel.audit import audit_log
from kernel.errors import DomainError
from shared.citizens import hooks
from shared.citizens.models import (
    FINAL_STATUSES,
    ApplicationIndex,
    ApplicationStatus,
    CitizenProfile,
    CounterConsent,
    DataAccessLog,
    Document,
    OneTimeCode,
)

#: Statuses that stop an account deletion: the region still owes the citizen an answer.
BLOCKING_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.RETURNED,
    ApplicationStatus.VERIFIED,
    ApplicationStatus.PROCESSING,
)
PROFILE_EXPORT_FIELDS = (
    "full_name",
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
    "phone_verified_at",
    "email_verified_at",
    "nik_status",
    "nik_verified_at",
    "nik_verified_method",
    "nik_verified_by_name",
    "nik_verified_booth",
    "birth_date_mismatch_confirmed_at",
    "registered_at_counter",
    "created_at",
    "updated_at",
)


def _json(value) -> str:
    def default(obj):
        if isinstance(obj, dt.date | dt.datetime):
            return obj.isoformat()
        return str(obj)

    return json.dumps(value, ensure_ascii=False, indent=2, default=default)


def citizen_data_export(*, user, profile: CitizenProfile) -> bytes:
    """One zip with everything the platform holds about the citizen: profile, vault (the files),
    applications and complaints in every region, and the access log."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        data = {name: getattr(profile, name) for name in PROFILE_EXPORT_FIELDS}
        data["nik"] = profile.nik
        data["email"] = profile.contact_email
        region = profile.nik_verified_region
        data["nik_verified_region"] = region.name if region is not None else ""
        archive.writestr("profil.json", _json(data))
        documents = []
        for document in Document.objects.filter(profile=profile).select_related("document_type"):
            suffix = (document.file.name or "")[-3:]
            name = f"dokumen/{document.pk}-{document.document_type.code}.{suffix}"
            try:
                with document.file.open("rb") as handle:
                    archive.writestr(name, handle.read())
            except FileNotFoundError:
                name = ""
            documents.append(
                {
                    "id": document.pk,
                    "type": document.document_type.name,
                    "file": name,
                    "original_name": document.original_name,
                    "uploaded_at": document.uploaded_at,
                    "source": document.get_source_display(),
                    "archived_at": document.archived_at,
                }
            )
        archive.writestr("dokumen.json", _json(documents))
        applications = [
            {
                "region": row.region.name,
                "number": row.number,
                "service": row.offering_name,
                "agency": row.agency_name,
                "status": row.get_status_display(),
                "assisted": row.is_assisted,
                "submitted_at": row.submitted_at,
                "due_date": row.due_date,
                "timeline": row.timeline,
            }
            for row in ApplicationIndex.objects.filter(profile=profile).select_related("region")
        ]
        archive.writestr("permohonan.json", _json(applications))
        log = [
            {
                "at": entry.accessed_at,
                "who": entry.actor_name,
                "role": entry.role_label,
                "region": entry.region.name if entry.region is not None else "",
                "booth": entry.booth_name,
                "action": entry.get_action_display(),
                "reference": entry.reference,
                "reason": entry.reason,
                "via": entry.get_via_display(),
            }
            for entry in DataAccessLog.objects.filter(profile=profile).select_related("region")
        ]
        archive.writestr("log-akses.json", _json(log))
        # What region apps hold (complaints …), from the regions the citizen has records in.
        for contributor in hooks.data_export_contributors:
            for name, content in contributor(profile).items():
                archive.writestr(name, content if isinstance(content, bytes) else _json(content))
        archive.writestr(
            "BACA-SAYA.txt",
            _(
                "Salinan data pribadi Anda di MPP Digital (UU 27/2022 tentang Pelindungan Data "
                "Pribadi), dibuat %(at)s.\nprofil.json: data diri; dokumen/ dan dokumen.json: "
                "brankas dokumen; permohonan.json: permohonan di semua daerah; pengaduan/ dan "
                "pengaduan.json: pengaduan Anda di semua daerah; log-akses.json: siapa yang "
                "membuka data Anda.\n"
            )
            % {"at": timezone.localtime().strftime("%d-%m-%Y %H:%M")},
        )
    audit_log(actor=user, action="citizens.data.exported", target=profile)
    return buffer.getvalue()


def retained_document_ids(profile: CitizenProfile) -> set[int]:
    kept: set[int] = set()
    for finder in hooks.retained_document_finders:
        kept |= set(finder(profile))
    return kept


def retention_plan(profile: CitizenProfile) -> dict:
    """What deleting the account would do, for the page that asks for confirmation."""
    rows = ApplicationIndex.objects.filter(profile=profile)
    blocking = list(rows.filter(status__in=BLOCKING_STATUSES).select_related("region"))
    final = rows.filter(status__in=FINAL_STATUSES).count()
    years = settings.MPP_APPLICATION_RETENTION_YEARS
    kept_documents = retained_document_ids(profile) if final else set()
    documents = Document.objects.filter(profile=profile)
    return {
        "blocking": blocking,
        "final_count": final,
        "years": years,
        "retain_until": _retain_until(years) if final else None,
        "kept_documents": documents.filter(pk__in=kept_documents).count(),
        "deleted_documents": documents.exclude(pk__in=kept_documents).count(),
    }


def _retain_until(years: int) -> dt.date:
    today = timezone.localdate()
    try:
        return today.replace(year=today.year + years)
    except ValueError:  # 29 February
        return today.replace(year=today.year + years, day=28)


def citizen_account_delete(*, user, profile: CitizenProfile, password: str) -> CitizenProfile:
    """Delete the account. Refused while an application is still open (the region owes an
    answer). Completed and rejected applications stay in their regions with the applicant data
    they were submitted with, and so do the documents attached to them, until the retention date;
    everything else (profile data, other documents, drafts, the sign-in) goes now."""
    if not user.check_password(password):
        raise DomainError(_("Kata sandi salah."), code="wrong_password")
    plan = retention_plan(profile)
    if plan["blocking"]:
        raise DomainError(
            ngettext(
                "Masih ada %(n)d permohonan yang sedang diproses. Tunggu sampai selesai atau "
                "ditolak sebelum menghapus akun.",
                "Masih ada %(n)d permohonan yang sedang diproses. Tunggu sampai selesai atau "
                "ditolak sebelum menghapus akun.",
                len(plan["blocking"]),
            )
            % {"n": len(plan["blocking"])},
            code="open_applications",
        )
    kept = retained_document_ids(profile) if plan["final_count"] else set()
    with transaction.atomic():
        for handler in hooks.account_deletion_handlers:
            handler(profile)
        ApplicationIndex.objects.filter(profile=profile, status=ApplicationStatus.DRAFT).delete()
        doomed = list(Document.objects.filter(profile=profile).exclude(pk__in=kept))
        files = [(d.file.storage, d.file.name) for d in doomed if d.file.name]

        def _delete_files() -> None:
            for storage, name in files:
                storage.delete(name)

        transaction.on_commit(_delete_files)
        Document.objects.filter(pk__in=[d.pk for d in doomed]).update(
            archived_at=timezone.now(), original_name="", sha256=""
        )
        OneTimeCode.objects.filter(profile=profile).delete()
        OneTimeCode.objects.filter(user=user).delete()
        CounterConsent.objects.filter(profile=profile).delete()
        profile.nik = None
        for name in (
            "full_name",
            "birth_place",
            "gender",
            "address_line",
            "province_code",
            "regency_code",
            "district_code",
            "village_code",
            "postal_code",
            "phone",
        ):
            setattr(profile, name, "")
        profile.birth_date = None
        profile.phone_verified_at = profile.email_verified_at = None
        profile.user = None
        profile.deleted_at = timezone.now()
        profile.retain_until = plan["retain_until"] or timezone.localdate()
        profile.save()
        user.email = f"dihapus-{user.pk}@akun.invalid"
        user.phone = None
        user.full_name = ""
        user.is_active = False
        user.password = make_password(None)
        user.save()
        user.memberships.all().delete()
        audit_log(
            actor=user,
            action="citizens.account.deleted",
            target=profile,
            data={"kept_documents": len(kept), "final_applications": plan["final_count"]},
        )
    return profile
