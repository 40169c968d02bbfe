"""Phone numbers: verification with a one-time code through the messaging adapter, and password
reset by phone for citizens without e-mail."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.audit import audit_log
from kernel.errors import DomainError
from shared.accounts.models import User, normalize_phone
from shared.citizens.messaging import get_gateway
from shared.citizens.models import CitizenProfile, OneTimeCode, OutboxMessage
from shared.citizens.otp import otp_check, otp_issue

Purpose = OneTimeCode.Purpose


def _send_code(*, to: str, body: str, channel: str, profile=None, reference: str) -> None:
    get_gateway().send(to=to, body=body, channel=channel, profile=profile, reference=reference)


def _channel(channel: str | None) -> str:
    return (
        OutboxMessage.Channel.SMS
        if channel == OutboxMessage.Channel.SMS
        else OutboxMessage.Channel.WHATSAPP
    )


def phone_verification_send(*, actor, profile: CitizenProfile, channel: str | None = None) -> None:
    """Send a code to the profile's phone number. Raises DomainError when there is none, when it
    is already verified, or when too many codes were asked for."""
    if not profile.phone:
        raise DomainError(_("Isi nomor HP di profil terlebih dahulu."), code="no_phone")
    if profile.phone_is_verified:
        raise DomainError(_("Nomor HP ini sudah terverifikasi."), code="already_verified")
    channel = _channel(channel)
    with transaction.atomic():
        _row, code = otp_issue(
            purpose=Purpose.PHONE_VERIFY,
            profile=profile,
            channel=channel,
            destination=profile.phone,
        )
        _send_code(
            to=profile.phone,
            body=_(
                "Kode verifikasi nomor HP MPP Digital: %(code)s. Berlaku 10 menit. Jangan "
                "berikan kode ini kepada siapa pun."
            )
            % {"code": code},
            channel=channel,
            profile=profile,
            reference="verifikasi-hp",
        )
        audit_log(actor=actor, action="citizens.phone.code_sent", target=profile)


def phone_verify(*, actor, profile: CitizenProfile, code: str) -> CitizenProfile:
    """Mark the phone verified when the code matches (and the number did not change since)."""
    # Checked outside any transaction of ours: a wrong attempt must stay counted.
    row = otp_check(purpose=Purpose.PHONE_VERIFY, profile=profile, code=code)
    with transaction.atomic():
        profile.refresh_from_db()
        if row.destination != profile.phone:
            raise DomainError(
                _("Nomor HP berubah sejak kode dikirim. Minta kode baru."), code="phone_changed"
            )
        profile.phone_verified_at = timezone.now()
        profile.save(update_fields=["phone_verified_at", "updated_at"])
        audit_log(actor=actor, action="citizens.phone.verified", target=profile)
    return profile


def password_reset_by_phone_send(*, phone: str, channel: str | None = None) -> None:
    """Send a reset code to the account signed in with this phone number. Answers the same
    whether or not such an account exists (no way to learn who has an account)."""
    e164 = normalize_phone(phone)
    if e164 is None:
        raise ValidationError(
            {"phone": [_("Nomor HP tidak valid: gunakan nomor Indonesia, misalnya 0812…")]}
        )
    user = User.objects.filter(phone=e164, is_active=True).first()
    if user is None:
        return
    channel = _channel(channel)
    with transaction.atomic():
        _row, code = otp_issue(
            purpose=Purpose.PASSWORD_RESET, user=user, channel=channel, destination=e164
        )
        _send_code(
            to=e164,
            body=_(
                "Kode untuk mengatur ulang kata sandi MPP Digital: %(code)s. Berlaku 15 menit. "
                "Jika Anda tidak memintanya, abaikan pesan ini."
            )
            % {"code": code},
            channel=channel,
            profile=CitizenProfile.objects.filter(user=user).first(),
            reference="atur-ulang-sandi",
        )
        audit_log(actor=user, action="accounts.password_reset.code_sent", target=user)


def password_reset_by_phone(*, phone: str, code: str, password: str) -> User:
    """Set a new password when the code sent to this phone matches. The phone is then proven:
    the profile's number (when it is the same) counts as verified."""
    e164 = normalize_phone(phone)
    user = User.objects.filter(phone=e164, is_active=True).first() if e164 else None
    if user is None:
        raise DomainError(_("Belum ada kode yang berlaku. Minta kode baru."), code="code_missing")
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": list(exc.messages)}) from exc
    otp_check(purpose=Purpose.PASSWORD_RESET, user=user, code=code)  # counted even when wrong
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        CitizenProfile.objects.filter(user=user, phone=e164, phone_verified_at__isnull=True).update(
            phone_verified_at=timezone.now()
        )
        audit_log(actor=user, action="accounts.password_reset.by_phone", target=user)
    return user
