"""Telling a citizen about their booking: region tasks after commit (confirmation,
cancellation) or from beat (the reminder the day before), never in the request. The text is the
template in the citizen's language, sent through their chosen channel."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from kernel.tenancy import connection
from shared.accounts.models import User
from shared.citizens.models import CitizenProfile
from shared.citizens.notifications import citizen_notify, staff_notify
from shared.messaging.models import SentNotice
from shared.messaging.services import notice_claim
from shared.messaging.templates import language_of, message_render
from tenants.queue.models import Booking
from tenants.queue.selectors import local_today, offering_label

TEMPLATE_OF_KIND = {
    "created": "booking_created",
    "cancelled": "booking_cancelled",
    "reminder": "booking_reminder",
}


def _send(booking: Booking, *, kind: str) -> int:
    user = User.objects.filter(pk=booking.citizen_id).first()
    if user is None:
        return 0
    region = connection.tenant.region
    values = {
        "code": booking.code,
        "service": offering_label(booking.offering),
        "date": booking.date.strftime("%d-%m-%Y"),
        "time": booking.starts_at.strftime("%H.%M"),
        "mpp": region.name,
    }
    subject, body = message_render(
        TEMPLATE_OF_KIND[kind], language=language_of(user), values=values
    )
    profile = CitizenProfile.objects.filter(user=user).select_related("user").first()
    if profile is not None:
        sent = citizen_notify(
            profile=profile, subject=subject, body=body, region=region, reference=booking.code
        )
    else:
        sent = staff_notify(
            user=user, subject=subject, body=body, region=region, reference=booking.code
        )
    return len(sent)


def booking_notify(*, booking_id: int, kind: str) -> int:
    """Send the confirmation (``kind="created"``) or cancellation of a booking through the
    citizen's chosen channel. Runs in the booking's region schema; returns messages recorded."""
    booking = Booking.objects.select_related("offering", "offering__service").get(pk=booking_id)
    return _send(booking, kind=kind)


def booking_reminders_send(*, today: dt.date | None = None) -> int:
    """Remind every citizen booked for tomorrow (region's calendar), once per booking: a second
    run, a retried task or a racing worker finds the claim taken. Runs in a region schema;
    returns the number of bookings reminded now."""
    tomorrow = (today or local_today()) + dt.timedelta(days=1)
    region = connection.tenant.region
    reminded = 0
    due = Booking.objects.filter(date=tomorrow, status=Booking.Status.BOOKED).select_related(
        "offering", "offering__service"
    )
    for booking in due.order_by("starts_at", "id"):
        # One transaction per booking: the claim and the recorded messages stand or fall together.
        with transaction.atomic():
            if not notice_claim(
                region=region, kind=SentNotice.Kind.BOOKING_REMINDER, subject_id=booking.pk
            ):
                continue
            _send(booking, kind="reminder")
            reminded += 1
    return reminded
