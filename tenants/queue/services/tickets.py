"""Tickets: walk-ins and check-ins at the kiosk, and what a counter does with them.

Run inside a region's schema; every write audits. Numbers come from ``TicketSequence`` with one
atomic upsert per ticket, so concurrent kiosks never hand out the same number. A counter's calls
are serialised by a lock on the counter row, and ``call next`` skips tickets another counter is
locking at that instant (``FOR UPDATE SKIP LOCKED``), so two counters never call the same ticket.
"""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.audit import audit_log
from kernel.errors import ConflictError, DomainError, NotFoundError
from kernel.tenancy import connection
from shared.catalogue.models import Channel
from tenants.mpp.access import booth_scope
from tenants.mpp.models import Counter, Offering
from tenants.queue.codes import display_code, normalize_code
from tenants.queue.models import Booking, QueueDay, Ticket, TicketSequence
from tenants.queue.selectors import (
    BOARD_CACHE_KEY,
    call_candidates,
    local_datetime,
    local_today,
    offering_calendar,
    offering_label,
    offering_takes,
    queue_settings,
)
from tenants.queue.services.bookings import long_date
from tenants.queue.services.capacity import day_plan, queue_day_ensure
from tenants.survey.models import SourceKind
from tenants.survey.services import survey_invitation_create

# --- access -------------------------------------------------------------------------------------


def access_counter(*, actor, counter_id) -> Counter:
    """A counter of this region that ``actor`` may operate: within the actor's booth scope
    (``tenants.mpp.access``). Anything else does not exist (404)."""
    try:
        counter = Counter.objects.select_related("booth").get(pk=int(counter_id))
    except (Counter.DoesNotExist, TypeError, ValueError) as exc:
        raise NotFoundError(_("Loket tidak ditemukan.")) from exc
    if not booth_scope(actor).allows(counter.booth_id):
        raise NotFoundError(_("Loket tidak ditemukan."))
    return counter


def counters_for(actor):
    """The active counters ``actor`` may operate."""
    counters = Counter.objects.filter(is_active=True).select_related(
        "booth", "booth__agency", "booth__local_agency"
    )
    return booth_scope(actor).filter(counters).order_by("number", "id")


# --- numbers ------------------------------------------------------------------------------------


def ticket_prefix_for(offering: Offering) -> str:
    """The prefix of the first active counter (by number) that serves ``offering``."""
    prefix = (
        offering.counters.filter(is_active=True)
        .order_by("number", "id")
        .values_list("ticket_prefix", flat=True)
        .first()
    )
    if prefix is None:
        raise DomainError(
            _("Belum ada loket yang melayani %(name)s.") % {"name": offering_label(offering)},
            code="no_counter",
        )
    return prefix


def next_ticket_number(prefix: str, day: dt.date) -> int:
    """The next number of ``prefix`` on ``day``: one atomic upsert, race-free."""
    table = TicketSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (prefix, date, last) VALUES (%s, %s, 1)"  # noqa: S608
            f" ON CONFLICT (prefix, date) DO UPDATE SET last = {table}.last + 1"
            " RETURNING last",
            [prefix, day],
        )
        return cursor.fetchone()[0]


def _issue(
    *,
    offering: Offering,
    kind: str,
    day: dt.date,
    at: dt.datetime,
    booking: Booking | None = None,
) -> Ticket:
    prefix = ticket_prefix_for(offering)
    return Ticket.objects.create(
        date=day,
        prefix=prefix,
        seq=next_ticket_number(prefix, day),
        offering=offering,
        kind=kind,
        booking=booking,
        appointment_at=local_datetime(booking.date, booking.starts_at) if booking else None,
        issued_at=at,
    )


# --- arrival: walk-ins and check-ins -------------------------------------------------------------


