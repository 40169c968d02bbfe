"""The SKM's daily figures for the national monitoring (the shared contract of issue 16):
respondents and the score sum of each element, ``skm_sum_u1`` … ``skm_sum_u9`` in the fixed
order of ``shared.survey.elements``. Sums, not averages: the national roll-up adds days and
regions and computes any period's IKM exactly (``shared.survey.index.Tally``).

Runs in the current region's schema (the caller has set the tenant); ``day`` is the region's
local calendar day of submission. Read from ``DailySum``, which every response updates in its
own transaction: one query.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Sum

from shared.survey.elements import ELEMENT_CODES
from tenants.survey.models import SUM_FIELDS, DailySum


def daily_figures(day: dt.date) -> dict[str, int | float | None]:
    row = DailySum.objects.filter(date=day).aggregate(
        respondents=Sum("respondents"), **{f: Sum(f) for f in SUM_FIELDS}
    )
    figures: dict[str, int | float | None] = {"skm_respondents": int(row["respondents"] or 0)}
    for code in ELEMENT_CODES:
        figures[f"skm_sum_{code}"] = int(row[f"sum_{code}"] or 0)
    return figures


def changed_days(since: dt.datetime) -> list[dt.date]:
    """Days whose sums changed since ``since`` (a response is added to its own day, so this is
    today in practice; a bulk import or a rebuild can change earlier days)."""
    return sorted(
        set(DailySum.objects.filter(updated_at__gte=since).values_list("date", flat=True))
    )


def daily_figures_by_offering(day: dt.date) -> list[dict[str, int | None]]:
    """The same per offering (``offering_id`` None: responses without one)."""
    rows = []
    for row in DailySum.objects.filter(date=day).order_by("offering_id"):
        item: dict[str, int | None] = {
            "offering_id": row.offering_id,
            "skm_respondents": row.respondents,
        }
        for code in ELEMENT_CODES:
            item[f"skm_sum_{code}"] = getattr(row, f"sum_{code}")
        rows.append(item)
    return rows
