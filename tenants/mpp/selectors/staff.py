"""The staff of this MPP with their booths.

Runs inside a region's schema."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q

from tenants.mpp.models import (
    Booth,
)

# --- staff --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffMember:
    membership: object  # shared.accounts.Membership (user selected)
    booths: tuple[Booth, ...]


def staff_members(*, include_inactive: bool = True) -> list[StaffMember]:
    """This region's staff with their booths: two queries however many staff there are."""
    from shared.accounts.models import Membership
    from tenants.mpp.models import StaffAssignment
    from tenants.mpp.services._common import current_region_id

    memberships = list(
        Membership.objects.filter(region_id=current_region_id())
        .filter(Q(is_active=True) if not include_inactive else Q())
        .select_related("user")
        .order_by("-is_active", "role", "user__full_name", "user__email")
    )
    booths: dict[int, list[Booth]] = defaultdict(list)
    for assignment in StaffAssignment.objects.filter(
        user_id__in=[m.user_id for m in memberships]
    ).select_related("booth", "booth__agency", "booth__local_agency"):
        booths[assignment.user_id].append(assignment.booth)
    return [StaffMember(m, tuple(booths.get(m.user_id, ()))) for m in memberships]
