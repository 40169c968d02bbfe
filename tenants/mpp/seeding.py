"""What a new region's MPP starts with. Called by onboarding while provisioning, inside the
region's schema: ``seed_offerings(actor=...)``."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from shared.catalogue.models import Agency, Service
from tenants.mpp.models import GeneralInfo, OpeningHours, Weekday

# Every MPP hosts its own regional government's civil registry and licensing office, so a new
# MPP starts with their national services. If the catalogue has neither agency (another
# catalogue), every service delivered by a *perangkat daerah* is the starter set instead.
STARTER_AGENCY_CODES: tuple[str, ...] = ("dukcapil", "disdukcapil", "dpmptsp")

# The usual hours of a government office, with the Friday prayer break.
DEFAULT_HOURS: dict[int, list[tuple[dt.time, dt.time]]] = {
    **{
        day: [(dt.time(8, 0), dt.time(15, 0))]
        for day in (Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY)
    },
    Weekday.FRIDAY: [(dt.time(8, 0), dt.time(11, 30)), (dt.time(13, 0), dt.time(15, 0))],
}


def starter_services():
    services = Service.objects.filter(is_active=True).order_by("code")
    by_code = services.filter(agency__code__in=STARTER_AGENCY_CODES)
    if by_code.exists():
        return by_code
    return services.filter(agency__kind=Agency.Kind.REGIONAL_OFFICE)


def seed_defaults() -> None:
    """General information row and the MPP's default weekly hours, unless already set."""
    GeneralInfo.objects.get_or_create(key=1)
    if not OpeningHours.objects.filter(booth__isnull=True, offering__isnull=True).exists():
        OpeningHours.objects.bulk_create(
            OpeningHours(weekday=day, opens_at=opens, closes_at=closes)
            for day, intervals in DEFAULT_HOURS.items()
            for opens, closes in intervals
        )


@transaction.atomic
def seed_offerings(*, actor=None) -> int:
    """Adopt the starter set of national services in this region (inside its schema).

    Idempotent: services already offered, or dropped by the admin on purpose, are left alone.
    Also sets the default general information and weekly hours when missing. Returns the number
    of services adopted by this call.
    """
    from tenants.mpp.models import Offering
    from tenants.mpp.services.offerings import offering_adopt

    seed_defaults()
    known = set(Offering.objects.filter(service__isnull=False).values_list("service_id", flat=True))
    taken_codes = set(Offering.objects.values_list("code", flat=True))
    adopted = 0
    for service in starter_services().exclude(pk__in=known).exclude(code__in=taken_codes):
        offering_adopt(actor=actor, service=service)
        adopted += 1
    return adopted
