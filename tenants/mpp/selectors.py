"""Public reads of a region's MPP, for this app and for the queue and applications apps.

Everything here runs inside a region's schema (``connection.tenant`` is the region's ``Mpp``).

- ``offering_effective_standard(offering)``: the published standard, national + local overrides.
- ``mpp_status(at=)`` / ``mpp_status_today()`` / ``region_is_open(at=)``: open or closed and why.
- ``offering_open_intervals(offering, day)`` / ``offering_is_available_on(offering, day)``: when an
  offering can be served on a day (holidays, closures, offering → booth → MPP hours).
- ``is_region_working_day(day)``, ``working_days_between(start, end)``,
  ``add_region_working_days(start, n)``: government working days (Monday–Friday) minus national
  holidays, cuti bersama (unless the MPP opens on them) and the MPP's own whole-day closures. These
  are the days an SLA in *hari kerja* counts.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.mpp.models import (
    OVERRIDABLE_FIELDS,
    Booth,
    Closure,
    GeneralInfo,
    Offering,
    OfferingRequirement,
    OpeningHours,
    Weekday,
)

Interval = tuple[dt.time, dt.time]

# --- time zone of the region ---------------------------------------------------------------------

_WITA_PROVINCES = frozenset(
    {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
)


def region_timezone(schema_name: str | None = None) -> ZoneInfo:
    """WIB, WITA or WIT from the province part of the Kemendagri code in the schema name
    (``mpp_35_10`` → province 35 → WIB). No query."""
    schema_name = str(schema_name or getattr(connection, "schema_name", "public"))
    parts = schema_name.split("_")
    province = parts[1] if len(parts) == 3 else ""
    if province in _WITA_PROVINCES:
        return ZoneInfo("Asia/Makassar")
    if province.isdigit() and int(province) >= 81:  # Maluku, Maluku Utara, Papua provinces
        return ZoneInfo("Asia/Jayapura")
    return ZoneInfo("Asia/Jakarta")


def region_now(at: dt.datetime | None = None) -> dt.datetime:
    """``at`` (default: now) in the region's local time."""
    return (at or timezone.now()).astimezone(region_timezone())


def region_today() -> dt.date:
    return region_now().date()


# --- national holidays (lokal-id) ----------------------------------------------------------------


@dataclass(frozen=True)
class NationalDayOff:
    date: dt.date
    name: str
    is_cuti_bersama: bool


@functools.lru_cache(maxsize=16)
def _national_year(year: int) -> dict[dt.date, NationalDayOff]:
    """Libur nasional and cuti bersama of a year; empty for years lokal-id has no SKB for yet."""
    from lokal import get_holidays

    try:
        year_data = get_holidays(year)
    except ValueError:
        return {}
    days: dict[dt.date, NationalDayOff] = {}
    for holiday in year_data.holidays:
        day = dt.date.fromisoformat(holiday.date)
        cuti = holiday.type == "cuti_bersama"
        # A date that is both keeps the stronger one (libur nasional).
        if day in days and not days[day].is_cuti_bersama:
            continue
        days[day] = NationalDayOff(day, holiday.name, cuti)
    return days


def national_days_off(start: dt.date, end: dt.date) -> list[NationalDayOff]:
    """National holidays and cuti bersama from ``start`` to ``end`` inclusive, in date order."""
    out: list[NationalDayOff] = []
    for year in range(start.year, end.year + 1):
        out.extend(d for day, d in _national_year(year).items() if start <= day <= end)
    return sorted(out, key=lambda d: d.date)


def national_day_off(day: dt.date) -> NationalDayOff | None:
    return _national_year(day.year).get(day)


# --- general information -------------------------------------------------------------------------


def general_info() -> GeneralInfo:
    """The region's general information; an unsaved blank one if the admin never filled it."""
    return GeneralInfo.objects.filter(key=1).first() or GeneralInfo()


