from shared.accounts.models import ADMIN_ROLES, Membership


def membership_for(user, region) -> Membership | None:
    """The active membership of ``user`` in ``region``, cached on the user object per request."""
    if not user or not user.is_authenticated or region is None:
        return None
    cache = user.__dict__.setdefault("_membership_cache", {})
    if region.pk not in cache:
        cache[region.pk] = Membership.objects.filter(
            user=user, region=region, is_active=True
        ).first()
    return cache[region.pk]


def requires_second_factor(user) -> bool:
    """Officials sign in with a second factor: national superadmins, Django-admin staff and
    DPMPTSP admins of any region. A stolen password alone opens nothing of theirs."""
    if not user or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return Membership.objects.filter(user=user, is_active=True, role__in=ADMIN_ROLES).exists()


def is_region_staff(user) -> bool:
    """Anyone who works at a counter or runs an MPP: their sessions idle out sooner."""
    if not user or not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return Membership.objects.filter(user=user, is_active=True).exists()


def confirmed_totp_device(user):
    """The user's authenticator app, once enrolment is confirmed (None otherwise)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()


def has_second_factor(user) -> bool:
    return confirmed_totp_device(user) is not None


def contact_verified(user) -> bool:
    """Whether the account's e-mail or phone is proven. Self-registered accounts prove it by the
    link or code sent to it; staff accounts are made by an administrator and get their password
    through a link sent to their address, so they count as proven."""
    if user.is_superuser or user.is_staff:
        return True
    if Membership.objects.filter(user=user, is_active=True).exists():
        return True
    profile = getattr(user, "citizen_profile", None)
    if profile is None:
        return False
    return bool(
        getattr(profile, "email_verified_at", None) or getattr(profile, "phone_verified_at", None)
    )


def session_roles(user) -> tuple[bool, bool]:
    """(official, staff) for the session middleware, in one query: whether the user needs the
    second factor, and whether their session idles out like staff's."""
    if not user or not user.is_authenticated or not user.is_active:
        return False, False
    if user.is_superuser or user.is_staff:
        return True, True
    roles = set(Membership.objects.filter(user=user, is_active=True).values_list("role", flat=True))
    return bool(roles & set(ADMIN_ROLES)), bool(roles)


def api_tokens_of(user):
    """The account's signed-in devices ("Perangkat saya"), newest first; expired ones are gone
    for every purpose, so they are not listed."""
    from django.db.models import Q
    from django.utils import timezone

    from shared.accounts.models import ApiToken

    return (
        ApiToken.objects.filter(user=user)
        .filter(Q(expiry__isnull=True) | Q(expiry__gt=timezone.now()))
        .order_by("-created")
    )


def api_token_of(user, token_id: str):
    """One of the account's devices by the short id shown for it (the token's first eight
    characters), or None: another account's device does not exist for this one."""
    if len(token_id) != 8:
        return None
    return api_tokens_of(user).filter(token_key__startswith=token_id).first()
