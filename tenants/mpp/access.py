"""Booth scope: which booths a staff member of this region works in. Runs in a region's schema.

The one rule, used by the applications worklist, the queue's counters and the console:

- national superadmins, DPMPTSP admins and supervisors are region-wide, on purpose (they
  oversee the whole MPP);
- an operator works in the booths of their ``StaffAssignment`` rows, and an operator without a
  booth sees nothing (least privilege: no assignment never means "not limited");
- anyone who is not staff of this region has no scope at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from kernel.tenancy import connection
from shared.accounts.models import Role
from shared.accounts.selectors import membership_for

REGION_WIDE_ROLES: tuple[str, ...] = (Role.DPMPTSP_ADMIN, Role.SUPERVISOR)


@dataclass(frozen=True)
class BoothScope:
    """``region_wide`` or exactly ``booth_ids`` (possibly none)."""

    region_wide: bool
    booth_ids: frozenset[int] = frozenset()

    def allows(self, booth_id: int | None) -> bool:
        return self.region_wide or (booth_id is not None and booth_id in self.booth_ids)

    def filter(self, queryset: QuerySet[Any], field: str = "booth_id") -> QuerySet[Any]:
        """``queryset`` narrowed to the scope (nothing at all for an empty scope)."""
        if self.region_wide:
            return queryset
        return queryset.filter(Q(**{f"{field}__in": self.booth_ids}))


NOTHING = BoothScope(region_wide=False)
REGION_WIDE = BoothScope(region_wide=True)


def booth_scope(user: Any) -> BoothScope:
    """The booths ``user`` works in, in the region whose schema the connection is in."""
    from tenants.mpp.models import StaffAssignment

    if user is None or not user.is_authenticated:
        return NOTHING
    if user.is_superadmin:
        return REGION_WIDE
    region = getattr(getattr(connection, "tenant", None), "region", None)
    membership = membership_for(user, region) if region is not None else None
    if membership is None:
        return NOTHING
    if membership.role in REGION_WIDE_ROLES:
        return REGION_WIDE
    ids = StaffAssignment.objects.filter(user_id=user.pk).values_list("booth_id", flat=True)
    return BoothScope(region_wide=False, booth_ids=frozenset(ids))
