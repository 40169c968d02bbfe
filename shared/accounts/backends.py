from django.contrib.auth.backends import ModelBackend

from shared.accounts.models import STAFF_ROLES, Membership, User, normalize_phone


class EmailOrPhoneBackend(ModelBackend):
    """Sign in with an email address or an Indonesian phone number (any common spelling)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        identifier = (username or kwargs.get("email") or kwargs.get("phone") or "").strip()
        if not identifier or password is None:
            return None
        if "@" in identifier:
            user = User.objects.filter(email__iexact=identifier).first()
        else:
            phone = normalize_phone(identifier)
            user = User.objects.filter(phone=phone).first() if phone else None
        if user is None:
            User().set_password(password)  # same work as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            if _staff_of_suspended_region(request, user):
                return None
            return user
        return None


def _staff_of_suspended_region(request, user) -> bool:
    """On a suspended region's site its staff may not sign in (superadmins may)."""
    tenant = getattr(request, "tenant", None)
    if tenant is None or not getattr(tenant, "is_suspended", False) or user.is_superadmin:
        return False
    return Membership.objects.filter(
        user=user, region_id=tenant.region_id, is_active=True, role__in=STAFF_ROLES
    ).exists()
