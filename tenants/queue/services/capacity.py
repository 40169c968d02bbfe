"""Capacity of an offering on a day: ``QueueDay`` and its ``Slot`` rows, built from the
offering's opening intervals the first time the day is looked at.

Materialising is derived data (no audit entry) and idempotent. Two requests racing to build the
same day meet on the unique (offering, date) constraint; the loser reads the winner's rows. When
the plan changes afterwards (new hours, a closure, another quota) it is merged in under a lock
of the day row: existing bookings are never dropped, slots that left the plan only close.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from shared.catalogue.models import Channel
from tenants.mpp.models import Offering
from tenants.queue.models import QueueDay, QueueSettings, Slot
from tenants.queue.selectors import (
    local_datetime,
    offering_calendar,
    offering_queue_profile,
    offering_takes,
    queue_settings,
)


@dataclass(frozen=True)
class PlannedSlot:
    starts_at: dt.time
    ends_at: dt.time
    capacity: int


@dataclass(frozen=True)
class DayPlan:
    reason: str  # why the offering is closed that day; "" when open
    slots: tuple[PlannedSlot, ...]
    online_quota: int | None  # the offering's daily booking quota; None = sum of slots
    walk_in_quota: int | None  # None = unlimited

    @property
    def fingerprint(self) -> str:
        text = json.dumps(
            [
                [(s.starts_at.isoformat(), s.ends_at.isoformat(), s.capacity) for s in self.slots],
                self.online_quota,
                self.walk_in_quota,
            ]
        )
        return hashlib.sha256(text.encode()).hexdigest()


def split_intervals(intervals, *, slot_minutes: int) -> list[tuple[dt.time, dt.time]]:
    """Slot windows inside the opening intervals. A remainder shorter than half a slot at the
    end of an interval is dropped; a longer one becomes a shorter last slot."""
    step = dt.timedelta(minutes=slot_minutes)
    windows = []
    anchor = dt.date(2000, 1, 3)
    for opens, closes in intervals:
        start = dt.datetime.combine(anchor, opens)
        end = dt.datetime.combine(anchor, closes)
        while start < end:
            stop = min(start + step, end)
            if stop - start >= step / 2:
                windows.append((start.time(), stop.time()))
            start = stop
    return windows


def day_plan(offering: Offering, day: dt.date, *, settings: QueueSettings | None = None) -> DayPlan:
    """What ``day`` should offer for ``offering``: its slots with their booking capacity.

    With a daily booking quota on the offering (``quota_queue``) the quota is spread over the
    slots, earlier slots taking the remainder; without one every slot takes the configured
    number of bookings.
    """
    settings = settings or queue_settings()
    calendar_day = offering_calendar(offering, day, day)[0]
    walk_in_quota = offering.quota_walk_in if offering_takes(offering, Channel.WALK_IN) else 0
    if not calendar_day.is_open:
        return DayPlan(calendar_day.reason, (), 0, walk_in_quota)
    if not offering_takes(offering, Channel.QUEUE):
        return DayPlan("", (), 0, walk_in_quota)
    profile = offering_queue_profile(offering, settings=settings)
    windows = split_intervals(calendar_day.intervals, slot_minutes=profile.slot_minutes)
    quota = offering.quota_queue
    if quota is None:
        capacities = [profile.online_per_slot] * len(windows)
    else:
        base, extra = divmod(quota, len(windows)) if windows else (0, 0)
        capacities = [base + (1 if i < extra else 0) for i in range(len(windows))]
    slots = tuple(
        PlannedSlot(start, end, capacity)
        for (start, end), capacity in zip(windows, capacities, strict=True)
    )
    return DayPlan("", slots, quota, walk_in_quota)


def queue_day_ensure(*, offering: Offering, day: dt.date, plan: DayPlan | None = None) -> QueueDay:
    """The day's capacity row with its slots, built or brought up to date with the plan."""
    plan = plan or day_plan(offering, day)
    fingerprint = plan.fingerprint
    existing = QueueDay.objects.filter(offering=offering, date=day).first()
    if existing is not None and existing.fingerprint == fingerprint:
        return existing
    with transaction.atomic():
        if existing is None:
            try:
                with transaction.atomic():
                    queue_day = QueueDay.objects.create(
                        offering=offering,
                        date=day,
                        online_quota=_online_quota(plan, kept=0),
                        walk_in_quota=plan.walk_in_quota,
                        fingerprint=fingerprint,
                    )
                    Slot.objects.bulk_create(
                        Slot(
                            day=queue_day,
                            starts_at=s.starts_at,
                            ends_at=s.ends_at,
                            capacity=s.capacity,
                        )
                        for s in plan.slots
                    )
                    return queue_day
            except IntegrityError:
                pass  # built meanwhile by another request: merge into theirs below
        queue_day = QueueDay.objects.select_for_update().get(offering=offering, date=day)
        if queue_day.fingerprint != fingerprint:
            _merge(queue_day, plan)
        return queue_day


