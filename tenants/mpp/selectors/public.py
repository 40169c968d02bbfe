"""What the region's public site lists: offerings by agency and life event, booths, days off.

Runs inside a region's schema."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from tenants.mpp.models import (
    Booth,
    Closure,
    GeneralInfo,
    Offering,
    OpeningHours,
    Weekday,
)
from tenants.mpp.selectors.calendar import (
    Interval,
    general_info,
    hours_by_weekday,
    national_days_off,
)
from tenants.mpp.selectors.clock import region_today

# --- the public site ----------------------------------------------------------------------------


@dataclass
class OfferingRow:
    """An active offering as the public lists show it (agency, life events and the effective
    fee, channels and completion time resolved)."""

    offering: Offering
    display_name: str
    agency_key: str  # "n<id>" national agency, "l<id>" local agency
    agency_name: str
    life_events: list = field(default_factory=list)  # catalogue LifeEvent rows
    effective_fee: Decimal = Decimal(0)
    effective_channels: list[str] = field(default_factory=list)
    effective_days: int | None = None
    has_pending: bool = False  # national changes not yet reviewed (console)

    @property
    def pk(self) -> int:
        return self.offering.pk

    @property
    def code(self) -> str:
        return self.offering.code

    @property
    def service_id(self) -> int | None:
        return self.offering.service_id

    @property
    def booth_id(self) -> int | None:
        return self.offering.booth_id

    @property
    def is_local(self) -> bool:
        return self.offering.service_id is None

    @property
    def has_local_fee(self) -> bool:
        return self.offering.service_id is not None and self.offering.fee_amount is not None


@dataclass
class AgencyGroup:
    key: str
    name: str
    offerings: list[OfferingRow] = field(default_factory=list)


def public_offerings() -> list[OfferingRow]:
    """Active offerings for listing, sorted by name: four queries however many there are."""
    from shared.catalogue.models import LifeEvent

    offerings = list(
        Offering.objects.active()
        .select_related("service", "service__agency", "agency", "local_agency", "booth")
        .prefetch_related("service__life_events")
    )
    local_event_ids = {i for o in offerings if o.service_id is None for i in o.life_event_ids}
    local_events = (
        {e.pk: e for e in LifeEvent.objects.filter(pk__in=local_event_ids)}
        if local_event_ids
        else {}
    )
    rows: list[OfferingRow] = []
    for o in offerings:
        service = o.service
        if service is not None:
            rows.append(
                OfferingRow(
                    offering=o,
                    display_name=service.name,
                    agency_key=f"n{service.agency_id}",
                    agency_name=service.agency.name,
                    life_events=list(service.life_events.all()),
                    effective_fee=o.fee_amount if o.fee_amount is not None else service.fee_amount,
                    effective_channels=list(
                        o.channels if o.channels is not None else service.channels
                    ),
                    effective_days=service.completion_days,
                )
            )
            continue
        national, local = o.agency, o.local_agency
        rows.append(
            OfferingRow(
                offering=o,
                display_name=o.name,
                agency_key=f"n{national.pk}" if national else f"l{local.pk}" if local else "",
                agency_name=national.name if national else local.name if local else "",
                life_events=[local_events[i] for i in o.life_event_ids if i in local_events],
                effective_fee=o.fee_amount or Decimal(0),
                effective_channels=list(o.channels or []),
                effective_days=o.completion_days,
            )
        )
    rows.sort(key=lambda r: r.display_name.lower())
    return rows


def group_by_agency(rows: Iterable[OfferingRow]) -> list[AgencyGroup]:
    groups: dict[str, AgencyGroup] = {}
    for row in rows:
        group = groups.setdefault(row.agency_key, AgencyGroup(row.agency_key, row.agency_name))
        group.offerings.append(row)
    return sorted(groups.values(), key=lambda g: g.name.lower())


def group_by_life_event(rows: Iterable[OfferingRow]) -> list[AgencyGroup]:
    groups: dict[str, AgencyGroup] = {}
    other = AgencyGroup("lain", _("Layanan lainnya"))
    for row in rows:
        if not row.life_events:
            other.offerings.append(row)
        for event in row.life_events:
            groups.setdefault(event.code, AgencyGroup(event.code, event.name)).offerings.append(row)
    out = sorted(groups.values(), key=lambda g: g.name.lower())
    return [*out, other] if other.offerings else out


WeeklyTable = list[tuple[str, list[Interval]]]


@dataclass
class BoothRow:
    """A booth with its weekly hours (its own, or the MPP's) for the lists."""

    booth: Booth
    weekly: WeeklyTable
    has_own_hours: bool
    offering_count: int
    offering_list: list[OfferingRow] = field(default_factory=list)

    def __getattr__(self, name: str):
        # number, display_name, location, agency_name, is_active … come from the booth.
        if name == "booth":
            raise AttributeError(name)
        return getattr(self.booth, name)


def booth_rows(*, include_inactive: bool = False) -> list[BoothRow]:
    """Booths with their weekly hours and number of active offerings: three queries."""
    from django.db.models import Count

    booths = Booth.objects.select_related("agency", "local_agency").annotate(
        offering_count=Count("offerings", filter=Q(offerings__is_active=True))
    )
    if not include_inactive:
        booths = booths.filter(is_active=True)
    rows = list(OpeningHours.objects.filter(offering__isnull=True))
    mpp = hours_by_weekday(r for r in rows if r.booth_id is None)
    own: dict[int, list[OpeningHours]] = defaultdict(list)
    for r in rows:
        if r.booth_id is not None:
            own[r.booth_id].append(r)
    return [
        BoothRow(
            booth=booth,
            weekly=weekly_table(hours_by_weekday(own[booth.pk]) if own.get(booth.pk) else mpp),
            has_own_hours=bool(own.get(booth.pk)),
            offering_count=booth.offering_count,
        )
        for booth in booths.order_by("-is_active", "number", "id")
    ]


def public_booths() -> list[BoothRow]:
    return booth_rows()


def weekly_table(hours: dict[int, list[Interval]]) -> WeeklyTable:
    return [(str(Weekday(d).label), hours.get(d, [])) for d in Weekday.values]


def upcoming_days_off(days: int = 60, *, info: GeneralInfo | None = None) -> list[dict]:
    """National days off and local closures (of the MPP or a booth) in the coming ``days``:
    what the public site and the console show as "hari libur dan penutupan"."""
    today = region_today()
    end = today + dt.timedelta(days=days)
    info = info or general_info()
    out: list[dict] = []
    for off in national_days_off(today, end):
        if off.is_cuti_bersama and info.open_on_cuti_bersama:
            continue
        out.append(
            {
                "start": off.date,
                "end": off.date,
                "reason": off.name,
                "kind": _("Cuti bersama") if off.is_cuti_bersama else _("Libur nasional"),
                "booth": None,
            }
        )
    for closure in Closure.objects.filter(end_date__gte=today, start_date__lte=end).select_related(
        "booth", "booth__agency", "booth__local_agency"
    ):
        out.append(
            {
                "start": closure.start_date,
                "end": closure.end_date,
                "reason": closure.reason,
                "kind": _("Penutupan lokal"),
                "booth": closure.booth,
                "closure": closure,
            }
        )
    return sorted(out, key=lambda d: (d["start"], d["end"]))