def ticket_take_walk_in(
    *, actor, offering: Offering, at: dt.datetime | None = None, kiosk=None
) -> Ticket:
    """A walk-in ticket for today. Walk-ins have their own daily quota: they never take a place
    that was offered for online booking."""
    at = at or timezone.now()
    today = local_today(at)
    name = offering_label(offering)
    if not offering.is_active or not offering_takes(offering, Channel.WALK_IN):
        raise DomainError(
            _("%(name)s tidak melayani pengunjung tanpa booking.") % {"name": name},
            code="no_walk_in",
        )
    plan = day_plan(offering, today)
    if plan.reason:
        raise DomainError(
            _("%(name)s tidak melayani hari ini. %(reason)s")
            % {"name": name, "reason": plan.reason},
            code="closed",
        )
    intervals = offering_calendar(offering, today, today)[0].intervals
    opens, closes = intervals[0][0], intervals[-1][1]
    early = dt.timedelta(minutes=queue_settings().checkin_early_minutes)
    if at < local_datetime(today, opens) - early:
        raise DomainError(
            _("Antrean %(name)s dibuka pukul %(time)s.")
            % {"name": name, "time": (local_datetime(today, opens) - early).strftime("%H:%M")},
            code="not_yet_open",
        )
    if at >= local_datetime(today, closes):
        raise DomainError(
            _("%(name)s sudah tutup hari ini (pukul %(time)s).")
            % {"name": name, "time": closes.strftime("%H:%M")},
            code="closed_now",
        )
    with transaction.atomic():
        queue_day = queue_day_ensure(offering=offering, day=today, plan=plan)
        taken = (
            QueueDay.objects.filter(pk=queue_day.pk)
            .filter(Q(walk_in_quota__isnull=True) | Q(walk_in_issued__lt=F("walk_in_quota")))
            .update(walk_in_issued=F("walk_in_issued") + 1)
        )
        if not taken:
            raise ConflictError(
                _(
                    "Kuota antrean datang langsung untuk %(name)s hari ini sudah habis. "
                    "Silakan booking daring untuk hari lain."
                )
                % {"name": name},
                code="walk_in_full",
            )
        ticket = _issue(offering=offering, kind=Ticket.Kind.WALK_IN, day=today, at=at)
        board_changed()
        audit_log(
            actor=actor,
            action="queue.ticket.issued",
            target=ticket,
            data={
                "number": ticket.number,
                "kind": ticket.kind,
                "kiosk": getattr(kiosk, "pk", None),
            },
        )
    return ticket


def booking_check_in(*, actor, code: str, at: dt.datetime | None = None, kiosk=None) -> Ticket:
    """Turn a booking into today's ticket. The code is read at the kiosk (typed or scanned).

    Refused with a clear message: an unknown code, one already used, cancelled or moved, a
    booking for another day, too early, or too late (then the citizen takes a walk-in ticket).
    """
    at = at or timezone.now()
    normalized = normalize_code(code)
    if not normalized:
        raise DomainError(_("Masukkan kode booking Anda."), code="empty_code")
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("offering", "offering__service")
            .filter(code=normalized)
            .first()
        )
        if booking is None:
            raise NotFoundError(
                _("Kode booking %(code)s tidak dikenal. Periksa kembali kode Anda.")
                % {"code": display_code(normalized)},
                code="unknown_code",
            )
        _check_arrival(booking, at=at)
        today = local_today(at)
        ticket = _issue(
            offering=booking.offering, kind=Ticket.Kind.BOOKED, day=today, at=at, booking=booking
        )
        booking.status = Booking.Status.CHECKED_IN
        booking.checked_in_at = at
        booking.save(update_fields=["status", "checked_in_at"])
        board_changed()
        audit_log(
            actor=actor,
            action="queue.booking.checked_in",
            target=ticket,
            data={
                "number": ticket.number,
                "code": booking.code,
                "kiosk": getattr(kiosk, "pk", None),
            },
        )
    return ticket


