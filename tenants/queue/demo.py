"""Demo queue for ``make run``: counters, a kiosk-ready service and the queue rules.

``queue_demo_seed()`` runs inside a region's schema (``connection.set_tenant(mpp)``) after the
region's offerings were seeded. Idempotent: a second run changes nothing. What it sets up:

- "Konsultasi dan Informasi Layanan", a local service of the MPP's information desk, open every
  day all day (data demo) and taking bookings and walk-ins, so the kiosk, the counter screen and
  the hall display can be tried at any hour; counters 1 and 2 (queue A) serve it;
- for up to two agencies among the adopted national services: a booth (if the agency has none)
  and one counter (queues B, C) serving up to six of its services, within their real hours.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from shared.catalogue.models import Agency, Channel
from tenants.mpp.models import Booth, Counter, LocalAgency, Offering, OpeningHours
from tenants.mpp.selectors import offering_effective_channels
from tenants.queue.models import QueueSettings

DEMO_OFFERING_CODE = "demo-konsultasi-informasi"
DEMO_AGENCY = "Pusat Informasi MPP"
ALL_DAY = (dt.time(0, 0), dt.time(23, 59))


def _counter(*, number: str, booth: Booth, prefix: str, name: str, offerings) -> Counter:
    counter = Counter.objects.filter(number=number).first()
    if counter is None:
        counter = Counter.objects.create(
            booth=booth, number=number, ticket_prefix=prefix, name=name
        )
    if counter.booth_id == booth.pk:
        counter.offerings.add(*offerings)
    return counter


def _info_desk() -> Offering:
    agency, _ = LocalAgency.objects.get_or_create(
        name=DEMO_AGENCY,
        defaults={"abbreviation": "Info", "description": "Meja informasi dan konsultasi MPP."},
    )
    booth = Booth.objects.filter(local_agency=agency).first() or Booth.objects.create(
        local_agency=agency, number="INFO", name="Meja Informasi", location="Lobi utama"
    )
    offering, created = Offering.objects.get_or_create(
        code=DEMO_OFFERING_CODE,
        defaults={
            "name": "Konsultasi dan Informasi Layanan",
            "summary": "Tanya persyaratan, alur dan status layanan di MPP.",
            "local_agency": agency,
            "booth": booth,
            "channels": [Channel.QUEUE, Channel.WALK_IN],
            "completion_days": 1,
            "product": "Informasi dan konsultasi",
            "complaint_handling": "Melalui SP4N-LAPOR! atau meja pengaduan MPP.",
            "local_notes": "Data demo: buka setiap hari sepanjang hari agar alur antrean "
            "dapat dicoba kapan saja.",
            "quota_queue": 40,
            "quota_walk_in": 200,
        },
    )
    if created or not OpeningHours.objects.filter(offering=offering).exists():
        OpeningHours.objects.bulk_create(
            OpeningHours(offering=offering, weekday=day, opens_at=ALL_DAY[0], closes_at=ALL_DAY[1])
            for day in range(7)
        )
    _counter(number="1", booth=booth, prefix="A", name="Informasi", offerings=[offering])
    _counter(number="2", booth=booth, prefix="A", name="Informasi", offerings=[offering])
    return offering


def _agency_counters() -> list[Counter]:
    queued = [
        o
        for o in Offering.objects.active()
        .filter(service__isnull=False)
        .select_related("service")
        .order_by("code")
        if {Channel.QUEUE, Channel.WALK_IN} & set(offering_effective_channels(o))
    ]
    by_agency: dict[int, list[Offering]] = {}
    for offering in queued:
        by_agency.setdefault(offering.service.agency_id, []).append(offering)
    ranked = sorted(by_agency, key=lambda pk: (-len(by_agency[pk]), pk))[:2]
    counters = []
    for index, (agency_id, prefix) in enumerate(zip(ranked, "BC", strict=False)):
        agency = Agency.objects.get(pk=agency_id)
        booth = Booth.objects.filter(agency=agency, is_active=True).order_by("number").first()
        if booth is None:
            booth = Booth.objects.create(agency=agency, number=f"G{index + 1}")
        offerings = by_agency[agency_id][:6]
        Offering.objects.filter(pk__in=[o.pk for o in offerings], booth__isnull=True).update(
            booth=booth
        )
        counters.append(
            _counter(
                number=str(index + 3),
                booth=booth,
                prefix=prefix,
                name=agency.abbreviation or agency.name,
                offerings=offerings,
            )
        )
    return counters


@transaction.atomic
def queue_demo_seed() -> dict:
    """Set up the demo queue in the current region schema. Returns what it ensured."""
    QueueSettings.objects.get_or_create(key=1)
    info = _info_desk()
    counters = _agency_counters()
    return {"info_offering": info.pk, "agency_counters": [c.number for c in counters]}
