"""Whose NIK is it: verification (at a counter with the KTP-el, or by the Dukcapil adapter),
registration of walk-in citizens, and disputes when two people claim one NIK.

A NIK a citizen types in is *declared*. It becomes *verified* when counter staff have held the
KTP-el (who, where and when are recorded) or when the Dukcapil adapter confirms name and birth
date. When someone else already declared the NIK, nothing is decided first come, first served:
the claimant opens a dispute and a counter resolves it with the KTP-el in hand.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.audit import audit_log
from kernel.errors import ConflictError, DomainError, NotFoundError
from shared.accounts.models import normalize_phone
from shared.citizens import dukcapil
from shared.citizens.crypto import encrypt_nik, nik_index
from shared.citizens.models import (
    AccessAction,
    CitizenProfile,
    ConsentMethod,
    CounterConsent,
    NikDispute,
    NikStatus,
    NikVerification,
)
from shared.citizens.notifications import citizen_notify
from shared.citizens.services.counter import (
    COUNTER_VISIT,
    CounterDesk,
    _log,
    counter_consent_active,
)
from shared.citizens.validation import birth_date_mismatch_message, check_nik, normalize_nik


def _mark_verified(profile: CitizenProfile, *, method: str, desk: CounterDesk | None) -> None:
    profile.nik_status = NikStatus.VERIFIED
    profile.nik_verified_at = timezone.now()
    profile.nik_verified_method = method
    if desk is not None:
        profile.nik_verified_by = desk.actor
        profile.nik_verified_by_name = (getattr(desk.actor, "full_name", "") or "")[:150]
        profile.nik_verified_region = desk.region
        profile.nik_verified_booth = desk.booth_name[:200]


def open_dispute_of_nik(nik: str) -> NikDispute | None:
    from shared.citizens.crypto import nik_indexes

    return NikDispute.objects.filter(
        nik_index__in=nik_indexes(nik), status=NikDispute.Status.OPEN
    ).first()


# --- verification --------------------------------------------------------------------------------
def nik_verify_dukcapil(*, actor, profile: CitizenProfile) -> CitizenProfile:
    """Ask the Dukcapil adapter whether the NIK, name and birth date belong together. Raises
    DomainError with the reason (and DukcapilUnavailable, 503, when the service is down); the
    profile is unchanged unless it matches."""
    if not profile.nik or not profile.full_name or not profile.birth_date:
        raise DomainError(
            _("Lengkapi NIK, nama, dan tanggal lahir sebelum verifikasi."), code="incomplete"
        )
    if profile.nik_is_verified:
        return profile
    if open_dispute_of_nik(profile.nik) is not None:
        raise ConflictError(
            _("NIK ini sedang disengketakan; penyelesaiannya hanya di loket dengan KTP-el."),
            code="disputed",
        )
    answer = dukcapil.get_adapter().verify(
        nik=profile.nik, full_name=profile.full_name, birth_date=profile.birth_date
    )
    if answer == dukcapil.NOT_FOUND:
        raise DomainError(
            _("NIK tidak ditemukan di data kependudukan. Periksa NIK atau verifikasi di loket."),
            code="dukcapil_not_found",
        )
    if answer != dukcapil.MATCH:
        raise DomainError(
            _(
                "Nama atau tanggal lahir tidak cocok dengan data kependudukan. Samakan dengan "
                "KTP-el, atau verifikasi di loket."
            ),
            code="dukcapil_mismatch",
        )
    with transaction.atomic():
        _mark_verified(profile, method=NikVerification.DUKCAPIL, desk=None)
        profile.save()
        audit_log(actor=actor, action="citizens.nik.verified_dukcapil", target=profile)
    return profile


def nik_verify_at_counter(*, desk: CounterDesk, profile: CitizenProfile) -> CitizenProfile:
    """Staff held the KTP-el of the citizen in front of them, who consented by code (proving
    the account is theirs). Records who, where and when."""
    consent = counter_consent_active(actor=desk.actor, region=desk.region, profile_id=profile.pk)
    if consent is None:
        raise NotFoundError(_("Tidak ditemukan."))
    if not profile.nik:
        raise DomainError(_("Warga ini belum mengisi NIK."), code="no_nik")
    if profile.nik_is_verified:
        return profile
    if consent.method != ConsentMethod.CODE and profile.user_id:
        raise ConflictError(
            _("Verifikasi NIK sebuah akun butuh persetujuan dengan kode dari akun itu."),
            code="needs_code",
        )
    if open_dispute_of_nik(profile.nik) is not None:
        raise ConflictError(
            _("NIK ini sedang disengketakan: selesaikan sengketanya."), code="disputed"
        )
    with transaction.atomic():
        _mark_verified(profile, method=NikVerification.COUNTER, desk=desk)
        profile.save()
        _log(desk, profile, AccessAction.NIK_VERIFIED)
        audit_log(
            actor=desk.actor,
            action="citizens.nik.verified_counter",
            target=profile,
            region=desk.region,
        )
    return profile


# --- registration at a counter -------------------------------------------------------------------
def _registration_clean(data: dict) -> dict:
    """Check what staff typed from the KTP-el. The address is asked for, never derived from
    the NIK (the holder may have moved)."""
    from shared.citizens.services.profile import profile_clean

    nik = normalize_nik(data.get("nik") or "")
    errors: dict[str, list[str]] = {}
    try:
        encoded = check_nik(nik, birth_date=data.get("birth_date"))
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    if not " ".join((data.get("full_name") or "").split()):
        errors["full_name"] = [_("Isi nama lengkap sesuai KTP-el.")]
    if not data.get("birth_date"):
        errors["birth_date"] = [_("Isi tanggal lahir sesuai KTP-el.")]
    elif encoded["birth_date_mismatch"] and not data.get("confirm_birth_date"):
        errors["birth_date"] = [birth_date_mismatch_message()]
    if not (data.get("address_line") or "").strip():
        errors["address_line"] = [_("Isi alamat tempat tinggal warga.")]
    if not data.get("regency_code"):
        errors["regency_code"] = [_("Pilih kabupaten/kota tempat tinggal warga.")]
    phone = ""
    if data.get("phone"):
        phone = normalize_phone(data["phone"]) or ""
        if not phone:
            errors["phone"] = [_("Nomor HP tidak valid.")]
    address = {
        key: data.get(key) or ""
        for key in ("regency_code", "district_code", "village_code", "postal_code")
    }
    try:
        cleaned_address = profile_clean(address, profile=None) if address["regency_code"] else {}
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
        cleaned_address = {}
    if errors:
        raise ValidationError(errors)
    cleaned_address.pop("birth_date_mismatch", None)
    return {
        "nik": nik,
        "full_name": " ".join(data["full_name"].split()),
        "birth_place": (data.get("birth_place") or "").strip(),
        "birth_date": data["birth_date"],
        "gender": encoded["gender"],
        "address_line": data["address_line"].strip(),
        "phone": phone,
        "mismatch": encoded["birth_date_mismatch"],
        **cleaned_address,
    }


def _create_walk_in(desk: CounterDesk, cleaned: dict) -> CitizenProfile:
    profile = CitizenProfile(
        full_name=cleaned["full_name"],
        birth_place=cleaned["birth_place"],
        birth_date=cleaned["birth_date"],
        gender=cleaned["gender"],
        address_line=cleaned["address_line"],
        province_code=cleaned.get("province_code", ""),
        regency_code=cleaned.get("regency_code", ""),
        district_code=cleaned.get("district_code", ""),
        village_code=cleaned.get("village_code", ""),
        postal_code=cleaned.get("postal_code", ""),
        phone=cleaned["phone"],
        registered_at_counter=True,
        created_by=desk.actor,
    )
    profile.nik = cleaned["nik"]
    if cleaned["mismatch"]:
        profile.birth_date_mismatch_confirmed_at = timezone.now()
    _mark_verified(profile, method=NikVerification.COUNTER, desk=desk)
    profile.save()
    CounterConsent.objects.create(
        profile=profile,
        region=desk.region,
        actor=desk.actor,
        role=desk.role,
        booth_id=desk.booth_id,
        booth_name=desk.booth_name[:200],
        method=ConsentMethod.REGISTRATION,
        expires_at=timezone.now() + COUNTER_VISIT,
    )
    _log(desk, profile, AccessAction.NIK_VERIFIED)
    return profile


def citizen_register_at_counter(*, desk: CounterDesk, data: dict) -> CitizenProfile:
    """A walk-in citizen without an account (often elderly, often without a phone): staff
    create the record from the KTP-el in hand, with the address the citizen gives. The NIK is
    verified at the counter by this staff member. Raises ValidationError per field, and
    ConflictError ``nik_declared`` when an unverified account already declared the NIK (the
    counter then resolves it as a dispute: ``nik_dispute_resolve_for_ktp_holder``)."""
    cleaned = _registration_clean(data)
    existing = CitizenProfile.objects.with_nik(cleaned["nik"]).first()
    if existing is not None:
        if existing.user_id and not existing.nik_is_verified:
            raise ConflictError(
                _(
                    "NIK ini sudah dinyatakan oleh sebuah akun yang belum terverifikasi. Jika "
                    "warga di depan Anda memegang KTP-el asli ini, selesaikan sebagai sengketa: "
                    "pemegang KTP-el menjadi pemilik NIK."
                ),
                code="nik_declared",
            )
        raise ValidationError(
            {"nik": [_("Warga dengan NIK ini sudah terdaftar; cari dengan NIK.")]}
        )
    try:
        with transaction.atomic():
            profile = _create_walk_in(desk, cleaned)
            audit_log(
                actor=desk.actor,
                action="citizens.profile.registered_at_counter",
                target=profile,
                region=desk.region,
            )
    except IntegrityError as exc:  # the same NIK registered twice at once
        raise ValidationError(
            {"nik": [_("Warga dengan NIK ini sudah terdaftar; cari dengan NIK.")]}
        ) from exc
    return profile


# --- disputes ------------------------------------------------------------------------------------
def nik_dispute_open(*, actor, claimant: CitizenProfile, nik: str) -> NikDispute:
    """A citizen says a NIK someone else declared is theirs. Nothing moves yet: both sides are
    told to bring the KTP-el to a counter."""
    nik = normalize_nik(nik)
    check_nik(nik, birth_date=None)  # ValidationError for a malformed NIK
    holder = CitizenProfile.objects.with_nik(nik).exclude(pk=claimant.pk).first()
    if holder is None:
        raise DomainError(
            _("NIK ini belum dipakai akun lain: simpan saja di profil Anda."), code="not_taken"
        )
    existing = open_dispute_of_nik(nik)
    if existing is not None:
        if existing.claimant_id == claimant.pk:
            return existing
        raise ConflictError(
            _("Sengketa untuk NIK ini sudah dibuka. Datang ke loket MPP dengan KTP-el."),
            code="dispute_open",
        )
    try:
        with transaction.atomic():
            dispute = NikDispute.objects.create(
                nik_encrypted=encrypt_nik(nik),
                nik_index=nik_index(nik),
                holder=holder,
                claimant=claimant,
                opened_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            citizen_notify(
                profile=holder,
                subject=_("NIK di akun MPP Digital Anda disengketakan"),
                body=_(
                    "Seseorang menyatakan bahwa NIK yang tercatat di akun Anda adalah miliknya. "
                    "Datang ke loket MPP mana pun dengan KTP-el asli; petugas memutuskannya "
                    "dengan KTP-el di tangan."
                ),
                reference="sengketa-nik",
            )
            audit_log(actor=actor, action="citizens.nik.dispute_opened", target=dispute)
    except IntegrityError as exc:
        raise ConflictError(
            _("Sengketa untuk NIK ini sudah dibuka. Datang ke loket MPP dengan KTP-el."),
            code="dispute_open",
        ) from exc
    return dispute


def _release_nik(desk: CounterDesk, loser: CitizenProfile, reason: str) -> None:
    loser.nik = None
    loser.save()
    _log(desk, loser, AccessAction.DISPUTE_RESOLVED, reason=reason)
    citizen_notify(
        profile=loser,
        subject=_("NIK dilepas dari akun MPP Digital Anda"),
        body=_(
            "Petugas MPP %(region)s memverifikasi NIK yang tercatat di akun Anda dengan KTP-el "
            "asli milik orang lain, sehingga NIK itu dilepas dari akun Anda. Jika ini keliru, "
            "datang ke loket MPP dengan KTP-el Anda."
        )
        % {"region": desk.region.name},
        region=desk.region,
        reference="sengketa-nik",
    )


def _check_resolution(*, ktp_seen: bool, reason: str) -> str:
    errors: dict[str, list[str]] = {}
    if not ktp_seen:
        errors["ktp_seen"] = [
            _("Centang bahwa KTP-el asli ada di tangan Anda dan sudah dicocokkan.")
        ]
    reason = " ".join((reason or "").split())
    if len(reason) < 5:
        errors["reason"] = [_("Tulis catatan penyelesaian sengketa.")]
    if errors:
        raise ValidationError(errors)
    return reason


def nik_dispute_resolve(
    *,
    desk: CounterDesk,
    dispute: NikDispute,
    winner: CitizenProfile,
    ktp_seen: bool,
    birth_date,
    reason: str,
) -> CitizenProfile:
    """The person at the counter holds the KTP-el and proved (by a consent code) which account
    is theirs: that account gets the NIK, verified; the other side loses it and is told."""
    reason = _check_resolution(ktp_seen=ktp_seen, reason=reason)
    if dispute.status != NikDispute.Status.OPEN:
        raise ConflictError(_("Sengketa ini sudah selesai."), code="dispute_closed")
    if winner.pk not in (dispute.holder_id, dispute.claimant_id):
        raise NotFoundError(_("Tidak ditemukan."))
    consent = counter_consent_active(actor=desk.actor, region=desk.region, profile_id=winner.pk)
    if consent is None or consent.method != ConsentMethod.CODE:
        raise DomainError(
            _("Warga harus membuktikan akunnya dengan kode sekali pakai terlebih dahulu."),
            code="needs_code",
        )
    from shared.citizens.crypto import decrypt_nik

    nik = decrypt_nik(dispute.nik_encrypted)
    encoded = check_nik(nik, birth_date=birth_date)
    if (
        birth_date is None
        or (winner.birth_date and birth_date != winner.birth_date)
        or (not winner.birth_date and encoded["birth_date_mismatch"])
    ):
        raise ValidationError({"birth_date": [_("Tanggal lahir tidak sesuai data warga ini.")]})
    with transaction.atomic():
        dispute = NikDispute.objects.select_for_update().get(pk=dispute.pk)
        if dispute.status != NikDispute.Status.OPEN:
            raise ConflictError(_("Sengketa ini sudah selesai."), code="dispute_closed")
        holder = (
            CitizenProfile.objects.select_for_update().filter(pk=dispute.holder_id).first()
            if dispute.holder_id is not None
            else None
        )
        if holder is not None and holder.pk != winner.pk and holder.nik == nik:
            _release_nik(desk, holder, reason)
        winner = CitizenProfile.objects.select_for_update().get(pk=winner.pk)
        winner.nik = nik
        if winner.birth_date is None:
            winner.birth_date = birth_date
        _mark_verified(winner, method=NikVerification.COUNTER, desk=desk)
        winner.save()
        _finish(desk, dispute, winner, reason)
    return winner


def nik_dispute_resolve_for_ktp_holder(
    *, desk: CounterDesk, holder: CitizenProfile, data: dict, ktp_seen: bool, reason: str
) -> CitizenProfile:
    """The citizen at the counter holds the KTP-el of a NIK an unverified account declared, and
    cannot receive that account's code: the KTP-el decides. A new record is registered for them
    (verified at this counter), the account loses the NIK and is told how to contest."""
    reason = _check_resolution(ktp_seen=ktp_seen, reason=reason)
    cleaned = _registration_clean(data)
    with transaction.atomic():
        holder = CitizenProfile.objects.select_for_update().get(pk=holder.pk)
        if holder.nik != cleaned["nik"]:
            raise ConflictError(_("NIK akun itu sudah berubah. Cari ulang."), code="stale")
        if holder.nik_is_verified:
            raise ConflictError(
                _("NIK ini sudah diverifikasi untuk akun itu; tidak dapat dipindahkan di sini."),
                code="verified",
            )
        dispute = open_dispute_of_nik(cleaned["nik"])
        if dispute is None:
            dispute = NikDispute.objects.create(
                nik_encrypted=encrypt_nik(cleaned["nik"]),
                nik_index=nik_index(cleaned["nik"]),
                holder=holder,
                opened_by=desk.actor,
            )
        _release_nik(desk, holder, reason)
        winner = _create_walk_in(desk, cleaned)
        _finish(desk, dispute, winner, reason)
        audit_log(
            actor=desk.actor,
            action="citizens.profile.registered_at_counter",
            target=winner,
            region=desk.region,
        )
    return winner


def _finish(desk: CounterDesk, dispute: NikDispute, winner: CitizenProfile, reason: str):
    dispute.status = NikDispute.Status.RESOLVED
    dispute.resolved_at = timezone.now()
    dispute.resolved_by = desk.actor
    dispute.resolved_by_name = (getattr(desk.actor, "full_name", "") or "")[:150]
    dispute.resolved_region = desk.region
    dispute.resolved_booth = desk.booth_name[:200]
    dispute.winner = winner
    dispute.reason = reason[:300]
    dispute.save()
    _log(desk, winner, AccessAction.DISPUTE_RESOLVED, reason=reason)
    audit_log(
        actor=desk.actor,
        action="citizens.nik.dispute_resolved",
        target=dispute,
        region=desk.region,
    )


def open_dispute_for(profile: CitizenProfile) -> NikDispute | None:
    """The open dispute this citizen is part of (as holder or claimant), if any."""
    from django.db.models import Q

    return (
        NikDispute.objects.filter(status=NikDispute.Status.OPEN)
        .filter(Q(holder=profile) | Q(claimant=profile))
        .first()
    )
