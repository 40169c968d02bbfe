"""Arrival (walk-in tickets, check-in of bookings) and the counter's work on tickets."""

import datetime as dt

import pytest

from kernel.errors import ConflictError, DomainError, NotFoundError
from shared.accounts.models import Role
from tenants.mpp.models import StaffAssignment
from tenants.queue.models import Booking, Ticket
from tenants.queue.selectors import hall_board, queue_lines
from tenants.queue.services.bookings import booking_cancel, booking_create, booking_reschedule
from tenants.queue.services.tickets import (
    access_counter,
    booking_check_in,
    ticket_call_next,
    ticket_finish,
    ticket_no_show,
    ticket_recall,
    ticket_start,
    ticket_take_walk_in,
    ticket_transfer,
)
from tests.tenants.queue.factories import MONDAY, at, queue_offering

SUNDAY = at(2026, 11, 22, 19, 0)
T9 = dt.time(9, 0)


@pytest.fixture
def offering(in_a):
    return queue_offering(prefix="A", counters=2)


def test_walk_in_tickets_are_numbered_per_prefix_and_day(in_a):
    a = queue_offering(prefix="A")
    b = queue_offering(prefix="B")
    morning = at(2026, 11, 23, 8, 0)
    numbers = [ticket_take_walk_in(actor=None, offering=a, at=morning).number for _ in range(3)]
    assert numbers == ["A-001", "A-002", "A-003"]
    assert ticket_take_walk_in(actor=None, offering=b, at=morning).number == "B-001"
    tuesday = at(2026, 11, 24, 8, 0)
    assert ticket_take_walk_in(actor=None, offering=a, at=tuesday).number == "A-001"


def test_offerings_sharing_a_prefix_share_one_sequence(in_a):
    a = queue_offering(prefix="A")
    a2 = queue_offering(prefix="A")
    morning = at(2026, 11, 23, 8, 0)
    assert ticket_take_walk_in(actor=None, offering=a, at=morning).number == "A-001"
    assert ticket_take_walk_in(actor=None, offering=a2, at=morning).number == "A-002"


@pytest.mark.parametrize(
    ("now", "code"),
    [
        (at(2026, 11, 23, 6, 30), "not_yet_open"),
        (at(2026, 11, 23, 12, 0), "closed_now"),
        (at(2026, 11, 28, 9, 0), "closed"),  # Saturday
    ],
)
def test_walk_in_outside_hours_is_refused(offering, now, code):
    with pytest.raises(DomainError) as exc:
        ticket_take_walk_in(actor=None, offering=offering, at=now)
    assert exc.value.code == code
    assert not Ticket.objects.filter(offering=offering).exists()


def test_walk_in_only_for_offerings_that_take_walk_ins(in_a):
    booked_only = queue_offering(channels=("queue",))
    with pytest.raises(DomainError) as exc:
        ticket_take_walk_in(actor=None, offering=booked_only, at=at(2026, 11, 23, 9))
    assert exc.value.code == "no_walk_in"


def _book(offering, citizen, starts_at=T9):
    return booking_create(
        actor=citizen, offering=offering, day=MONDAY, starts_at=starts_at, at=SUNDAY
    )


def test_check_in_turns_a_booking_into_a_ticket(offering, citizen):
    booking = _book(offering, citizen)
    typed = f"{booking.code[:4].lower()}-{booking.code[4:].lower()} "
    ticket = booking_check_in(actor=None, code=typed, at=at(2026, 11, 23, 8, 40))
    assert ticket.number == "A-001"
    assert ticket.kind == Ticket.Kind.BOOKED
    assert ticket.appointment_at == at(2026, 11, 23, 9, 0)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CHECKED_IN
    with pytest.raises(ConflictError) as exc:
        booking_check_in(actor=None, code=booking.code, at=at(2026, 11, 23, 8, 41))
    assert exc.value.code == "already_used"
    assert "A-001" in exc.value.message
    assert Ticket.objects.filter(offering=offering).count() == 1


def test_unknown_code_is_refused_clearly(offering):
    with pytest.raises(NotFoundError) as exc:
        booking_check_in(actor=None, code="QQQQ-QQQQ", at=at(2026, 11, 23, 9))
    assert "QQQQ-QQQQ tidak dikenal" in exc.value.message
    with pytest.raises(DomainError) as exc:
        booking_check_in(actor=None, code="  ", at=at(2026, 11, 23, 9))
    assert exc.value.code == "empty_code"


