"""Online bookings: create, cancel, reschedule. Run inside a region's schema; every write audits.

Concurrency: a place is taken with conditional ``UPDATE``s (``online_booked < online_quota`` on
the day, ``booked < capacity`` on the slot) at the end of the booking's transaction, so however
many requests race for the last place exactly one wins (the losers' bookings roll back), and the
check constraints on both rows back it up. Writers lock in one order: the booking row, then the
citizen (a transaction-scoped advisory lock that makes the per-citizen limits exact), then day
rows by id, then slots.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kernel.audit import audit_log
from kernel.errors import ConflictError, DomainError, NotFoundError
from kernel.tasks import region_task_send
from kernel.tenancy import connection
from shared.catalogue.models import Channel
from shared.webhooks.models import EventKind
from shared.webhooks.services import event_emit
from tenants.mpp.models import Offering
from tenants.queue.codes import new_booking_code, normalize_code
from tenants.queue.models import Booking, QueueDay, QueueSettings, Slot
from tenants.queue.selectors import (
    booking_window,
    local_datetime,
    local_today,
    offering_takes,
    queue_settings,
)
from tenants.queue.services.capacity import day_plan, queue_day_ensure


def long_date(day: dt.date) -> str:
    return date_format(day, "l, j F Y")


def access_booking(*, actor, code: str) -> Booking:
    """A booking of ``actor`` by its code; someone else's booking does not exist (404)."""
    booking = (
        Booking.objects.select_related("offering", "offering__service", "slot")
        .filter(code=normalize_code(code), citizen_id=getattr(actor, "pk", None))
        .first()
    )
    if booking is None:
        raise NotFoundError(_("Booking tidak ditemukan."))
    return booking


def _check_bookable(offering: Offering) -> None:
    if not offering.is_active or not offering_takes(offering, Channel.QUEUE):
        raise DomainError(
            _("Layanan ini tidak menerima booking antrean daring."), code="not_bookable"
        )
    if not offering.counters.filter(is_active=True).exists():
        raise DomainError(
            _("Layanan ini belum memiliki loket aktif, sehingga belum dapat dibooking."),
            code="no_counter",
        )


def _check_date(day: dt.date, *, at: dt.datetime, settings: QueueSettings) -> None:
    first, last = booking_window(at=at, settings=settings)
    if day < first:
        raise DomainError(
            _("Tanggal booking sudah lewat. Pilih hari ini atau tanggal sesudahnya."), code="past"
        )
    if day > last:
        raise DomainError(
            _("Booking paling jauh %(n)d hari ke depan (sampai %(date)s).")
            % {"n": settings.booking_days_ahead, "date": long_date(last)},
            code="too_far",
        )


def _lock_citizen(citizen_id: int) -> list[int]:
    """Serialises one citizen's bookings in this region until the transaction ends, across
    every account that counts as the same citizen (same verified phone or NIK: brokers open
    many accounts). Returns those accounts' ids, for the limits."""
    from shared.accounts.models import User
    from shared.citizens.selectors import identity_of

    user = User.objects.filter(pk=citizen_id).first()
    ids, keys = identity_of(user) if user is not None else ([citizen_id], [f"user:{citizen_id}"])
    with connection.cursor() as cursor:
        for key in keys:  # sorted: two requests never wait on each other in opposite orders
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtext(%s))",
                [f"{connection.schema_name}:queue.citizen:{key}"],
            )
    return ids


def _check_limits(
    citizen_ids: list[int],
    *,
    offering: Offering,
    day: dt.date,
    today: dt.date,
    settings: QueueSettings,
    replacing: Booking | None,
) -> None:
    """Per-citizen limits against brokers (calo), counted over every account of the citizen
    (``_lock_citizen``); the caller holds the citizen's locks."""
    active = Booking.objects.filter(citizen_id__in=citizen_ids, status__in=Booking.ACTIVE)
    if replacing is not None:
        active = active.exclude(pk=replacing.pk)
    counts = active.aggregate(
        same=Count("id", filter=Q(date=day, offering=offering)),
        day=Count("id", filter=Q(date=day)),
        upcoming=Count(
            "id",
            filter=Q(offering=offering, date__gte=today, status=Booking.Status.BOOKED),
        ),
    )
    if counts["same"] >= settings.max_bookings_per_service_day:
        raise DomainError(
            _("Anda sudah memiliki booking untuk layanan ini pada %(date)s.")
            % {"date": long_date(day)},
            code="limit_service_day",
        )
    if counts["day"] >= settings.max_bookings_per_day:
        raise DomainError(
            _("Batas %(n)d booking per hari untuk setiap warga sudah tercapai pada %(date)s.")
            % {"n": settings.max_bookings_per_day, "date": long_date(day)},
            code="limit_day",
        )
    if counts["upcoming"] >= settings.max_upcoming_per_service:
        raise DomainError(
            _(
                "Anda sudah memiliki %(n)d booking aktif untuk layanan ini. Batalkan salah satu "
                "sebelum membuat booking baru."
            )
            % {"n": counts["upcoming"]},
            code="limit_upcoming",
        )


