"""Accounts: sign-up with email or phone, email verification by link."""

import hashlib

from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.audit import audit_log
from kernel.errors import DomainError
from kernel.routing import national_url, region_url
from shared.accounts.models import User, normalize_phone
from shared.citizens.models import (
    CitizenProfile,
)
from shared.citizens.notifications import email_queue

EMAIL_TOKEN_SALT = "citizens.email-verification"
EMAIL_TOKEN_MAX_AGE = 3 * 24 * 3600


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