@pytest.mark.parametrize(
    ("now", "code", "words"),
    [
        (at(2026, 11, 22, 9, 0), "wrong_day", "Silakan datang pada tanggal tersebut"),
        (at(2026, 11, 24, 9, 0), "wrong_day", "sudah lewat"),
        (at(2026, 11, 23, 7, 30), "too_early", "Check-in dibuka mulai pukul 08:00"),
        (at(2026, 11, 23, 10, 1), "too_late", "datang langsung"),
    ],
)
def test_check_in_at_the_wrong_time(offering, citizen, now, code, words):
    booking = _book(offering, citizen)
    with pytest.raises(DomainError) as exc:
        booking_check_in(actor=None, code=booking.code, at=now)
    assert exc.value.code == code
    assert words in exc.value.message
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED


def test_cancelled_and_moved_bookings_cannot_check_in(offering, citizen, make_user):
    cancelled = _book(offering, citizen)
    booking_cancel(actor=citizen, booking=cancelled, at=SUNDAY)
    with pytest.raises(ConflictError) as exc:
        booking_check_in(actor=None, code=cancelled.code, at=at(2026, 11, 23, 9))
    assert exc.value.code == "cancelled"
    other = make_user()
    moved = _book(offering, other)
    new = booking_reschedule(
        actor=other, booking=moved, day=MONDAY, starts_at=dt.time(10, 0), at=SUNDAY
    )
    with pytest.raises(ConflictError) as exc:
        booking_check_in(actor=None, code=moved.code, at=at(2026, 11, 23, 9))
    assert exc.value.code == "rescheduled"
    assert booking_check_in(actor=None, code=new.code, at=at(2026, 11, 23, 9, 30)).number


def test_booked_tickets_at_their_time_come_before_walk_ins(offering, make_user):
    counter = offering.test_counters[0]
    early = booking_check_in(
        actor=None, code=_book(offering, make_user(), dt.time(9, 0)).code, at=at(2026, 11, 23, 8)
    )
    later = booking_check_in(
        actor=None, code=_book(offering, make_user(), dt.time(11, 0)).code, at=at(2026, 11, 23, 10)
    )
    walk_a = ticket_take_walk_in(actor=None, offering=offering, at=at(2026, 11, 23, 8, 1))
    walk_b = ticket_take_walk_in(actor=None, offering=offering, at=at(2026, 11, 23, 8, 2))

    # 08:30: no booking is due yet → walk-ins in arrival order, then early bookings.
    order = []
    now = at(2026, 11, 23, 8, 30)
    for _ in range(2):
        order.append(ticket_call_next(actor=None, counter=counter, at=now).pk)
        ticket_finish(actor=None, counter=counter, at=now)
    assert order == [walk_a.pk, walk_b.pk]

    # Two more walk-ins; at 09:05 the 09:00 booking is due and goes first.
    walk_c = ticket_take_walk_in(actor=None, offering=offering, at=at(2026, 11, 23, 8, 40))
    now = at(2026, 11, 23, 9, 5)
    order = []
    for _ in range(3):
        order.append(ticket_call_next(actor=None, counter=counter, at=now).pk)
        ticket_finish(actor=None, counter=counter, at=now)
    assert order == [early.pk, walk_c.pk, later.pk]  # the 11:00 booking is served early
    assert ticket_call_next(actor=None, counter=counter, at=now) is None


def test_a_counter_handles_one_ticket_at_a_time(offering):
    counter = offering.test_counters[0]
    now = at(2026, 11, 23, 9)
    ticket_take_walk_in(actor=None, offering=offering, at=now)
    ticket_take_walk_in(actor=None, offering=offering, at=now)
    first = ticket_call_next(actor=None, counter=counter, at=now)
    with pytest.raises(ConflictError) as exc:
        ticket_call_next(actor=None, counter=counter, at=now)
    assert exc.value.code == "counter_busy"
    assert first.number in exc.value.message
    # The other counter of the same offering gets the other ticket, never the same one.
    second = ticket_call_next(actor=None, counter=offering.test_counters[1], at=now)
    assert second.pk != first.pk


