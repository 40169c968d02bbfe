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
from shared.citizens.validation import check_nik, normalize_nik
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


def profile_clean(data: dict, *, profile: CitizenProfile | None) -> dict:
    """Validate profile fields together (NIK against birth date and region). Returns cleaned
    values; raises ValidationError per field."""
    from lokal.wilayah import get_wilayah

    cleaned = dict(data)
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
    if cleaned.get("nik"):
        try:
            encoded = check_nik(
                cleaned["nik"],
                birth_date=birth_date,
                regency_code=regency or None,
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
        else:
            cleaned["gender"] = encoded["gender"]
            taken = CitizenProfile.objects.filter(nik=cleaned["nik"])
            if profile is not None and profile.pk:
                taken = taken.exclude(pk=profile.pk)
            if taken.exists():
                errors.setdefault("nik", []).append(
                    _(
                        "NIK ini sudah terdaftar. Jika petugas loket pernah membuatkan permohonan "
                        "untuk Anda, klaim permohonan itu dengan kode klaim pada tanda terima."
                    )
                )
        if (
            profile is not None
            and profile.pk
            and profile.nik
            and cleaned["nik"] != profile.nik
            and has_submitted_applications(profile)
        ):
            errors.setdefault("nik", []).append(
                _("NIK tidak dapat diubah setelah Anda mengajukan permohonan.")
            )
    if regency:
        cleaned["province_code"] = regency[:2]
    if errors:
        raise ValidationError(errors)
    return cleaned


def profile_update(*, actor, profile: CitizenProfile, data: dict) -> CitizenProfile:
    """Update the citizen's data once, for every region. Raises ValidationError per field."""
    unknown = set(data) - set(PROFILE_FIELDS)
    if unknown:
        raise DomainError(_("Kolom tidak dikenal: %s") % ", ".join(sorted(unknown)))
    merged = {name: getattr(profile, name) for name in PROFILE_FIELDS}
    merged.update(data)
    cleaned = profile_clean(merged, profile=profile)
    changed = []
    for name, value in cleaned.items():
        if value is None and name != "nik" and name != "birth_date":
            value = ""
        if getattr(profile, name) != value:
            setattr(profile, name, value)
            changed.append(name)
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
            raise ValidationError({"nik": [_("NIK ini sudah terdaftar.")]}) from exc
    return profile
