from shared.accounts.models import Membership


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
