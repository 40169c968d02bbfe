"""The only writers of ``Membership`` rows: who is staff of which region, in which role.

Provisioning (the first DPMPTSP admin), staff invitations and edits in a region's console, the
demo seed and offboarding all go through these two functions, so every change of access is
audited the same way: in the region's log when called inside its schema, else in the national log.

Also the second factor of officials and the mobile app's API tokens; their entries go to the
national audit log (accounts are national).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.settings import knox_settings

from kernel.audit import audit_log
from kernel.tenancy import Actor
from shared.accounts.models import ApiToken, Membership, Role, User
from shared.accounts.selectors import confirmed_totp_device
from shared.accounts.throttling import throttle
from shared.regions.models import Region

_UNSET: Any = object()


@transaction.atomic
def membership_grant(
    *,
    actor: Actor | None,
    user: User,
    region: Region,
    role: str,
    agency_id: int | Any | None = _UNSET,
) -> Membership:
    """``user`` is active staff of ``region`` with ``role`` (created, reactivated or changed).

    ``agency_id`` records the one national agency whose booths the person works in (left as it
    is when not given). Idempotent: granting what is already granted writes nothing.
    """
    if role not in Role.values:
        raise ValueError(f"unknown role: {role!r}")
    membership = Membership.objects.select_for_update().filter(user=user, region=region).first()
    changed: dict[str, Any] = {}
    if membership is None:
        membership = Membership.objects.create(
            user=user,
            region=region,
            role=role,
            agency_id=None if agency_id is _UNSET else agency_id,
        )
        changed = {"role": role, "created": True}
    else:
        if membership.role != role:
            membership.role = changed["role"] = role
        if not membership.is_active:
            membership.is_active = changed["is_active"] = True
        if agency_id is not _UNSET and membership.agency_id != agency_id:
            membership.agency_id = changed["agency_id"] = agency_id
        if changed:
            membership.save(update_fields=[f for f in changed if f != "created"])
    if changed:
        _forget_cached(user)
        audit_log(
            actor=actor,
            action="accounts.membership.granted",
            target=membership,
            data={"user_id": user.pk, **changed},
            region=region,
        )
    return membership


@transaction.atomic
def membership_revoke(
    *, actor: Actor | None, membership: Membership | None = None, region: Region | None = None
) -> int:
    """End one membership, or (``region=``) every membership of a region being offboarded.
    The account and its other regions stay. Returns how many memberships ended."""
    if (membership is None) == (region is None):
        raise ValueError("membership_revoke needs exactly one of membership= or region=")
    if membership is not None:
        if not membership.is_active:
            return 0
        membership.is_active = False
        membership.save(update_fields=["is_active"])
        _forget_cached(membership.user)
        audit_log(
            actor=actor,
            action="accounts.membership.revoked",
            target=membership,
            data={"user_id": membership.user_id, "role": membership.role},
            region=membership.region,
        )
        return 1
    ended = Membership.objects.filter(region=region, is_active=True).update(is_active=False)
    if ended:
        audit_log(
            actor=actor,
            action="accounts.membership.revoked",
            data={"region": region.code, "count": ended},  # type: ignore[union-attr]
            region=region,
        )
    return ended


def _forget_cached(user: User) -> None:
    # ``membership_for`` caches per user object; a changed membership must not be read stale.
    user.__dict__.pop("_membership_cache", None)


# --- second factor and API tokens ----------------------------------------------------------------

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Aplikasi autentikator"
RECOVERY_DEVICE_NAME = "Kode pemulihan"


def _national_audit(*, actor, action: str, target=None, data=None) -> None:
    """Accounts are national: their entries go to the national log from any host (the table
    lives in ``public``, which is on every region's search path)."""
    from django.apps import apps

    apps.get_model("national_audit", "AuditEntry").objects.create(
        actor=actor if (actor is not None and actor.is_authenticated) else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        data=data or {},
    )


# --- second factor ------------------------------------------------------------------------------


def totp_enrolment_start(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator secret ``user`` is enrolling (the same one on a reload, so
    a QR code already scanned stays valid), created on first use.

    The confirmed device, if any, keeps working until the new one is confirmed: re-enrolling
    on a new phone never locks the official out half-way.
    """
    pending = pending_totp_device(user=user)
    if pending is not None:
        return pending
    return TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


def pending_totp_device(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()


def _normalise_code(code: str) -> str:
    return "".join((code or "").split()).replace("-", "").lower()


def totp_enrolment_confirm(
    *, request: HttpRequest, device: TOTPDevice, code: str
) -> list[str] | None:
    """Confirm the new authenticator with a code it shows. On success the session counts as
    verified, older authenticators are removed and fresh recovery codes are returned (shown
    once); None when the code is wrong."""
    user = device.user
    throttle(request, "second_factor", account=user.pk)
    if not device.verify_token(_normalise_code(code)):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _recovery_codes_replace(user)
        _national_audit(actor=user, action="accounts.second_factor.enrolled", target=user)
    otp_login(request, device)
    return codes


def _recovery_codes_replace(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def recovery_codes_regenerate(*, actor: User) -> list[str]:
    """New recovery codes for the signed-in official; the old ones stop working."""
    with transaction.atomic():
        codes = _recovery_codes_replace(actor)
        _national_audit(actor=actor, action="accounts.second_factor.recovery_renewed", target=actor)
    return codes


def recovery_codes_left(*, user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def second_factor_check(*, request: HttpRequest | None, user: User, code: str):
    """The device that accepts ``code`` (authenticator code or a recovery code), or None.

    Throttled per account and address on top of django-otp's growing delay per device. A used
    recovery code is spent and audited.
    """
    if request is not None:
        throttle(request, "second_factor", account=user.pk)
    token = _normalise_code(code)
    if not token:
        return None
    totp = confirmed_totp_device(user)
    if totp is not None and token.isdigit() and totp.verify_token(token):
        return totp
    for device in StaticDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(token):
            _national_audit(
                actor=user,
                action="accounts.second_factor.recovery_code_used",
                target=user,
                data={"left": recovery_codes_left(user=user)},
            )
            return device
    return None


def second_factor_verify(*, request: HttpRequest, code: str) -> bool:
    """The second sign-in step on the website: marks the session verified on success."""
    user = request.user
    assert isinstance(user, User)  # the second-factor pages are for signed-in officials
    device = second_factor_check(request=request, user=user, code=code)
    if device is None:
        return False
    otp_login(request, device)
    return True


def second_factor_reset(*, actor: User, user: User) -> None:
    """Remove an official's authenticator and recovery codes (a lost phone). They enrol again
    at their next sign-in; their API tokens end too."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        ApiToken.objects.filter(user=user).delete()
        _national_audit(actor=actor, action="accounts.second_factor.reset", target=user)


# --- API tokens ---------------------------------------------------------------------------------


def api_token_issue(*, user: User, device_name: str = "") -> tuple[ApiToken, str]:
    """A new token for a signed-in device. Returns the row and the token itself (shown once;
    only its digest is stored). Beyond the per-user limit the oldest device is signed out."""
    limit = int(knox_settings.TOKEN_LIMIT_PER_USER)
    with transaction.atomic():
        ApiToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
        live = list(ApiToken.objects.filter(user=user).order_by("created").values_list("pk"))
        for (pk,) in live[: max(0, len(live) - limit + 1)]:
            ApiToken.objects.filter(pk=pk).delete()
        token, raw = ApiToken.objects.create(
            user=user,
            device_name=(device_name or "").strip()[:100],
            auth_hash=user.get_session_auth_hash(),
        )
        _national_audit(
            actor=user,
            action="accounts.api_token.issued",
            target=user,
            data={"token_key": token.token_key[:8], "device": token.device_name},
        )
    return token, raw


def api_token_revoke(*, actor: User, token: ApiToken) -> None:
    token_key = token.token_key[:8]
    token.delete()
    _national_audit(
        actor=actor,
        action="accounts.api_token.revoked",
        target=actor,
        data={"token_key": token_key},
    )


def api_tokens_revoke_all(*, user: User, actor: User | None, reason: str) -> int:
    """Sign every device of ``user`` out: on password reset or change, on deactivation, or at
    the user's request."""
    count, _detail = ApiToken.objects.filter(user=user).delete()
    if count:
        _national_audit(
            actor=actor,
            action="accounts.api_token.revoked_all",
            target=user,
            data={"reason": reason, "count": count},
        )
    return count


def user_deactivate(*, actor: User, user: User) -> None:
    """Deactivate an account: its sessions stop at the next request (inactive users fail
    authentication) and its API tokens are deleted now."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=False)
        user.is_active = False
        api_tokens_revoke_all(user=user, actor=actor, reason="deactivated")
        _national_audit(actor=actor, action="accounts.user.deactivated", target=user)


def password_reset_completed(*, user: User) -> None:
    """After a reset through the e-mailed link: every device signed in with the old password
    is signed out (the web session was already ended by Django)."""
    api_tokens_revoke_all(user=user, actor=None, reason="password_reset")
    _national_audit(actor=None, action="accounts.password.reset", target=user)