# --- working days --------------------------------------------------------------------------------


class _Calendar:
    """Days off of this MPP over a date range, loaded with one query for closures."""

    def __init__(self, start: dt.date, end: dt.date, *, open_on_cuti_bersama: bool | None = None):
        if open_on_cuti_bersama is None:
            open_on_cuti_bersama = general_info().open_on_cuti_bersama
        self.open_on_cuti_bersama = open_on_cuti_bersama
        self.start, self.end = start, end
        self.closed: set[dt.date] = set()
        for c_start, c_end in Closure.objects.filter(
            booth__isnull=True, start_date__lte=end, end_date__gte=start
        ).values_list("start_date", "end_date"):
            day = max(c_start, start)
            while day <= min(c_end, end):
                self.closed.add(day)
                day += dt.timedelta(days=1)

    def is_working_day(self, day: dt.date) -> bool:
        if day.weekday() >= Weekday.SATURDAY or day in self.closed:
            return False
        off = national_day_off(day)
        return off is None or (off.is_cuti_bersama and self.open_on_cuti_bersama)


def is_region_working_day(day: dt.date) -> bool:
    return _Calendar(day, day).is_working_day(day)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days from ``start`` to ``end``, both inclusive (0 when ``end`` is before)."""
    if end < start:
        return 0
    calendar = _Calendar(start, end)
    days = (end - start).days + 1
    return sum(calendar.is_working_day(start + dt.timedelta(days=i)) for i in range(days))


def add_region_working_days(start: dt.date, n: int) -> dt.date:
    """The date ``n`` working days after ``start`` (before it for negative ``n``; ``start`` for 0).

    An SLA of *n hari kerja* for something received on ``start`` ends on this date.
    """
    if n == 0:
        return start
    step = 1 if n > 0 else -1
    # Generous window (weekends, long Idulfitri leave, local closures), widened if ever needed.
    span = abs(n) * 2 + 30
    while True:
        lo, hi = sorted((start, start + dt.timedelta(days=step * span)))
        calendar = _Calendar(lo, hi)
        day, left = start, abs(n)
        while lo <= day + dt.timedelta(days=step) <= hi:
            day += dt.timedelta(days=step)
            if calendar.is_working_day(day):
                left -= 1
                if left == 0:
                    return day
        span *= 2


# --- opening hours and today's status ------------------------------------------------------------


def hours_by_weekday(rows: Iterable[OpeningHours]) -> dict[int, list[Interval]]:
    by_day: dict[int, list[Interval]] = defaultdict(list)
    for row in rows:
        by_day[row.weekday].append((row.opens_at, row.closes_at))
    for intervals in by_day.values():
        intervals.sort()
    return dict(by_day)


def mpp_weekly_hours() -> dict[int, list[Interval]]:
    """The MPP building's hours: weekday → intervals."""
    return hours_by_weekday(OpeningHours.objects.filter(booth__isnull=True, offering__isnull=True))


def booth_weekly_hours(booth: Booth) -> dict[int, list[Interval]]:
    """A booth's own hours, or the MPP's when the booth has none."""
    own = hours_by_weekday(OpeningHours.objects.filter(booth=booth))
    return own or mpp_weekly_hours()


def offering_weekly_hours(offering: Offering) -> dict[int, list[Interval]]:
    """An offering's own hours, else its booth's, else the MPP's."""
    own = hours_by_weekday(OpeningHours.objects.filter(offering=offering))
    if own:
        return own
    if offering.booth is not None:
        return booth_weekly_hours(offering.booth)
    return mpp_weekly_hours()


@dataclass(frozen=True)
class DayClosedReason:
    code: str  # "national_holiday", "cuti_bersama", "closure", "booth_closure"
    text: str
    name: str  # holiday name or closure reason


