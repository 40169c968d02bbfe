"""One-time codes, in one place: phone verification, password reset by phone and the citizen's
consent at a counter all issue and check codes here.

A code is six digits derived from ``SECRET_KEY`` and the row's random nonce, so the database never
holds it (a dump reveals nothing) yet the citizen's account can show it again. Only the newest
code of a purpose and subject works; each lives minutes; wrong attempts are counted by a
conditional ``UPDATE`` in the database (``attempts < max_attempts``), so parallel guesses cannot
exceed the limit, and issuing is limited per hour.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kernel.errors import DomainError
from shared.citizens.models import OneTimeCode

Purpose = OneTimeCode.Purpose

LIFETIME: dict[str, dt.timedelta] = {
    Purpose.PHONE_VERIFY: dt.timedelta(minutes=10),
    Purpose.PASSWORD_RESET: dt.timedelta(minutes=15),
    Purpose.COUNTER_CONSENT: dt.timedelta(minutes=10),
}
MAX_ATTEMPTS = 5
ISSUES_PER_HOUR = 5


class CodeError(DomainError):
    code = "code_invalid"


class CodeThrottled(DomainError):
    status_code = 429
    code = "code_throttled"


def code_of(row: OneTimeCode) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(),
        f"mpp.otp:{row.purpose}:{row.pk}:{row.nonce}".encode(),
        hashlib.sha256,
    ).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 1_000_000:06d}"


def _subject(purpose: str, *, user=None, profile=None) -> dict:
    if (user is None) == (profile is None):
        raise ValueError("a code proves exactly one user or one profile")
    return (
        {"purpose": purpose, "user": user}
        if user is not None
        else {
            "purpose": purpose,
            "profile": profile,
        }
    )


def otp_issue(
    *,
    purpose: str,
    channel: str,
    user=None,
    profile=None,
    destination: str = "",
    context: dict | None = None,
) -> tuple[OneTimeCode, str]:
    """A new code for the subject (earlier ones stop working). The caller delivers it.
    Raises CodeThrottled after ISSUES_PER_HOUR codes in the last hour."""
    subject = _subject(purpose, user=user, profile=profile)
    now = timezone.now()
    recent = OneTimeCode.objects.filter(**subject, created_at__gte=now - dt.timedelta(hours=1))
    if recent.count() >= ISSUES_PER_HOUR:
        raise CodeThrottled(
            _("Terlalu banyak permintaan kode. Coba lagi dalam satu jam."), code="code_throttled"
        )
    OneTimeCode.objects.filter(**subject, used_at__isnull=True, cancelled_at__isnull=True).update(
        cancelled_at=now
    )
    row = OneTimeCode.objects.create(
        **subject,
        channel=channel,
        destination=destination[:254],
        nonce=secrets.token_hex(16),
        context=context or {},
        expires_at=now + LIFETIME[purpose],
        max_attempts=MAX_ATTEMPTS,
    )
    return row, code_of(row)


def otp_active(*, purpose: str, user=None, profile=None) -> OneTimeCode | None:
    """The subject's newest code that can still be used, if any."""
    return (
        OneTimeCode.objects.filter(
            **_subject(purpose, user=user, profile=profile),
            used_at__isnull=True,
            cancelled_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .order_by("-created_at", "-id")
        .first()
    )


def otp_check(*, purpose: str, code: str, user=None, profile=None) -> OneTimeCode:
    """Use the subject's current code. Returns its row (``context`` and ``destination`` say what
    it was issued for); raises CodeError with a message for the citizen otherwise."""
    subject = _subject(purpose, user=user, profile=profile)
    row = (
        OneTimeCode.objects.filter(**subject, used_at__isnull=True, cancelled_at__isnull=True)
        .order_by("-created_at", "-id")
        .first()
    )
    if row is None:
        raise CodeError(_("Belum ada kode yang berlaku. Minta kode baru."), code="code_missing")
    now = timezone.now()
    counted = OneTimeCode.objects.filter(
        pk=row.pk,
        used_at__isnull=True,
        cancelled_at__isnull=True,
        expires_at__gt=now,
        attempts__lt=F("max_attempts"),
    ).update(attempts=F("attempts") + 1)
    row.refresh_from_db()
    if not counted:
        if row.expires_at <= now:
            raise CodeError(_("Kode sudah kedaluwarsa. Minta kode baru."), code="code_expired")
        if row.attempts >= row.max_attempts:
            raise CodeError(
                _("Terlalu banyak percobaan yang salah. Minta kode baru."), code="code_locked"
            )
        raise CodeError(_("Kode ini sudah dipakai. Minta kode baru."), code="code_used")
    typed = "".join(ch for ch in str(code or "") if ch.isdigit())
    if not hmac.compare_digest(typed, code_of(row)):
        left = row.max_attempts - row.attempts
        if left <= 0:
            raise CodeError(
                _("Kode salah. Batas percobaan tercapai: minta kode baru."), code="code_locked"
            )
        raise CodeError(
            ngettext(
                "Kode salah. Sisa %(n)d kali percobaan.",
                "Kode salah. Sisa %(n)d kali percobaan.",
                left,
            )
            % {"n": left},
            code="code_wrong",
        )
    used = OneTimeCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=now)
    if not used:  # the same code, typed twice at once: only one use counts
        raise CodeError(_("Kode ini sudah dipakai. Minta kode baru."), code="code_used")
    row.used_at = now
    return row
