"""What monitoring needs to know about the MPP register (``shared.regions.Mpp``): which regions
are live. Onboardings that have stalled are the onboarding app's knowledge, a layer above; it is
asked through ``settings.MONITORING_STALLED_ONBOARDINGS`` (a dotted path), so this shared app
never imports it."""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from shared.regions.models import Mpp


def live_regions() -> list[tuple[int, str]]:
    """(region_id, schema_name) of every live MPP, by region code."""
    return list(
        Mpp.objects.filter(status=Mpp.Status.LIVE)
        .order_by("region__code")
        .values_list("region_id", "schema_name")
    )


def live_region_ids() -> set[int]:
    return set(Mpp.objects.filter(status=Mpp.Status.LIVE).values_list("region_id", flat=True))


def live_mpps() -> list[Mpp]:
    return list(
        Mpp.objects.filter(status=Mpp.Status.LIVE).select_related("region").order_by("region__code")
    )


def stalled_onboardings() -> list[dict]:
    """Regions on their way in whose onboarding needs attention (see the provider)."""
    path = getattr(settings, "MONITORING_STALLED_ONBOARDINGS", "")
    return import_string(path)() if path else []