def _insert(**fields) -> Booking:
    for _attempt in range(8):
        try:
            with transaction.atomic():
                return Booking.objects.create(code=new_booking_code(), **fields)
        except IntegrityError as exc:
            if "code" not in str(exc):
                raise
    raise RuntimeError("no free booking code after 8 attempts")


def _book(
    *,
    citizen_id: int,
    offering: Offering,
    day: dt.date,
    starts_at: dt.time,
    at: dt.datetime,
    settings: QueueSettings,
    replacing: Booking | None = None,
) -> tuple[Booking, int]:
    """Check everything and write the booking (the caller's transaction), without counting it
    yet: the caller audits and then calls ``_take_place``. Returns the booking and the id of
    its day's capacity row."""
    _check_bookable(offering)
    _check_date(day, at=at, settings=settings)
    plan = day_plan(offering, day, settings=settings)
    if plan.reason:
        raise DomainError(
            _("Tidak dapat booking pada %(date)s. %(reason)s")
            % {"date": long_date(day), "reason": plan.reason},
            code="closed",
        )
    planned = {s.starts_at: s for s in plan.slots}
    if starts_at not in planned:
        raise DomainError(
            _("Jam %(time)s tidak tersedia pada tanggal ini. Pilih salah satu jam yang ditawarkan.")
            % {"time": starts_at.strftime("%H:%M")},
            code="no_such_slot",
        )
    if local_datetime(day, planned[starts_at].ends_at) <= at:
        raise DomainError(
            _("Jam %(time)s hari ini sudah lewat. Pilih jam lain.")
            % {"time": starts_at.strftime("%H:%M")},
            code="slot_past",
        )
    citizen_ids = _lock_citizen(citizen_id)
    queue_day = queue_day_ensure(offering=offering, day=day, plan=plan)
    _check_limits(
        citizen_ids,
        offering=offering,
        day=day,
        today=local_today(at),
        settings=settings,
        replacing=replacing,
    )
    slot_id = (
        Slot.objects.filter(day=queue_day, starts_at=starts_at).values_list("pk", flat=True).first()
    )
    # Written now, counted last (``_take_place``): the contended day and slot rows then stay
    # locked only for two updates and the commit.
    booking = _insert(
        citizen_id=citizen_id,
        offering=offering,
        slot_id=slot_id,
        date=day,
        starts_at=starts_at,
        ends_at=planned[starts_at].ends_at,
    )
    return booking, queue_day.pk