def day_closed_reason(
    day: dt.date, *, booth: Booth | None = None, info: GeneralInfo | None = None
) -> DayClosedReason | None:
    """Why the MPP (or ``booth``) is closed all of ``day``, or None. Weekly hours not included."""
    off = national_day_off(day)
    info = info or general_info()
    if off is not None and not (off.is_cuti_bersama and info.open_on_cuti_bersama):
        if off.is_cuti_bersama:
            return DayClosedReason(
                "cuti_bersama", _("Tutup: cuti bersama %(name)s") % {"name": off.name}, off.name
            )
        return DayClosedReason(
            "national_holiday", _("Tutup: libur nasional %(name)s") % {"name": off.name}, off.name
        )
    scope = Q(booth__isnull=True)
    if booth is not None:
        scope |= Q(booth=booth)
    closure = (
        Closure.objects.filter(scope, start_date__lte=day, end_date__gte=day)
        .order_by(F("booth_id").asc(nulls_first=True), "start_date")  # whole MPP first
        .first()
    )
    if closure is not None:
        code = "booth_closure" if closure.booth_id else "closure"
        return DayClosedReason(
            code, _("Tutup: %(reason)s") % {"reason": closure.reason}, closure.reason
        )
    return None


def offering_open_intervals(offering: Offering, day: dt.date) -> list[Interval]:
    """When ``offering`` is served on ``day`` (local time); [] when it is not (holiday, closure,
    no hours that weekday, or the offering is not active)."""
    if not offering.is_active:
        return []
    booth = offering.booth if offering.booth_id else None
    if booth is not None and not booth.is_active:
        return []
    if day_closed_reason(day, booth=booth) is not None:
        return []
    return offering_weekly_hours(offering).get(day.weekday(), [])


def offering_is_available_on(offering: Offering, day: dt.date) -> bool:
    return bool(offering_open_intervals(offering, day))


@dataclass(frozen=True)
class MppStatus:
    """Open or closed at a moment, and why, in words for the public site."""

    at: dt.datetime  # local time of the region
    is_open: bool
    code: str  # open, break, before_hours, after_hours, no_service_day, no_schedule, or a
    # DayClosedReason code
    text: str
    hours_today: list[Interval] = field(default_factory=list)
    holiday_name: str = ""

    @property
    def date(self) -> dt.date:
        return self.at.date()


def mpp_status(at: dt.datetime | None = None, *, info: GeneralInfo | None = None) -> MppStatus:
    """The MPP's status at ``at`` (default now). Three small queries (two with ``info``)."""
    local = region_now(at)
    day, now = local.date(), local.time()
    info = info or general_info()
    closed = day_closed_reason(day, info=info)
    hours = mpp_weekly_hours() if closed is None else {}
    today = hours.get(day.weekday(), [])
    if closed is not None:
        return MppStatus(local, False, closed.code, closed.text, [], closed.name)
    if not hours:
        return MppStatus(local, False, "no_schedule", _("Jam layanan belum diumumkan."))
    if not today:
        return MppStatus(
            local,
            False,
            "no_service_day",
            _("Tutup: tidak ada layanan pada hari %(day)s.")
            % {"day": Weekday(day.weekday()).label},
        )
    for opens, closes in today:
        if opens <= now < closes:
            return MppStatus(
                local,
                True,
                "open",
                _("Buka sekarang, hingga pukul %(time)s.") % {"time": closes.strftime("%H:%M")},
                today,
            )
    if now < today[0][0]:
        return MppStatus(
            local,
            False,
            "before_hours",
            _("Belum buka. Buka hari ini pukul %(time)s.")
            % {"time": today[0][0].strftime("%H:%M")},
            today,
        )
    later = [opens for opens, _closes in today if opens > now]
    if later:
        return MppStatus(
            local,
            False,
            "break",
            _("Istirahat. Buka kembali pukul %(time)s.") % {"time": later[0].strftime("%H:%M")},
            today,
        )
    return MppStatus(
        local,
        False,
        "after_hours",
        _("Sudah tutup. Layanan hari ini berakhir pukul %(time)s.")
        % {"time": today[-1][1].strftime("%H:%M")},
        today,
    )


