"""Plausible past activity for a region (applications and queue tickets), for the demo and
tests: the dashboards need months of history to show trends. Runs in the CURRENT region schema
and writes plain rows (no notifications, no audit): it is made-up history, not service use."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction

from shared.citizens.models import ApplicationStatus, ResultKind
from tenants.applications.models import Application
from tenants.mpp.models import Counter, Offering
from tenants.mpp.selectors import add_region_working_days, region_timezone
from tenants.queue.models import Ticket

HISTORY_PREFIX = "RIW"  # application numbers of made-up history: RIW-<date>-<n>


@dataclass(frozen=True)
class Profile:
    """How a region performs in the made-up history."""

    applications_per_day: tuple[int, int] = (4, 12)
    tickets_per_day: tuple[int, int] = (15, 40)
    on_time: float = 0.9  # share of completions within the standard
    rejected: float = 0.08
    assisted: float = 0.3
    wait_minutes: tuple[int, int] = (5, 35)
    no_show: float = 0.06
    growth: float = 0.0  # relative change of volume from the first day to the last
    quiet_last_days: int = 0  # no activity at all in the last n days


def history_exists() -> bool:
    return Application.objects.filter(number__startswith=f"{HISTORY_PREFIX}-").exists()


def _at(day: dt.date, hour: int, minute: int, tz) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=tz)


@transaction.atomic
def history_seed(
    *, citizen_id: int, start: dt.date, end: dt.date, profile: Profile, seed: int = 1
) -> tuple[int, int]:
    """Applications and tickets on the working days from ``start`` to ``end``. Returns
    (applications, tickets) created. Idempotent per region: a second call adds nothing."""
    if history_exists():
        return 0, 0
    rng = random.Random(seed)
    tz = region_timezone()
    offerings = list(
        Offering.objects.filter(is_active=True).select_related("booth").order_by("id")[:8]
    )
    counters = list(Counter.objects.filter(is_active=True).order_by("id"))
    if not offerings:
        return 0, 0
    applications: list[Application] = []
    tickets: list[Ticket] = []
    total_days = max((end - start).days, 1)
    quiet_from = end - dt.timedelta(days=profile.quiet_last_days - 1)
    day = start
    n = 0
    while day <= end:
        if day.weekday() >= 5 or (profile.quiet_last_days and day >= quiet_from):
            day += dt.timedelta(days=1)
            continue
        scale = 1 + profile.growth * (day - start).days / total_days
        for _i in range(round(rng.randint(*profile.applications_per_day) * scale)):
            n += 1
            offering = rng.choice(offerings)
            days = offering.completion_days or 5
            submitted = _at(day, rng.randint(8, 14), rng.randint(0, 59), tz)
            due = add_region_working_days(day, days)
            late = rng.random() > profile.on_time
            finish_day = add_region_working_days(
                day, rng.randint(0, days) + (days + 2 if late else 0)
            )
            finished = _at(finish_day, rng.randint(9, 15), rng.randint(0, 59), tz)
            rejected = rng.random() < profile.rejected
            open_now = finish_day > end
            status = (
                ApplicationStatus.PROCESSING
                if open_now
                else (ApplicationStatus.REJECTED if rejected else ApplicationStatus.COMPLETED)
            )
            applications.append(
                Application(
                    offering=offering,
                    booth=offering.booth,
                    citizen_id=citizen_id,
                    number=f"{HISTORY_PREFIX}-{day:%Y%m%d}-{n:05d}",
                    status=status,
                    offering_name=offering.name[:200],
                    completion_days=days,
                    is_assisted=rng.random() < profile.assisted,
                    first_submitted_at=submitted,
                    submitted_at=submitted,
                    due_date=due,
                    finished_at=None if open_now else finished,
                    result_kind=ResultKind.PICKUP if status == ApplicationStatus.COMPLETED else "",
                    rejection_reason="Persyaratan tidak sesuai (data riwayat)."
                    if status == ApplicationStatus.REJECTED
                    else "",
                )
            )
        if counters:
            for seq in range(1, round(rng.randint(*profile.tickets_per_day) * scale) + 1):
                counter = rng.choice(counters)
                offering = rng.choice(offerings)
                issued = _at(day, rng.randint(8, 13), rng.randint(0, 59), tz)
                no_show = rng.random() < profile.no_show
                called = issued + dt.timedelta(minutes=rng.randint(*profile.wait_minutes))
                tickets.append(
                    Ticket(
                        date=day,
                        prefix="R",
                        seq=seq,
                        offering=offering,
                        kind=Ticket.Kind.WALK_IN,
                        status=Ticket.Status.NO_SHOW if no_show else Ticket.Status.DONE,
                        counter=counter,
                        issued_at=issued,
                        called_at=called,
                        last_called_at=called,
                        call_count=1,
                        serving_started_at=None if no_show else called,
                        finished_at=called + dt.timedelta(minutes=rng.randint(3, 15)),
                    )
                )
        day += dt.timedelta(days=1)
    Application.objects.bulk_create(applications, batch_size=1000)
    Ticket.objects.bulk_create(tickets, batch_size=1000)
    return len(applications), len(tickets)
