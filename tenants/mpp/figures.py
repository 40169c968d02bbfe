"""The MPP's size for the national figures: active offerings, booths and staff. These are
snapshots: known only for the latest day (an older day re-rolled keeps what it had)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, cast

from django.db import connection as _connection

from shared.accounts.models import Membership
from tenants.mpp.models import Booth, Offering
from tenants.mpp.selectors import region_today

if TYPE_CHECKING:
    from django_tenants.postgresql_backend.base import DatabaseWrapper

# django-tenants' wrapper (set_tenant, schema_name, tenant): the same object, typed.
connection = cast("DatabaseWrapper", _connection)


def daily_figures(day: dt.date) -> dict[str, int | float | None]:
    if day < region_today() - dt.timedelta(days=1):
        return {"offerings_active": None, "booths_active": None, "staff_active": None}
    with connection.cursor() as cursor:  # one round trip for the three counts
        cursor.execute(
            f"SELECT (SELECT count(*) FROM {Offering._meta.db_table} WHERE is_active),"  # noqa: S608
            f" (SELECT count(*) FROM {Booth._meta.db_table} WHERE is_active),"
            f" (SELECT count(*) FROM {Membership._meta.db_table}"
            "   WHERE is_active AND region_id = %s)",
            [connection.tenant.region_id],
        )
        offerings, booths, staff = cursor.fetchone()
    return {"offerings_active": offerings, "booths_active": booths, "staff_active": staff}