def _check_arrival(booking: Booking, *, at: dt.datetime) -> None:
    if booking.status == Booking.Status.CHECKED_IN:
        used = getattr(booking, "ticket", None)
        raise ConflictError(
            _("Kode booking ini sudah dipakai untuk check-in (nomor antrean %(number)s).")
            % {"number": used.number if used else "-"},
            code="already_used",
        )
    if booking.status == Booking.Status.CANCELLED:
        raise ConflictError(_("Booking ini sudah dibatalkan."), code="cancelled")
    if booking.status == Booking.Status.RESCHEDULED:
        raise ConflictError(
            _("Booking ini sudah dijadwalkan ulang. Gunakan kode booking yang baru."),
            code="rescheduled",
        )
    if booking.status == Booking.Status.MISSED:
        raise ConflictError(_("Waktu booking ini sudah lewat."), code="expired")
    today = local_today(at)
    if booking.date != today:
        raise DomainError(
            (
                _("Booking ini untuk %(date)s, sudah lewat.")
                if booking.date < today
                else _("Booking ini untuk %(date)s. Silakan datang pada tanggal tersebut.")
            )
            % {"date": long_date(booking.date)},
            code="wrong_day",
        )
    settings = queue_settings()
    start = local_datetime(booking.date, booking.starts_at)
    end = local_datetime(booking.date, booking.ends_at)
    opens = start - dt.timedelta(minutes=settings.checkin_early_minutes)
    if at < opens:
        raise DomainError(
            _("Booking Anda pukul %(start)s. Check-in dibuka mulai pukul %(opens)s.")
            % {"start": start.strftime("%H:%M"), "opens": opens.strftime("%H:%M")},
            code="too_early",
        )
    if at > end + dt.timedelta(minutes=settings.checkin_late_minutes):
        raise DomainError(
            _(
                "Waktu booking Anda (%(start)s–%(end)s) sudah lewat. Silakan ambil nomor "
                "antrean datang langsung."
            )
            % {"start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")},
            code="too_late",
        )


# --- at the counter ------------------------------------------------------------------------------


def board_changed() -> None:
    """Drop the hall board's cached copy now and again once the change is committed (a reader
    between the two could otherwise cache the state from before the commit)."""
    cache.delete(BOARD_CACHE_KEY)
    schema = connection.schema_name

    def _after_commit() -> None:
        from django_tenants.utils import schema_context

        with schema_context(schema):
            cache.delete(BOARD_CACHE_KEY)

    transaction.on_commit(_after_commit)


def _audit(actor, action: str, ticket: Ticket, counter: Counter, **data) -> None:
    board_changed()
    audit_log(
        actor=actor,
        action=f"queue.ticket.{action}",
        target=ticket,
        data={"number": ticket.number, "counter": counter.pk, **data},
    )


@transaction.atomic
def ticket_call_next(*, actor, counter: Counter, at: dt.datetime | None = None) -> Ticket | None:
    """Call the next ticket to ``counter`` (see ``selectors.call_candidates`` for the order).
    None when nobody is waiting."""
    at = at or timezone.now()
    counter = Counter.objects.select_for_update().get(pk=counter.pk)
    if not counter.is_active:
        raise DomainError(_("Loket ini tidak aktif."), code="counter_inactive")
    current = Ticket.objects.active_at_counter().filter(counter=counter).first()
    if current is not None:
        raise ConflictError(
            _(
                "Loket ini masih menangani nomor %(number)s. Selesaikan atau tandai tidak hadir "
                "terlebih dahulu."
            )
            % {"number": current.number},
            code="counter_busy",
        )
    ticket = (
        call_candidates(counter, day=local_today(at), at=at)
        .select_for_update(skip_locked=True, of=("self",))
        .first()
    )
    if ticket is None:
        return None
    ticket.status = Ticket.Status.CALLED
    ticket.counter = counter
    ticket.target_counter = None
    ticket.called_at = ticket.called_at or at
    ticket.last_called_at = at
    ticket.call_count += 1
    ticket.handled_by = actor if getattr(actor, "is_authenticated", False) else None
    ticket.save()
    _audit(actor, "called", ticket, counter)
    return ticket


def _current(counter: Counter, *, ticket_id=None) -> Ticket:
    ticket = (
        Ticket.objects.select_for_update()
        .filter(counter=counter, status__in=Ticket.AT_COUNTER)
        .first()
    )
    if ticket is None:
        raise ConflictError(
            _("Tidak ada nomor yang sedang ditangani loket ini."), code="no_current"
        )
    if ticket_id not in (None, "") and str(ticket.pk) != str(ticket_id):
        raise ConflictError(
            _("Nomor itu sudah tidak ditangani loket ini. Muat ulang halaman."), code="stale"
        )
    return ticket


