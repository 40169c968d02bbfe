"""Limits against brokers (*calo*) count per citizen, not per account: accounts whose profiles
share a verified phone number are one citizen. An unverified number proves nothing and joins
nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from kernel.errors import DomainError
from shared.citizens.models import CitizenProfile
from tenants.queue.services.bookings import booking_create
from tests.tenants.queue.factories import MONDAY, at, queue_offering

SUNDAY_EVENING = at(2026, 11, 22, 19, 0)
T8, T9 = dt.time(8, 0), dt.time(9, 0)
PHONE = "+6281355550000"


def _account(make_user, *, verified: bool):
    user = make_user()
    CitizenProfile.objects.create(
        user=user, phone=PHONE, phone_verified_at=timezone.now() if verified else None
    )
    return user


def test_a_second_account_with_the_same_verified_phone_is_the_same_citizen(in_a, make_user):
    offering = queue_offering()
    first = _account(make_user, verified=True)
    second = _account(make_user, verified=True)
    booking_create(actor=first, offering=offering, day=MONDAY, starts_at=T8, at=SUNDAY_EVENING)
    with pytest.raises(DomainError) as exc:
        booking_create(actor=second, offering=offering, day=MONDAY, starts_at=T9, at=SUNDAY_EVENING)
    assert exc.value.code == "limit_service_day"


def test_an_unverified_number_does_not_join_accounts(in_a, make_user):
    offering = queue_offering()
    first = _account(make_user, verified=True)
    stranger = _account(make_user, verified=False)  # typed someone else's number
    booking_create(actor=first, offering=offering, day=MONDAY, starts_at=T8, at=SUNDAY_EVENING)
    booking = booking_create(
        actor=stranger, offering=offering, day=MONDAY, starts_at=T9, at=SUNDAY_EVENING
    )
    assert booking.citizen_id == stranger.pk
