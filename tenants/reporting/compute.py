"""A region's daily figures, computed inside its schema from every app that feeds them.

Each app that feeds national monitoring has ``tenants/<app>/figures.py`` with
``daily_figures(day)`` (and optionally ``changed_days(since)``); the apps being built in parallel
(complaints, survey) are called once their module exists, and their columns stay NULL until then.
"""

from __future__ import annotations

import datetime as dt
import importlib
from types import ModuleType
from typing import TYPE_CHECKING, cast

from django.db import connection as _connection

from shared.monitoring.figures import ALL_COLUMNS
from shared.monitoring.rollups import region_days_store

if TYPE_CHECKING:
    from django_tenants.postgresql_backend.base import DatabaseWrapper

# django-tenants' wrapper (set_tenant, schema_name, tenant): the same object, typed.
connection = cast("DatabaseWrapper", _connection)


FIGURE_MODULES = (
    "tenants.applications.figures",
    "tenants.queue.figures",
    "tenants.complaints.figures",
    "tenants.survey.figures",
    "tenants.mpp.figures",
)
#: Late changes older than this are not chased (a year and a bit: the dashboard's longest view).
CHANGE_HORIZON_DAYS = 400


def figure_modules() -> list[ModuleType]:
    modules = []
    for name in FIGURE_MODULES:
        try:
            modules.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name is None or not name.startswith(exc.name):
                raise  # the module exists but something it imports is missing: a real error
    return modules


def region_figures(day: dt.date, modules: list[ModuleType] | None = None) -> dict:
    """Every contract column for ``day``: None for the apps that are absent."""
    figures: dict = dict.fromkeys(ALL_COLUMNS)
    for module in modules if modules is not None else figure_modules():
        for key, value in module.daily_figures(day).items():
            if key in figures and value is not None:
                figures[key] = value
    return figures


def days_to_roll(
    start: dt.date, end: dt.date, *, since: dt.datetime | None, modules: list[ModuleType]
) -> list[dt.date]:
    """The range, plus the earlier days that changed since the last successful roll-up."""
    days = {start + dt.timedelta(days=i) for i in range((end - start).days + 1)}
    if since is not None:
        horizon = end - dt.timedelta(days=CHANGE_HORIZON_DAYS)
        for module in modules:
            changed = getattr(module, "changed_days", None)
            if changed is not None:
                days |= {d for d in changed(since) if horizon <= d <= end}
    return sorted(days)


def region_rollup(
    *,
    start: dt.date,
    end: dt.date,
    since: dt.datetime | None = None,
    province_id: str | None = None,
) -> tuple[int, int]:
    """Computes and stores the current region's days. Returns (days computed, rows changed)."""
    if connection.schema_name == "public":
        raise RuntimeError("region_rollup runs inside a region schema")
    modules = figure_modules()
    days = days_to_roll(start, end, since=since, modules=modules)
    rows = {day: region_figures(day, modules) for day in days}
    changed = region_days_store(
        region_id=connection.tenant.region_id, province_id=province_id, rows=rows
    )
    return len(days), changed