def _called(counter: Counter, ticket_id, refusal: str) -> Ticket:
    """The counter's current ticket, which must be called and not yet in service."""
    ticket = _current(counter, ticket_id=ticket_id)
    if ticket.status != Ticket.Status.CALLED:
        raise ConflictError(refusal % {"number": ticket.number}, code="already_serving")
    return ticket


@transaction.atomic
def ticket_recall(
    *, actor, counter: Counter, ticket_id=None, at: dt.datetime | None = None
) -> Ticket:
    """Call the current ticket again (the hall display shows it on top once more)."""
    at = at or timezone.now()
    ticket = _called(counter, ticket_id, _("Nomor %(number)s sudah sedang dilayani."))
    ticket.last_called_at = at
    ticket.call_count += 1
    ticket.save(update_fields=["last_called_at", "call_count"])
    _audit(actor, "recalled", ticket, counter, call_count=ticket.call_count)
    return ticket


@transaction.atomic
def ticket_start(
    *, actor, counter: Counter, ticket_id=None, at: dt.datetime | None = None
) -> Ticket:
    """The citizen has come to the counter: service starts."""
    at = at or timezone.now()
    ticket = _called(counter, ticket_id, _("Nomor %(number)s sudah sedang dilayani."))
    ticket.status = Ticket.Status.SERVING
    ticket.serving_started_at = at
    ticket.handled_by = actor if getattr(actor, "is_authenticated", False) else None
    ticket.save(update_fields=["status", "serving_started_at", "handled_by"])
    _audit(actor, "started", ticket, counter)
    return ticket


@transaction.atomic
def ticket_finish(
    *, actor, counter: Counter, ticket_id=None, at: dt.datetime | None = None
) -> Ticket:
    at = at or timezone.now()
    ticket = _current(counter, ticket_id=ticket_id)
    ticket.status = Ticket.Status.DONE
    ticket.serving_started_at = ticket.serving_started_at or ticket.last_called_at
    ticket.finished_at = at
    ticket.save(update_fields=["status", "serving_started_at", "finished_at"])
    _audit(actor, "finished", ticket, counter)
    # A finished transaction: its satisfaction-survey invitation (the QR already printed on
    # the ticket starts working now).
    survey_invitation_create(
        actor=actor,
        source_kind=SourceKind.QUEUE_TICKET,
        source_id=ticket.pk,
        reference=ticket.number,
        offering=ticket.offering,
        booth=counter.booth,
        finished_at=at,
    )
    return ticket


@transaction.atomic
def ticket_no_show(
    *, actor, counter: Counter, ticket_id=None, at: dt.datetime | None = None
) -> Ticket:
    """The called citizen did not come to the counter."""
    at = at or timezone.now()
    ticket = _called(counter, ticket_id, _("Nomor %(number)s sedang dilayani; pilih Selesai."))
    ticket.status = Ticket.Status.NO_SHOW
    ticket.finished_at = at
    ticket.save(update_fields=["status", "finished_at"])
    _audit(actor, "no_show", ticket, counter, call_count=ticket.call_count)
    return ticket


@transaction.atomic
def ticket_transfer(
    *, actor, counter: Counter, to_counter_id, ticket_id=None, at: dt.datetime | None = None
) -> Ticket:
    """Send the current ticket to another counter: it waits there ahead of that counter's
    other tickets."""
    ticket = _current(counter, ticket_id=ticket_id)
    try:
        target = Counter.objects.get(pk=int(to_counter_id), is_active=True)
    except (Counter.DoesNotExist, TypeError, ValueError) as exc:
        raise DomainError(_("Pilih loket tujuan yang aktif."), code="bad_target") from exc
    if target.pk == counter.pk:
        raise DomainError(_("Pilih loket lain sebagai tujuan."), code="same_counter")
    ticket.status = Ticket.Status.WAITING
    ticket.counter = None
    ticket.target_counter = target
    ticket.serving_started_at = None
    ticket.transfer_count += 1
    ticket.save(
        update_fields=[
            "status",
            "counter",
            "target_counter",
            "serving_started_at",
            "transfer_count",
        ]
    )
    _audit(actor, "transferred", ticket, counter, to=target.pk)
    return ticket
