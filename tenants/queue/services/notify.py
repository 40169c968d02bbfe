"""Telling a citizen about their booking: a region task after commit, never in the request."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kernel.tenancy import connection
from shared.accounts.models import User
from shared.citizens.models import CitizenProfile
from shared.citizens.notifications import citizen_notify, staff_notify
from tenants.queue.models import Booking
from tenants.queue.selectors import offering_label


def booking_notify(*, booking_id: int, kind: str) -> int:
    """Send the confirmation (``kind="created"``) or cancellation of a booking through the
    citizen's chosen channel. Runs in the booking's region schema; returns messages recorded."""
    booking = Booking.objects.select_related("offering", "offering__service").get(pk=booking_id)
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
    if kind == "created":
        subject = _("Booking antrean %(code)s") % values
        body = (
            _(
                "%(service)s, %(date)s pukul %(time)s di MPP %(mpp)s. Tunjukkan kode %(code)s di "
                "kios saat tiba."
            )
            % values
        )
    else:
        subject = _("Booking %(code)s dibatalkan") % values
        body = _("Booking %(service)s pada %(date)s pukul %(time)s telah dibatalkan.") % values
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
