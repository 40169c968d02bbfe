"""The only writers of ``Membership`` rows: who is staff of which region, in which role.

Provisioning (the first DPMPTSP admin), staff invitations and edits in a region's console, the
demo seed and offboarding all go through these two functions, so every change of access is
audited the same way: in the region's log when called inside its schema, else in the national log.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from kernel.audit import audit_log
from kernel.tenancy import Actor
from shared.accounts.models import Membership, Role, User
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