def test_recall_start_finish(offering, operator_a):
    counter = offering.test_counters[0]
    ticket_take_walk_in(actor=None, offering=offering, at=at(2026, 11, 23, 8, 50))
    ticket = ticket_call_next(actor=operator_a, counter=counter, at=at(2026, 11, 23, 9))
    assert (ticket.status, ticket.call_count) == (Ticket.Status.CALLED, 1)
    ticket = ticket_recall(actor=operator_a, counter=counter, at=at(2026, 11, 23, 9, 2))
    assert ticket.call_count == 2
    assert ticket.last_called_at == at(2026, 11, 23, 9, 2)
    assert ticket.called_at == at(2026, 11, 23, 9)
    ticket = ticket_start(actor=operator_a, counter=counter, at=at(2026, 11, 23, 9, 3))
    assert ticket.status == Ticket.Status.SERVING
    with pytest.raises(ConflictError):
        ticket_recall(actor=operator_a, counter=counter, at=at(2026, 11, 23, 9, 4))
    with pytest.raises(ConflictError):
        ticket_no_show(actor=operator_a, counter=counter, at=at(2026, 11, 23, 9, 4))
    with pytest.raises(ConflictError) as exc:  # a stale page: another ticket id
        ticket_finish(actor=operator_a, counter=counter, ticket_id=ticket.pk + 999)
    assert exc.value.code == "stale"
    ticket = ticket_finish(
        actor=operator_a, counter=counter, ticket_id=ticket.pk, at=at(2026, 11, 23, 9, 10)
    )
    assert ticket.status == Ticket.Status.DONE
    with pytest.raises(ConflictError) as exc:
        ticket_finish(actor=operator_a, counter=counter)
    assert exc.value.code == "no_current"


def test_no_show(offering):
    counter = offering.test_counters[0]
    ticket_take_walk_in(actor=None, offering=offering, at=at(2026, 11, 23, 9))
    ticket_call_next(actor=None, counter=counter, at=at(2026, 11, 23, 9))
    ticket = ticket_no_show(actor=None, counter=counter, at=at(2026, 11, 23, 9, 5))
    assert ticket.status == Ticket.Status.NO_SHOW
    assert ticket_call_next(actor=None, counter=counter, at=at(2026, 11, 23, 9, 5)) is None


def test_transfer_goes_to_the_front_of_the_target_counter(in_a):
    intake = queue_offering(prefix="A")
    cashier_offering = queue_offering(prefix="K")
    intake_counter = intake.test_counters[0]
    cashier = cashier_offering.test_counters[0]
    now = at(2026, 11, 23, 9)
    waiting_at_cashier = ticket_take_walk_in(actor=None, offering=cashier_offering, at=now)
    ticket_take_walk_in(actor=None, offering=intake, at=now)
    moved = ticket_call_next(actor=None, counter=intake_counter, at=now)
    with pytest.raises(DomainError):
        ticket_transfer(actor=None, counter=intake_counter, to_counter_id=intake_counter.pk)
    ticket_transfer(actor=None, counter=intake_counter, to_counter_id=cashier.pk)
    moved.refresh_from_db()
    assert (moved.status, moved.counter_id, moved.target_counter_id) == (
        Ticket.Status.WAITING,
        None,
        cashier.pk,
    )
    assert ticket_call_next(actor=None, counter=intake_counter, at=now) is None
    assert ticket_call_next(actor=None, counter=cashier, at=now).pk == moved.pk
    ticket_finish(actor=None, counter=cashier, at=now)
    assert ticket_call_next(actor=None, counter=cashier, at=now).pk == waiting_at_cashier.pk


def test_staff_limited_to_booths_reach_only_their_counters(in_a, operator_a):
    mine = queue_offering(prefix="A")
    theirs = queue_offering(prefix="B")
    StaffAssignment.objects.create(user=operator_a, booth=mine.booth)
    assert access_counter(actor=operator_a, counter_id=mine.test_counters[0].pk)
    with pytest.raises(NotFoundError):
        access_counter(actor=operator_a, counter_id=theirs.test_counters[0].pk)
    with pytest.raises(NotFoundError):
        access_counter(actor=operator_a, counter_id="abc")


def test_hall_board_and_estimates(offering, make_user):
    from tenants.queue.models import QueueSettings

    QueueSettings.objects.create(service_minutes=6)
    now = at(2026, 11, 23, 9)
    for _ in range(5):
        ticket_take_walk_in(actor=None, offering=offering, at=now)
    called = ticket_call_next(actor=None, counter=offering.test_counters[0], at=now)
    [line] = [line for line in queue_lines(day=MONDAY) if line.prefix == "A"]
    assert (line.waiting, line.counters) == (4, 2)
    assert line.estimate_minutes == 12  # 4 waiting × 6 minutes ÷ 2 counters
    board = hall_board(at=now)
    assert board["calls"][0]["number"] == called.number
    assert board["calls"][0]["counter"] == offering.test_counters[0].number
    assert any(q["prefix"] == "A" and q["waiting"] == 4 for q in board["queues"])


def test_region_admin_role_is_not_limited(in_a, make_user, region_a):
    admin = make_user(role=Role.DPMPTSP_ADMIN, region=region_a)
    offering = queue_offering()
    StaffAssignment.objects.create(user=admin, booth=offering.booth)
    other = queue_offering(prefix="B")
    assert access_counter(actor=admin, counter_id=other.test_counters[0].pk)