def _online_quota(plan: DayPlan, *, kept: int) -> int:
    total = sum(s.capacity for s in plan.slots) + kept
    return total if plan.online_quota is None else min(plan.online_quota, total)


def _merge(queue_day: QueueDay, plan: DayPlan) -> None:
    """Bring a day (locked by the caller) to ``plan`` without losing any booking."""
    slots = {s.starts_at: s for s in queue_day.slots.select_for_update()}
    planned = {s.starts_at: s for s in plan.slots}
    kept = 0
    for start, slot in slots.items():
        target = planned.get(start)
        if target is None:
            # Left the plan: closes for new bookings, keeps those it has.
            kept += slot.booked
            if slot.booked == 0 and not slot.bookings.exists():
                slot.delete()
            elif slot.capacity != slot.booked:
                slot.capacity = slot.booked
                slot.save(update_fields=["capacity"])
        else:
            capacity = max(target.capacity, slot.booked)
            if (slot.capacity, slot.ends_at) != (capacity, target.ends_at):
                slot.capacity, slot.ends_at = capacity, target.ends_at
                slot.save(update_fields=["capacity", "ends_at"])
    Slot.objects.bulk_create(
        Slot(day=queue_day, starts_at=s.starts_at, ends_at=s.ends_at, capacity=s.capacity)
        for start, s in planned.items()
        if start not in slots
    )
    queue_day.online_quota = max(_online_quota(plan, kept=kept), queue_day.online_booked)
    queue_day.walk_in_quota = (
        None if plan.walk_in_quota is None else max(plan.walk_in_quota, queue_day.walk_in_issued)
    )
    queue_day.fingerprint = plan.fingerprint
    queue_day.save(update_fields=["online_quota", "walk_in_quota", "fingerprint", "updated_at"])


@dataclass(frozen=True)
class SlotView:
    id: int
    starts_at: dt.time
    ends_at: dt.time
    capacity: int
    left: int
    is_past: bool

    @property
    def bookable(self) -> bool:
        return self.left > 0 and not self.is_past


@dataclass(frozen=True)
class DayView:
    date: dt.date
    reason: str
    slots: tuple[SlotView, ...]
    online_left: int

    @property
    def is_open(self) -> bool:
        return not self.reason

    @property
    def bookable_slots(self) -> list[SlotView]:
        return [s for s in self.slots if s.bookable] if self.online_left > 0 else []


def day_view(offering: Offering, day: dt.date, *, at: dt.datetime | None = None) -> DayView:
    """The slots of a day as a citizen sees them (remaining places, past or not)."""
    at = at or timezone.now()
    plan = day_plan(offering, day)
    if plan.reason:
        return DayView(day, plan.reason, (), 0)
    queue_day = queue_day_ensure(offering=offering, day=day, plan=plan)
    planned = {s.starts_at for s in plan.slots}
    slots = tuple(
        SlotView(
            id=s.pk,
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            capacity=s.capacity,
            left=s.left,
            is_past=local_datetime(day, s.ends_at) <= at,
        )
        for s in queue_day.slots.all()
        if s.starts_at in planned
    )
    return DayView(day, "", slots, queue_day.online_left)
