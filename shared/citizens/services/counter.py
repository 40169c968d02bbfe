"""The citizen at a counter: search, consent, and what staff may do once consent is given.

A search by NIK or phone answers only that a record exists and a masked name. Staff see the
citizen's data and vault only after the citizen consents *at the counter*: by reading out a
one-time code sent to their verified phone or e-mail or shown in their account, or (a citizen
without a phone) by staff checking the KTP-el in hand and the birth date and giving a reason.
The consent covers one staff member of one region for this visit; every step is in the citizen's
access log. Searches are limited per operator and per region, and unusual volume alerts the
region's supervisors.

Region-side facts (the staff member's role and booth) come from the caller: this app lives in
``public`` and never imports a region app.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.audit import audit_log
from kernel.errors import ConflictError, DomainError
from shared.accounts.models import Membership, Role
from shared.citizens.messaging import get_gateway
from shared.citizens.models import (
    AccessAction,
    CitizenProfile,
    ConsentMethod,
    CounterConsent,
    OneTimeCode,
    OutboxMessage,
)
from shared.citizens.notifications import email_queue, staff_notify
from shared.citizens.otp import CodeError, otp_check, otp_issue
from shared.citizens.selectors import citizen_find
from shared.citizens.services.records import access_log_record
from shared.regions.models import Region

logger = logging.getLogger(__name__)

#: How long a consent lasts: one visit (staff may end it sooner).
COUNTER_VISIT = dt.timedelta(hours=4)
KTP_ATTEMPTS_PER_HOUR = 3


@dataclass(frozen=True)
class CounterDesk:
    """Who serves at the counter, as the region app knows it."""

    actor: Any  # the signed-in staff member (shared.accounts.User)
    role: str
    region: Region
    booth_id: int | None = None
    booth_name: str = ""
    via: str = "web"


class SearchLimitReached(DomainError):
    status_code = 429
    code = "search_limit"


# --- search --------------------------------------------------------------------------------------
def _bucket() -> str:
    return timezone.now().strftime("%Y%m%d%H")


def _count(key: str) -> int:
    cache.add(key, 0, timeout=3700)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3700)
        return 1


def _alert_supervisors(*, desk: CounterDesk, scope: str, count: int, limit: int) -> None:
    """Tell the region's supervisors (and DPMPTSP admins) once per hour and scope."""
    if not cache.add(f"citizens:counter-alert:{desk.region.pk}:{scope}:{_bucket()}", 1, 3700):
        return
    who = getattr(desk.actor, "full_name", "") or str(desk.actor)
    subject = _("Peringatan: pencarian data warga di loket tidak wajar")
    if scope == "region":
        body = _(
            "Dalam satu jam terakhir loket MPP %(region)s sudah mencari %(count)d data warga "
            "(batas %(limit)d per jam). Periksa log akses."
        ) % {"region": desk.region.name, "count": count, "limit": limit}
    else:
        body = _(
            "%(who)s sudah mencari %(count)d data warga dalam satu jam (batas %(limit)d per "
            "jam) di MPP %(region)s. Periksa log akses."
        ) % {"who": who, "count": count, "limit": limit, "region": desk.region.name}
    supervisors = Membership.objects.filter(
        region=desk.region,
        is_active=True,
        role__in=[Role.SUPERVISOR, Role.DPMPTSP_ADMIN],
        user__is_active=True,
    ).select_related("user")
    for membership in supervisors:
        staff_notify(
            user=membership.user,
            subject=subject,
            body=body,
            region=desk.region,
            reference="alert-cari-warga",
        )
    audit_log(
        actor=desk.actor,
        action="citizens.counter.search_volume_alert",
        region=desk.region,
        data={"scope": scope, "count": count, "limit": limit},
    )


def _check_search_limits(desk: CounterDesk) -> None:
    per_operator = settings.MPP_COUNTER_SEARCHES_PER_OPERATOR_HOUR
    per_region = settings.MPP_COUNTER_SEARCHES_PER_REGION_HOUR
    bucket = _bucket()
    mine = _count(f"citizens:counter-search:op:{desk.region.pk}:{desk.actor.pk}:{bucket}")
    region = _count(f"citizens:counter-search:region:{desk.region.pk}:{bucket}")
    alert_at = settings.MPP_COUNTER_SEARCH_ALERT_AT
    if mine >= math.ceil(per_operator * alert_at):
        _alert_supervisors(desk=desk, scope=f"op{desk.actor.pk}", count=mine, limit=per_operator)
    if region >= math.ceil(per_region * alert_at):
        _alert_supervisors(desk=desk, scope="region", count=region, limit=per_region)
    if mine > per_operator:
        raise SearchLimitReached(
            _(
                "Batas %(n)d pencarian data warga per jam untuk setiap petugas tercapai. "
                "Supervisor sudah diberi tahu."
            )
            % {"n": per_operator}
        )
    if region > per_region:
        raise SearchLimitReached(
            _(
                "Batas pencarian data warga per jam untuk MPP ini tercapai. Supervisor sudah "
                "diberi tahu."
            )
        )