def _take_place(booking: Booking, day_id: int, *, release: Booking | None = None) -> None:
    """Count ``booking`` against its day and slot (and give ``release``'s place back), or raise
    when there is no room: the caller's transaction then rolls the booking back."""
    if release is not None:
        # Both days in id order before any slot: the lock order every writer follows.
        ids = {day_id, release.slot.day_id}
        list(QueueDay.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    taken = QueueDay.objects.filter(pk=day_id, online_booked__lt=F("online_quota")).update(
        online_booked=F("online_booked") + 1
    )
    if not taken:
        raise ConflictError(
            _("Kuota booking daring untuk %(date)s sudah habis. Silakan pilih tanggal lain.")
            % {"date": long_date(booking.date)},
            code="day_full",
        )
    taken = Slot.objects.filter(pk=booking.slot_id, booked__lt=F("capacity")).update(
        booked=F("booked") + 1
    )
    if not taken:
        raise ConflictError(
            _("Jam %(time)s sudah penuh. Silakan pilih jam lain.")
            % {"time": booking.starts_at.strftime("%H:%M")},
            code="slot_full",
        )
    if release is not None:
        _release(release)


def _release(booking: Booking) -> None:
    """Give the booking's place back (day row first, then the slot)."""
    QueueDay.objects.filter(pk=booking.slot.day_id, online_booked__gt=0).update(
        online_booked=F("online_booked") - 1
    )
    Slot.objects.filter(pk=booking.slot_id, booked__gt=0).update(booked=F("booked") - 1)


def _audit_data(booking: Booking) -> dict:
    return {
        "code": booking.code,
        "offering": booking.offering_id,
        "date": booking.date.isoformat(),
        "starts_at": booking.starts_at.strftime("%H:%M"),
    }


def booking_create(
    *,
    actor,
    offering: Offering,
    day: dt.date,
    starts_at: dt.time,
    at: dt.datetime | None = None,
) -> Booking:
    """Book a slot for the signed-in citizen ``actor``.

    Refused with a clear message: a past date or slot, a date beyond the booking window, a day
    the offering is closed (holiday, closure, no hours), a full slot or day, or a per-citizen
    limit. Nothing the citizen already booked changes on a refusal.
    """
    if actor is None or not actor.is_authenticated:
        raise DomainError(_("Masuk terlebih dahulu untuk membuat booking."), code="sign_in")
    at = at or timezone.now()
    settings = queue_settings()
    with transaction.atomic():
        booking, day_id = _book(
            citizen_id=actor.pk,
            offering=offering,
            day=day,
            starts_at=starts_at,
            at=at,
            settings=settings,
        )
        audit_log(
            actor=actor, action="queue.booking.created", target=booking, data=_audit_data(booking)
        )
        _after_booking_change(EventKind.BOOKING_CREATED, booking)
        _take_place(booking, day_id)
    return booking


def _after_booking_change(kind: str, booking: Booking) -> None:
    """The webhook event: ids, state and time only (the booking code is the citizen's); and the
    citizen's notification, by a region task after commit."""
    from tenants.queue.tasks import queue_booking_notify

    region_task_send(
        queue_booking_notify,
        schema_name=connection.schema_name,
        booking_id=booking.pk,
        kind="created" if kind == EventKind.BOOKING_CREATED else "cancelled",
    )
    event_emit(
        kind=kind,
        region=connection.tenant.region,
        subject_type="booking",
        subject_id=booking.pk,
        data={
            "status": booking.status,
            "service_date": booking.date.isoformat(),
            "slot_start": booking.starts_at.strftime("%H:%M"),
        },
    )


def _refuse_unless_booked(booking: Booking, *, verb: str) -> None:
    if booking.status == Booking.Status.BOOKED:
        return
    messages: dict[str, str] = {
        Booking.Status.CHECKED_IN: _("Booking ini sudah dipakai untuk check-in."),
        Booking.Status.CANCELLED: _("Booking ini sudah dibatalkan."),
        Booking.Status.RESCHEDULED: _(
            "Booking ini sudah dijadwalkan ulang; gunakan booking yang baru."
        ),
        Booking.Status.MISSED: _("Waktu booking ini sudah lewat."),
    }
    raise ConflictError(messages.get(booking.status, _("Booking ini tidak aktif.")), code=verb)


@transaction.atomic
def booking_cancel(*, actor, booking: Booking, at: dt.datetime | None = None) -> Booking:
    """Cancel a booking that has not been used; its place goes back to other citizens."""
    at = at or timezone.now()
    # Only the booking row: locking its slot here too (a join under FOR UPDATE) would take the
    # slot before the day row, against the day-then-slot order every writer follows (deadlock).
    booking = (
        Booking.objects.select_for_update(of=("self",)).select_related("slot").get(pk=booking.pk)
    )
    _refuse_unless_booked(booking, verb="not_cancellable")
    if local_datetime(booking.date, booking.ends_at) <= at:
        raise DomainError(
            _("Booking yang waktunya sudah lewat tidak dapat dibatalkan."), code="too_late"
        )
    _release(booking)
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_at = at
    booking.save(update_fields=["status", "cancelled_at"])
    audit_log(
        actor=actor, action="queue.booking.cancelled", target=booking, data=_audit_data(booking)
    )
    _after_booking_change(EventKind.BOOKING_CANCELLED, booking)
    return booking


def booking_reschedule(
    *,
    actor,
    booking: Booking,
    day: dt.date,
    starts_at: dt.time,
    at: dt.datetime | None = None,
) -> Booking:
    """Move a booking to another slot: a new booking (new code) replaces the old one.

    One transaction: when the new slot cannot be had, the old booking stays exactly as it was.
    """
    at = at or timezone.now()
    settings = queue_settings()
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("slot", "offering", "offering__service")
            .get(pk=booking.pk)
        )
        _refuse_unless_booked(booking, verb="not_reschedulable")
        if local_datetime(booking.date, booking.ends_at) <= at:
            raise DomainError(
                _("Booking yang waktunya sudah lewat tidak dapat dijadwalkan ulang."),
                code="too_late",
            )
        if (day, starts_at) == (booking.date, booking.starts_at):
            raise DomainError(_("Jadwal baru sama dengan jadwal lama."), code="same_slot")
        new, day_id = _book(
            citizen_id=booking.citizen_id,
            offering=booking.offering,
            day=day,
            starts_at=starts_at,
            at=at,
            settings=settings,
            replacing=booking,
        )
        booking.status = Booking.Status.RESCHEDULED
        booking.rescheduled_to = new
        booking.cancelled_at = at
        booking.save(update_fields=["status", "rescheduled_to", "cancelled_at"])
        audit_log(
            actor=actor,
            action="queue.booking.rescheduled",
            target=new,
            data={**_audit_data(new), "from": booking.code},
        )
        _take_place(new, day_id, release=booking)
    return new
