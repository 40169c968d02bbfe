"""The region's calendar: national holidays and cuti bersama, working days, opening hours,
closures, today's status, and the one answer to "is this offering open on this day"
(``offering_calendar``) that the queue, the applications and the public site share.

Runs inside a region's schema."""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import F, Q
from django.utils.translation import gettext as _

from tenants.mpp.models import (
    Booth,
    Closure,
    GeneralInfo,
    Offering,
    OpeningHours,
    Weekday,
)
from tenants.mpp.selectors.clock import region_now

Interval = tuple[dt.time, dt.time]


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


def working_day_calendar(start: dt.date, end: dt.date) -> _Calendar:
    """The region's calendar over [start, end] (one query for closures), for callers that ask
    about many days (``.is_working_day(day)``)."""
    return _Calendar(start, end)


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


@dataclass(frozen=True)
class CalendarDay:
    date: dt.date
    intervals: tuple[Interval, ...]
    reason: str  # why closed; "" when open

    @property
    def is_open(self) -> bool:
        return bool(self.intervals)


def closed_text(offering: Offering, day: dt.date) -> str:
    """Why ``offering`` is not served on ``day``, in words; "" when it is."""
    return offering_calendar(offering, day, day)[0].reason


def offering_calendar(offering: Offering, start: dt.date, end: dt.date) -> list[CalendarDay]:
    """Each day from ``start`` to ``end``: the offering's opening intervals or why it is closed.

    The one rule for "is this offering open on this day", used by the queue (slots, walk-ins),
    the applications and the public site: the offering and its booth are active, the weekly
    hours (offering → booth → MPP) have intervals that weekday, and no national holiday, cuti
    bersama (unless the MPP opens on them) or closure of the MPP or the booth takes the day.
    Weekly hours and general information are loaded once for the whole range.
    """
    weekly = offering_weekly_hours(offering)
    info = general_info()
    booth = offering.booth if offering.booth_id else None
    days: list[CalendarDay] = []
    day = start
    while day <= end:
        intervals = tuple(weekly.get(day.weekday(), ()))
        reason = ""
        if not offering.is_active:
            reason = _("Layanan ini sedang tidak ditawarkan.")
        elif booth is not None and not booth.is_active:
            reason = _("Gerai layanan ini sedang tidak aktif.")
        elif not intervals:
            reason = _("Tidak ada layanan pada hari ini.")
        elif (closed := day_closed_reason(day, booth=booth, info=info)) is not None:
            reason = closed.text
        days.append(CalendarDay(day, () if reason else intervals, reason))
        day += dt.timedelta(days=1)
    return days


def offering_open_intervals(offering: Offering, day: dt.date) -> list[Interval]:
    """When ``offering`` is served on ``day`` (local time); [] when it is not."""
    return list(offering_calendar(offering, day, day)[0].intervals)


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
