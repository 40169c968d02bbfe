"""Reads of a region's MPP, for this app and for the queue and applications apps, by topic:
clock, calendar, standards, staff, public, catalogue. Import from here.

Everything here runs inside a region's schema (``connection.tenant`` is the region's ``Mpp``).

- ``offering_effective_standard(offering)``: the published standard, national + local overrides.
- ``mpp_status(at=)`` / ``mpp_status_today()`` / ``region_is_open(at=)``: open or closed and why.
- ``offering_calendar(offering, start, end)``: the one rule for "is this offering open on this
  day" (holidays, closures, offering → booth → MPP hours), for the queue, the applications and
  the public site; ``offering_open_intervals(offering, day)`` is its one-day form.
- ``is_region_working_day(day)``, ``working_days_between(start, end)``,
  ``add_region_working_days(start, n)``: government working days (Monday–Friday) minus national
  holidays, cuti bersama (unless the MPP opens on them) and the MPP's own whole-day closures. These
  are the days an SLA in *hari kerja* counts.
"""

from tenants.mpp.selectors.calendar import (
    CalendarDay,
    DayClosedReason,
    Interval,
    MppStatus,
    NationalDayOff,
    add_region_working_days,
    booth_weekly_hours,
    closed_text,
    day_closed_reason,
    general_info,
    hours_by_weekday,
    is_region_working_day,
    mpp_status,
    mpp_status_today,
    mpp_weekly_hours,
    national_day_off,
    national_days_off,
    offering_calendar,
    offering_open_intervals,
    offering_weekly_hours,
    region_is_open,
    working_day_calendar,
    working_days_between,
)
from tenants.mpp.selectors.catalogue import (
    search_national_services,
)
from tenants.mpp.selectors.clock import (
    region_now,
    region_timezone,
    region_today,
)
from tenants.mpp.selectors.public import (
    AgencyGroup,
    BoothRow,
    OfferingRow,
    WeeklyTable,
    booth_rows,
    group_by_agency,
    group_by_life_event,
    public_booths,
    public_offerings,
    upcoming_days_off,
    weekly_table,
)
from tenants.mpp.selectors.staff import (
    StaffMember,
    staff_members,
)
from tenants.mpp.selectors.standards import (
    EffectiveStandard,
    NationalChange,
    RequirementItem,
    offering_effective_channels,
    offering_effective_standard,
    offering_national_changes,
    offering_overridden_fields,
    offerings_for_standard,
    offerings_with_pending_changes,
)

__all__ = [
    "AgencyGroup",
    "BoothRow",
    "CalendarDay",
    "DayClosedReason",
    "EffectiveStandard",
    "Interval",
    "MppStatus",
    "NationalChange",
    "NationalDayOff",
    "OfferingRow",
    "RequirementItem",
    "StaffMember",
    "WeeklyTable",
    "add_region_working_days",
    "booth_rows",
    "booth_weekly_hours",
    "closed_text",
    "day_closed_reason",
    "general_info",
    "group_by_agency",
    "group_by_life_event",
    "hours_by_weekday",
    "is_region_working_day",
    "mpp_status",
    "mpp_status_today",
    "mpp_weekly_hours",
    "national_day_off",
    "national_days_off",
    "offering_calendar",
    "offering_effective_channels",
    "offering_effective_standard",
    "offering_national_changes",
    "offering_open_intervals",
    "offering_overridden_fields",
    "offering_weekly_hours",
    "offerings_for_standard",
    "offerings_with_pending_changes",
    "public_booths",
    "public_offerings",
    "region_is_open",
    "region_now",
    "region_timezone",
    "region_today",
    "search_national_services",
    "staff_members",
    "upcoming_days_off",
    "weekly_table",
    "working_day_calendar",
    "working_days_between",
]