def mpp_status_today() -> MppStatus:
    return mpp_status()


def region_is_open(at: dt.datetime | None = None) -> bool:
    return mpp_status(at).is_open


# --- the effective standard of an offering -------------------------------------------------------


@dataclass(frozen=True)
class RequirementItem:
    text: str
    document_type_id: int | None
    document_type_code: str
    document_type_name: str
    is_mandatory: bool
    is_local: bool  # added by this MPP (or a local-only service's own)

    @property
    def label(self) -> str:
        if self.document_type_name and self.text:
            return f"{self.document_type_name} ({self.text})"
        return self.text or self.document_type_name


@dataclass(frozen=True)
class EffectiveStandard:
    """What citizens see: the national standard with this MPP's overrides and additions."""

    offering_id: int
    code: str
    name: str
    summary: str
    agency_name: str
    is_local: bool
    national_version: int | None
    requirements: tuple[RequirementItem, ...]
    steps: tuple[str, ...]
    completion_days: int | None
    completion_note: str
    fee_kind: str  # free, fixed, variable
    fee_amount: Decimal
    fee_basis: str
    product: str
    complaint_handling: str
    legal_basis: str
    channels: tuple[str, ...]
    local_notes: str
    overridden: frozenset[str]
    quotas: dict[str, int | None]

    @property
    def is_free(self) -> bool:
        return self.fee_kind == "free"

    @property
    def channel_labels(self) -> list[str]:
        from shared.catalogue.models import Channel

        labels = dict(Channel.choices)
        return [str(labels[c]) for c in self.channels if c in labels]


def _kind_for_amount(amount) -> str:
    return "fixed" if amount else "free"


def offerings_for_standard(queryset: QuerySet[Offering] | None = None) -> QuerySet[Offering]:
    """Offerings with everything ``offering_effective_standard`` reads, in a fixed number of
    queries however many offerings there are."""
    queryset = Offering.objects.all() if queryset is None else queryset
    return queryset.select_related(
        "service", "service__agency", "agency", "local_agency", "booth"
    ).prefetch_related(
        "service__requirements__document_type",
        "service__steps",
        Prefetch(
            "requirements",
            queryset=OfferingRequirement.objects.select_related("document_type"),
        ),
        "steps",
    )


def _requirement_item(row, *, is_local: bool) -> RequirementItem:
    doc = row.document_type if row.document_type_id else None
    return RequirementItem(
        text=row.text,
        document_type_id=row.document_type_id,
        document_type_code=doc.code if doc else "",
        document_type_name=doc.name if doc else "",
        is_mandatory=row.is_mandatory,
        is_local=is_local,
    )


