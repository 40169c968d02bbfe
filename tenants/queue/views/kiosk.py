"""The kiosk (anjungan) at the MPP's entrance: check a booking in by its code (typed, or scanned
by a barcode scanner that types into the field) or take a walk-in ticket.

Who may use it: a device registered by the admin (cookie ``mpp_kiosk`` for this host only, set
by a one-time set-up link) or a signed-in staff member of this region. See services/kiosk.py.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from kernel.errors import DomainError
from kernel.tenancy import region_request
from shared.access.pages import PublicPageMixin
from tenants.mpp.models import Offering
from tenants.queue import selectors
from tenants.queue.access import KIOSK
from tenants.queue.codes import qr_svg
from tenants.queue.models import Ticket
from tenants.queue.services.kiosk import (
    COOKIE_NAME,
    kiosk_device_activate,
    kiosk_for_token,
)
from tenants.queue.services.tickets import booking_check_in, ticket_take_walk_in
from tenants.queue.views.common import QueuePage, RegionPage

KIOSK_COOKIE_AGE = 400 * 24 * 3600  # the longest a browser keeps a cookie


class KioskPage(PublicPageMixin, QueuePage):
    """Only a registered kiosk or this region's staff (the ``KIOSK`` device credential); a
    suspended region's kiosks are refused like its staff."""

    device = KIOSK

    @property
    def actor(self):
        user = self.request.user
        return user if user.is_authenticated else None


class KioskView(KioskPage):
    template_name = "queue/kiosk/kiosk.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        offerings = selectors.walk_in_offerings()
        for offering in offerings:
            offering.label = selectors.offering_label(offering)  # type: ignore[attr-defined]  # for display
        context["offerings"] = offerings
        context["kiosk"] = region_request(self.request).kiosk
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        try:
            if action == "check_in":
                ticket = booking_check_in(
                    actor=self.actor, code=request.POST.get("code", ""), kiosk=request.kiosk
                )
            elif action == "walk_in":
                ticket = ticket_take_walk_in(
                    actor=self.actor,
                    offering=self._walk_in_offering(request.POST.get("offering")),
                    kiosk=request.kiosk,
                )
            else:
                raise DomainError(_("Pilih salah satu tombol."))
        except DomainError as exc:
            return self.refuse(exc, show_not_found=True, code=request.POST.get("code", ""))
        return redirect("queue:kiosk_ticket", pk=ticket.pk)

    @staticmethod
    def _walk_in_offering(offering_id) -> Offering:
        try:
            return Offering.objects.select_related("service", "booth").get(pk=int(offering_id))
        except (Offering.DoesNotExist, TypeError, ValueError) as exc:
            raise DomainError(_("Layanan tidak ditemukan.")) from exc


class KioskTicketView(KioskPage):
    """The ticket just taken: number, service, people ahead, estimated wait; printable."""

    template_name = "queue/kiosk/ticket.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = selectors.local_today()
        ticket = (
            Ticket.objects.select_related("offering", "offering__service", "booking")
            .filter(pk=self.kwargs["pk"], date=today)
            .first()
        )
        if ticket is None:
            raise Http404(_("Tiket tidak ditemukan."))
        line = next(
            (x for x in selectors.queue_lines(day=today) if x.prefix == ticket.prefix), None
        )
        ahead = selectors.ticket_position(ticket)
        context.update(
            ticket=ticket,
            # The QR holds the number only, as the booking QR holds the code: a counter's
            # scanner reads it like a typed number.
            qr=qr_svg(ticket.number, label=_("Kode QR nomor antrean %(n)s") % {"n": ticket.number}),
            label=selectors.offering_label(ticket.offering),
            ahead=ahead,
            estimate=(
                round(ahead * line.service_minutes / max(line.counters, 1)) if line else None
            ),
        )
        return context


class KioskSetupView(RegionPage):
    """``/antrean/kiosk/pasang/<token>/``: the admin's one-time link that makes this browser a
    kiosk. GET only asks (link previews must not use the link up); POST does it."""

    template_name = "queue/kiosk/setup.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        device = kiosk_for_token(self.kwargs["token"])
        if device is None or device.activated_at is not None:
            raise Http404(_("Tautan pemasangan kiosk tidak berlaku atau sudah dipakai."))
        context["device"] = device
        return context

    def post(self, request, *args, **kwargs):
        _device, token = kiosk_device_activate(token=self.kwargs["token"])
        response = redirect(reverse("queue:kiosk"))
        # Host-only cookie (no Domain attribute): it never reaches another region's site.
        response.set_cookie(
            COOKIE_NAME,
            token,
            max_age=KIOSK_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
        return response
