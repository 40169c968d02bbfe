"""The MPP's size for the national figures: active offerings, booths and staff. These are
snapshots: known only for the latest day (an older day re-rolled keeps what it had)."""

from __future__ import annotations

import datetime as dt

from django.db import connection

from shared.accounts.models import Membership
from tenants.mpp.models import Booth, Offering
from tenants.mpp.selectors import region_today


def daily_figures(day: dt.date) -> dict[str, int | float | None]:
    if day < region_today() - dt.timedelta(days=1):
        return {"offerings_active": None, "booths_active": None, "staff_active": None}
    return {
        "offerings_active": Offering.objects.filter(is_active=True).count(),
        "booths_active": Booth.objects.filter(is_active=True).count(),
        "staff_active": Membership.objects.filter(
            region_id=connection.tenant.region_id, is_active=True
        ).count(),
    }