def offering_effective_standard(offering: Offering) -> EffectiveStandard:
    """The merged standard. Every field the offering has not overridden is read from the
    *current* national service, so national changes follow automatically. Use
    ``offerings_for_standard`` to load many offerings without a query per offering."""
    local_reqs = tuple(_requirement_item(r, is_local=True) for r in offering.requirements.all())
    quotas = {
        "online": offering.quota_online,
        "queue": offering.quota_queue,
        "walk_in": offering.quota_walk_in,
    }
    if offering.service_id is None:
        agency = offering.agency if offering.agency_id else offering.local_agency
        return EffectiveStandard(
            offering_id=offering.pk,
            code=offering.code,
            name=offering.name,
            summary=offering.summary,
            agency_name=agency.name if agency is not None else "",
            is_local=True,
            national_version=None,
            requirements=local_reqs,
            steps=tuple(s.text for s in offering.steps.all()),
            completion_days=offering.completion_days,
            completion_note=offering.completion_note,
            fee_kind=offering.fee_kind or _kind_for_amount(offering.fee_amount),
            fee_amount=offering.fee_amount or Decimal(0),
            fee_basis=offering.fee_basis or "",
            product=offering.product,
            complaint_handling=offering.complaint_handling,
            legal_basis=offering.legal_basis,
            channels=tuple(offering.channels or ()),
            local_notes=offering.local_notes,
            overridden=frozenset(),
            quotas=quotas,
        )
    service = offering.service
    assert service is not None  # adopted offering
    overridden = frozenset(offering_overridden_fields(offering))
    national_reqs = tuple(_requirement_item(r, is_local=False) for r in service.requirements.all())
    fee_amount = offering.fee_amount if offering.fee_amount is not None else service.fee_amount
    if offering.fee_kind:
        fee_kind = offering.fee_kind
    elif offering.fee_amount is not None:
        fee_kind = _kind_for_amount(offering.fee_amount)
    else:
        fee_kind = getattr(service, "fee_kind", None) or _kind_for_amount(service.fee_amount)
    return EffectiveStandard(
        offering_id=offering.pk,
        code=offering.code,
        name=service.name,
        summary=service.summary,
        agency_name=service.agency.name,
        is_local=False,
        national_version=service.version,
        requirements=national_reqs + local_reqs,
        steps=tuple(s.text for s in service.steps.all()),
        completion_days=service.completion_days,
        completion_note=getattr(service, "completion_note", ""),
        fee_kind=fee_kind,
        fee_amount=fee_amount or Decimal(0),
        fee_basis=offering.fee_basis if offering.fee_basis is not None else service.fee_basis,
        product=service.product,
        complaint_handling=service.complaint_handling,
        legal_basis=service.legal_basis,
        channels=tuple(offering.channels if offering.channels is not None else service.channels),
        local_notes=offering.local_notes,
        overridden=overridden,
        quotas=quotas,
    )


def offering_overridden_fields(offering: Offering) -> list[str]:
    """Names of the national fields this adopted offering sets locally (requirements count when
    the MPP adds any; hours when it has its own)."""
    if offering.service_id is None:
        return []
    fields = [name for name in OVERRIDABLE_FIELDS if getattr(offering, name) is not None]
    if offering.requirements.all():
        fields.append("requirements")
    return fields


def offering_effective_channels(offering: Offering) -> list[str]:
    """Channels without loading requirements (for the availability index)."""
    if offering.channels is not None:
        return list(offering.channels)
    service = offering.service if offering.service_id else None
    return list(service.channels) if service is not None else []


# --- national changes since the admin last looked ---------------------------------------


@dataclass(frozen=True)
class NationalChange:
    number: int
    changed_fields: tuple[str, ...]
    created_at: dt.datetime
    overridden_here: tuple[str, ...]  # changed fields this MPP overrides (the change is masked)


def offering_national_changes(offering: Offering) -> list[NationalChange]:
    """National versions newer than ``offering.acknowledged_version``, newest first."""
    service = offering.service if offering.service_id else None
    if service is None:
        return []
    from shared.catalogue.models import ServiceVersion

    since = offering.acknowledged_version or 0
    if service.version <= since:
        return []
    overridden = set(offering_overridden_fields(offering))
    return [
        NationalChange(
            number=v.number,
            changed_fields=tuple(v.changed_fields or ()),
            created_at=v.created_at,
            overridden_here=tuple(f for f in (v.changed_fields or ()) if f in overridden),
        )
        for v in ServiceVersion.objects.filter(service_id=service.pk, number__gt=since).order_by(
            "-number"
        )
    ]


def offerings_with_pending_changes(queryset: QuerySet[Offering] | None = None):
    """Active adopted offerings whose national service moved past the acknowledged version."""
    from django.db.models.functions import Coalesce

    queryset = Offering.objects.active() if queryset is None else queryset
    return queryset.filter(service__isnull=False).filter(
        service__version__gt=Coalesce(F("acknowledged_version"), 0)
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
