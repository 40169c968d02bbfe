"""The region's clock: its time zone (its province's), now and today.

Runs inside a region's schema."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import connection
from django.utils import timezone

# --- time zone of the region ---------------------------------------------------------------------


def region_timezone() -> ZoneInfo:
    """The current region's time zone (its province's: WIB, WITA or WIT). Runs in a region's
    schema; the routing loads the region and its province with the tenant, so no query."""
    tenant = getattr(connection, "tenant", None)
    region = getattr(tenant, "region", None)
    if region is None:
        raise RuntimeError("region_timezone() runs inside a region's schema")
    return region.time_zone


def region_now(at: dt.datetime | None = None) -> dt.datetime:
    """``at`` (default: now) in the region's local time."""
    return (at or timezone.now()).astimezone(region_timezone())


def region_today() -> dt.date:
    return region_now().date()
