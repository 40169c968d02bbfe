"""Reads of the queue (inside a region's schema): settings, which offerings take bookings or
walk-ins, the booking calendar, the order tickets are called in, the hall board and estimates.

Opening hours, holidays and closures come from ``tenants.mpp.selectors``; nothing here decides
on its own whether the MPP is open.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from shared.catalogue.models import Channel
from tenants.mpp.models import Counter, Offering
from tenants.mpp.selectors import (  # noqa: F401 - the one calendar rule, for the queue's callers
    CalendarDay,
    closed_text,
    offering_calendar,
    offering_effective_channels,
    region_now,
    region_timezone,
)
from tenants.queue.models import Booking, OfferingQueueConfig, QueueSettings, Ticket

# --- settings ------------------------------------------------------------------------------------


def queue_settings() -> QueueSettings:
    """The region's queue rules; an unsaved default row when the admin never changed them."""
    return QueueSettings.objects.filter(key=1).first() or QueueSettings()


@dataclass(frozen=True)
class QueueProfile:
    slot_minutes: int
    online_per_slot: int
    service_minutes: int


def offering_queue_profile(
    offering: Offering, *, settings: QueueSettings | None = None
) -> QueueProfile:
    """Slot length, bookings per slot and service-time estimate: the offering's own, else the
    region's."""
    settings = settings or queue_settings()
    try:
        own = offering.queue_config
    except OfferingQueueConfig.DoesNotExist:
        own = None

    def pick(name: str) -> int:
        value = getattr(own, name, None) if own is not None else None
        return int(value if value is not None else getattr(settings, name))

    return QueueProfile(pick("slot_minutes"), pick("online_per_slot"), pick("service_minutes"))


# --- time -----------------------------------------------------------------------------------------


def local_datetime(day: dt.date, time: dt.time) -> dt.datetime:
    """A wall-clock time of the region on ``day`` as an aware datetime."""
    return dt.datetime.combine(day, time, tzinfo=region_timezone())


def local_today(at: dt.datetime | None = None) -> dt.date:
    return region_now(at).date()


# --- which offerings take bookings and walk-ins ---------------------------------------------------


def offerings_with_counters() -> QuerySet[Offering]:
    """Active offerings that at least one active counter serves (nobody could call them
    otherwise), with what their names, booths and channels need."""
    return (
        Offering.objects.active()
        .filter(counters__is_active=True)
        .distinct()
        .select_related(
            "service",
            "service__agency",
            "agency",
            "local_agency",
            "booth",
            "booth__agency",
            "booth__local_agency",
        )
        .order_by("code")
    )


def offering_takes(offering: Offering, channel: str) -> bool:
    return channel in offering_effective_channels(offering)


def bookable_offerings() -> list[Offering]:
    """Offerings a citizen can book a slot for online (channel *booking antrean*)."""
    return [o for o in offerings_with_counters() if offering_takes(o, Channel.QUEUE)]


def walk_in_offerings() -> list[Offering]:
    """Offerings the kiosk hands out walk-in tickets for (channel *datang langsung*)."""
    return [o for o in offerings_with_counters() if offering_takes(o, Channel.WALK_IN)]


def offering_label(offering: Offering) -> str:
    service = offering.service if offering.service_id else None
    return offering.name or (service.name if service is not None else offering.code)


# --- the booking calendar (tenants.mpp.selectors.offering_calendar is the one rule) --------------


def booking_window(*, at: dt.datetime | None = None, settings=None) -> tuple[dt.date, dt.date]:
    """The first and last date a citizen may book today."""
    settings = settings or queue_settings()
    today = local_today(at)
    return today, today + dt.timedelta(days=settings.booking_days_ahead)


# --- a citizen's bookings ------------------------------------------------------------------------


def citizen_bookings(citizen, *, at: dt.datetime | None = None) -> dict[str, list[Booking]]:
    """A citizen's bookings in this region: ``upcoming`` (active, today or later) and ``past``
    (the last 20 others). Two queries."""
    today = local_today(at)
    base = Booking.objects.filter(citizen_id=citizen.pk).select_related(
        "offering", "offering__service", "ticket"
    )
    upcoming = list(
        base.filter(status__in=Booking.ACTIVE, date__gte=today).order_by("date", "starts_at")
    )
    past = list(
        base.exclude(pk__in=[b.pk for b in upcoming]).order_by("-date", "-starts_at", "-id")[:20]
    )
    return {"upcoming": upcoming, "past": past}


# --- calling order --------------------------------------------------------------------------------