def counter_search(*, desk: CounterDesk, query: str) -> CitizenProfile | None:
    """Find a citizen by NIK (16 digits) or phone number, within the search limits. A hit is
    logged in the citizen's access log; callers show only ``masked_name`` until consent."""
    _check_search_limits(desk)
    profile = citizen_find(query)
    if profile is not None:
        _log(desk, profile, AccessAction.CITIZEN_SEARCHED)
    return profile


def _log(desk: CounterDesk, profile: CitizenProfile, action: str, *, reason="", reference=""):
    return access_log_record(
        profile=profile,
        actor=desk.actor,
        role=desk.role,
        region=desk.region,
        action=action,
        booth_id=desk.booth_id,
        booth_name=desk.booth_name,
        reason=reason,
        reference=reference,
        via=desk.via,
    )


# --- consent -------------------------------------------------------------------------------------
def counter_consent_active(*, actor, region: Region, profile_id) -> CounterConsent | None:
    """The consent this staff member holds for this citizen in this region right now."""
    try:
        profile_id = int(profile_id)
    except (TypeError, ValueError):
        return None
    return (
        CounterConsent.objects.filter(
            profile_id=profile_id,
            region=region,
            actor_id=getattr(actor, "pk", None),
            ended_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .order_by("-granted_at")
        .first()
    )


def consent_channels(profile: CitizenProfile) -> list[tuple[str, str]]:
    """Where a consent code can reach this citizen: (channel, masked destination)."""
    from lokal import partial_mask

    channels: list[tuple[str, str]] = []
    if profile.phone_is_verified:
        masked = partial_mask("PHONE", profile.phone)
        channels += [
            (OneTimeCode.Channel.WHATSAPP, masked),
            (OneTimeCode.Channel.SMS, masked),
        ]
    if profile.email_is_verified:
        channels.append((OneTimeCode.Channel.EMAIL, partial_mask("EMAIL", profile.contact_email)))
    if profile.user is not None and profile.user.is_active:
        channels.append((OneTimeCode.Channel.ACCOUNT, _("aplikasi/akun MPP Digital warga")))
    return channels


def counter_code_request(*, desk: CounterDesk, profile: CitizenProfile, channel: str) -> None:
    """Send the citizen a consent code (or show it in their account). The message says who
    asks, where, and that the code is for the counter the citizen stands at."""
    available = dict(consent_channels(profile))
    if channel not in available:
        raise DomainError(
            _("Kode tidak dapat dikirim lewat saluran ini: belum terverifikasi untuk warga ini."),
            code="channel_unavailable",
        )
    destinations: dict[str, str] = {
        OneTimeCode.Channel.WHATSAPP: profile.phone,
        OneTimeCode.Channel.SMS: profile.phone,
        OneTimeCode.Channel.EMAIL: profile.contact_email,
    }
    destination = destinations.get(channel, "")
    with transaction.atomic():
        _row, code = otp_issue(
            purpose=OneTimeCode.Purpose.COUNTER_CONSENT,
            profile=profile,
            channel=channel,
            destination=destination,
            context={
                "region": desk.region.pk,
                "region_name": desk.region.name,
                "actor": desk.actor.pk,
                "actor_name": getattr(desk.actor, "full_name", "")[:150],
                "booth_name": desk.booth_name[:200],
            },
        )
        text = _(
            "Petugas %(who)s di loket MPP %(region)s meminta izin membuka data Anda. Jika Anda "
            "sedang di loket itu dan setuju, sebutkan kode %(code)s kepada petugas. Berlaku 10 "
            "menit. Jika tidak, abaikan pesan ini."
        ) % {
            "who": getattr(desk.actor, "full_name", "") or _("petugas"),
            "region": desk.region.name,
            "code": code,
        }
        if channel in (OneTimeCode.Channel.WHATSAPP, OneTimeCode.Channel.SMS):
            get_gateway().send(
                to=profile.phone,
                body=text,
                channel=(
                    OutboxMessage.Channel.SMS
                    if channel == OneTimeCode.Channel.SMS
                    else OutboxMessage.Channel.WHATSAPP
                ),
                region=desk.region,
                profile=profile,
                reference="persetujuan-loket",
            )
        elif channel == OneTimeCode.Channel.EMAIL:
            email_queue(
                to=profile.contact_email,
                subject=_("Kode persetujuan di loket MPP"),
                body=text,
                region=desk.region,
                profile=profile,
                reference="persetujuan-loket",
            )
        audit_log(
            actor=desk.actor,
            action="citizens.counter.consent_code_sent",
            target=profile,
            region=desk.region,
            data={"channel": channel},
        )


def _grant(desk: CounterDesk, profile: CitizenProfile, method: str, reason: str = ""):
    now = timezone.now()
    consent = CounterConsent.objects.create(
        profile=profile,
        region=desk.region,
        actor=desk.actor,
        role=desk.role,
        booth_id=desk.booth_id,
        booth_name=desk.booth_name[:200],
        method=method,
        reason=reason[:200],
        expires_at=now + COUNTER_VISIT,
    )
    _log(desk, profile, AccessAction.CONSENT_GRANTED, reason=reason or consent.get_method_display())
    audit_log(
        actor=desk.actor,
        action="citizens.counter.consent_granted",
        target=profile,
        region=desk.region,
        data={"method": method},
    )
    return consent


def counter_code_confirm(*, desk: CounterDesk, profile: CitizenProfile, code: str):
    """The citizen read out the code: consent for this staff member and region, this visit."""
    # Outside a transaction of ours: a wrong attempt stays counted.
    row = otp_check(purpose=OneTimeCode.Purpose.COUNTER_CONSENT, profile=profile, code=code)
    if row.context.get("region") != desk.region.pk or row.context.get("actor") != desk.actor.pk:
        raise CodeError(_("Kode ini diminta oleh petugas atau MPP lain."), code="code_elsewhere")
    with transaction.atomic():
        return _grant(desk, profile, ConsentMethod.CODE)


def declared_by_other_account(profile: CitizenProfile) -> bool:
    """A NIK an account declared and nobody verified: the KTP-el in someone's hand does not
    show that the account is theirs."""
    return bool(profile.user_id and not profile.nik_is_verified)


def counter_consent_ktp(
    *, desk: CounterDesk, profile: CitizenProfile, ktp_seen: bool, birth_date, reason: str
):
    """For a citizen without a phone: staff hold the KTP-el, check the birth date against the
    record and say why. Refused (ConflictError ``declared_by_account``) when the NIK is only
    declared by an account: that account may belong to someone else (see disputes)."""
    errors: dict[str, list[str]] = {}
    if not ktp_seen:
        errors["ktp_seen"] = [
            _("Centang bahwa KTP-el asli ada di tangan Anda dan sudah dicocokkan.")
        ]
    reason = " ".join((reason or "").split())
    if len(reason) < 5:
        errors["reason"] = [_("Tulis alasan akses tanpa kode (misalnya: warga tidak punya HP).")]
    if birth_date is None:
        errors["birth_date"] = [_("Isi tanggal lahir sesuai KTP-el.")]
    if errors:
        raise ValidationError(errors)
    key = f"citizens:counter-ktp:{desk.region.pk}:{desk.actor.pk}:{profile.pk}:{_bucket()}"
    if _count(key) > KTP_ATTEMPTS_PER_HOUR:
        raise DomainError(
            _("Terlalu banyak percobaan untuk warga ini. Coba lagi dalam satu jam."),
            code="ktp_throttled",
        )
    if profile.birth_date is None or profile.birth_date != birth_date:
        raise ValidationError({"birth_date": [_("Tanggal lahir tidak sesuai data warga ini.")]})
    if declared_by_other_account(profile):
        raise ConflictError(
            _(
                "NIK ini dinyatakan oleh sebuah akun dan belum diverifikasi: data dan dokumen "
                "akun itu tidak dibuka hanya dengan KTP-el. Jika itu akun warga ini, minta kode "
                "dari akunnya. Jika bukan, selesaikan sebagai sengketa NIK: pemegang KTP-el "
                "didaftarkan sebagai pemilik NIK."
            ),
            code="declared_by_account",
        )
    with transaction.atomic():
        return _grant(desk, profile, ConsentMethod.KTP_EL, reason)


def counter_visit_end(*, desk: CounterDesk, profile_id: int) -> None:
    CounterConsent.objects.filter(
        profile_id=profile_id,
        region=desk.region,
        actor=desk.actor,
        ended_at__isnull=True,
    ).update(ended_at=timezone.now())


def counter_profile_viewed(*, desk: CounterDesk, profile: CitizenProfile, action: str = ""):
    """Log a read of the citizen's data under consent (profile page, vault, API)."""
    return _log(desk, profile, action or AccessAction.PROFILE_VIEWED)


def counter_assisted_logged(*, desk: CounterDesk, profile: CitizenProfile, reference: str):
    return _log(desk, profile, AccessAction.ASSISTED_APPLICATION, reference=reference)