def call_candidates(counter: Counter, *, day: dt.date, at: dt.datetime) -> QuerySet[Ticket]:
    """Waiting tickets ``counter`` may call, best first.

    1. tickets transferred to this counter (they have already waited once);
    2. booked tickets whose slot has started (the booking is honoured at its time);
    3. walk-ins in the order they came;
    4. booked tickets whose slot has not started yet (served early rather than leaving the
       counter idle).
    """
    offering_ids = counter.offerings.filter(is_active=True).values("pk")
    return (
        Ticket.objects.filter(date=day, status=Ticket.Status.WAITING)
        .filter(
            Q(target_counter=counter) | Q(target_counter__isnull=True, offering_id__in=offering_ids)
        )
        .annotate(
            rank=Case(
                When(target_counter=counter, then=Value(0)),
                When(kind=Ticket.Kind.BOOKED, appointment_at__lte=at, then=Value(1)),
                When(kind=Ticket.Kind.WALK_IN, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", F("appointment_at").asc(nulls_last=True), "issued_at", "id")
    )


def counter_current_ticket(counter: Counter) -> Ticket | None:
    return (
        Ticket.objects.active_at_counter()
        .filter(counter=counter)
        .select_related("offering", "offering__service", "booking")
        .first()
    )


# --- estimates and the hall board ----------------------------------------------------------------


@dataclass(frozen=True)
class QueueLine:
    """One queue of the hall: the tickets of a prefix."""

    prefix: str
    label: str
    waiting: int
    counters: int
    service_minutes: float
    estimate_minutes: int


def _median(values: list[float]) -> float | None:
    if not values:
        return None
    values = sorted(values)
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def queue_lines(*, day: dt.date, settings: QueueSettings | None = None) -> list[QueueLine]:
    """Waiting count and estimated waiting time per prefix. Three queries.

    Estimate = waiting × service time ÷ active counters of the prefix. Service time is today's
    median (call to finish) once three tickets of the prefix are done, else the region's
    configured estimate.
    """
    settings = settings or queue_settings()
    counters = list(
        Counter.objects.filter(is_active=True)
        .select_related("booth", "booth__agency", "booth__local_agency")
        .order_by("ticket_prefix", "number")
    )
    by_prefix: dict[str, list[Counter]] = {}
    for counter in counters:
        by_prefix.setdefault(counter.ticket_prefix, []).append(counter)
    waiting = dict(
        Ticket.objects.filter(date=day, status=Ticket.Status.WAITING)
        .values_list("prefix")
        .annotate(n=Count("id"))
        .values_list("prefix", "n")
    )
    durations: dict[str, list[float]] = {}
    for prefix, called, finished in Ticket.objects.filter(
        date=day,
        status=Ticket.Status.DONE,
        called_at__isnull=False,
        finished_at__isnull=False,
    ).values_list("prefix", "called_at", "finished_at"):
        if called is not None and finished is not None:  # the filter says so; mypy cannot
            durations.setdefault(prefix, []).append((finished - called).total_seconds() / 60)
    lines = []
    for prefix in sorted(set(by_prefix) | set(waiting)):
        group = by_prefix.get(prefix, [])
        samples = durations.get(prefix, [])
        minutes = _median(samples) if len(samples) >= 3 else None
        minutes = max(minutes or float(settings.service_minutes), 1.0)
        n_waiting = waiting.get(prefix, 0)
        names = list(dict.fromkeys(c.booth.display_name for c in group))
        lines.append(
            QueueLine(
                prefix=prefix,
                label=", ".join(names),
                waiting=n_waiting,
                counters=len(group),
                service_minutes=round(minutes, 1),
                estimate_minutes=math.ceil(n_waiting * minutes / max(len(group), 1)),
            )
        )
    return lines


def ticket_position(ticket: Ticket) -> int:
    """How many waiting tickets of the same queue were issued before this one."""
    if ticket.status != Ticket.Status.WAITING:
        return 0
    return Ticket.objects.filter(
        date=ticket.date,
        prefix=ticket.prefix,
        status=Ticket.Status.WAITING,
        issued_at__lt=ticket.issued_at,
    ).count()


def recent_calls(*, day: dt.date, limit: int = 8) -> list[Ticket]:
    """Tickets called today, the latest call first (what the hall display shows)."""
    return list(
        Ticket.objects.filter(date=day, last_called_at__isnull=False)
        .exclude(status=Ticket.Status.WAITING)
        .select_related("counter")
        .order_by("-last_called_at", "-id")[:limit]
    )


def hall_board(*, at: dt.datetime | None = None) -> dict:
    """Everything the hall display shows, as plain data: the latest calls with their counters,
    each queue's waiting count and estimated wait. Four queries."""
    at = at or timezone.now()
    day = local_today(at)
    calls = recent_calls(day=day)
    lines = queue_lines(day=day)
    return {
        "date": day.isoformat(),
        "time": region_now(at).strftime("%H:%M"),
        "calls": [
            {
                "number": t.number,
                "counter": t.counter.number if t.counter is not None else "",
                "counter_name": str(t.counter) if t.counter_id else "",
                "status": t.status,
                "called_at": t.last_called_at.isoformat() if t.last_called_at else None,
                "call_count": t.call_count,
            }
            for t in calls
        ],
        "queues": [
            {
                "prefix": line.prefix,
                "label": line.label,
                "waiting": line.waiting,
                "counters": line.counters,
                "estimate_minutes": line.estimate_minutes,
            }
            for line in lines
        ],
    }


# Many screens poll the board at once: it is computed at most once a second per region (the cache
# key carries the schema name through django-tenants' make_key), and every ticket change drops
# the cached copy (``services.tickets``), so a call shows on the next poll.
BOARD_CACHE_KEY = "queue:hall-board"
BOARD_CACHE_SECONDS = 1


def hall_board_cached() -> dict:
    board = cache.get(BOARD_CACHE_KEY)
    if board is None:
        board = hall_board()
        cache.set(BOARD_CACHE_KEY, board, BOARD_CACHE_SECONDS)
    return board


def desk_state(counter: Counter) -> dict:
    """What the counter screen shows: the current ticket and the next ones in call order."""
    now = timezone.now()
    today = local_today(now)
    upcoming = list(
        call_candidates(counter, day=today, at=now).select_related("offering", "offering__service")[
            :10
        ]
    )
    waiting_total = (
        Ticket.objects.filter(date=today, status=Ticket.Status.WAITING)
        .filter(
            Q(target_counter=counter) | Q(target_counter__isnull=True, offering__counters=counter)
        )
        .count()
    )
    return {
        "current": counter_current_ticket(counter),
        "upcoming": upcoming,
        "waiting_total": waiting_total,
    }
