"""Citizens: see which services take bookings, book a slot, see the booking with its QR code,
cancel or reschedule it. Works without JavaScript (plain links and forms)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from kernel.errors import DomainError
from tenants.mpp.models import Offering
from tenants.queue import selectors
from tenants.queue.codes import qr_svg
from tenants.queue.forms import SlotChoiceForm
from tenants.queue.models import Booking
from tenants.queue.services.bookings import (
    access_booking,
    booking_cancel,
    booking_create,
    booking_reschedule,
)
from tenants.queue.services.capacity import day_view
from tenants.queue.views.common import CitizenPage, RegionPage


class HomeView(RegionPage):
    """The queue's front page: services that take bookings, the citizen's next bookings."""

    template_name = "queue/home.html"
    section = "home"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        offerings = selectors.bookable_offerings()
        for offering in offerings:
            offering.label = selectors.offering_label(offering)  # type: ignore[attr-defined]  # for display
        context["offerings"] = offerings
        if self.request.user.is_authenticated:
            context["upcoming"] = selectors.citizen_bookings(self.request.user)["upcoming"]
        return context


def _bookable_offering(offering_id) -> Offering:
    for offering in selectors.bookable_offerings():
        if offering.pk == offering_id:
            offering.label = selectors.offering_label(offering)  # type: ignore[attr-defined]  # for display
            return offering
    raise Http404(_("Layanan ini tidak menerima booking antrean."))


class SlotPickerMixin:
    """The date strip and the slots of the chosen date (``?tanggal=YYYY-MM-DD``)."""

    def picker_context(self, offering, *, chosen: str | None = None) -> dict:
        first, last = selectors.booking_window()
        calendar = selectors.offering_calendar(offering, first, last)
        try:
            day = dt.date.fromisoformat(chosen) if chosen else None
        except ValueError:
            day = None
        if day is None or not first <= day <= last:
            day = next((d.date for d in calendar if d.is_open), first)
        return {
            "offering": offering,
            "calendar": calendar,
            "day": day,
            "view": day_view(offering, day),
        }


class BookView(SlotPickerMixin, CitizenPage):
    template_name = "queue/book.html"
    section = "home"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        offering = _bookable_offering(self.kwargs["offering_id"])
        chosen = kwargs.get("chosen") or self.request.GET.get("tanggal")
        context.update(self.picker_context(offering, chosen=chosen))
        context["action_url"] = reverse("queue:book", args=[offering.pk])
        return context

    def post(self, request, *args, **kwargs):
        offering = _bookable_offering(self.kwargs["offering_id"])
        form = SlotChoiceForm(request.POST)
        chosen = request.POST.get("tanggal")
        if not form.is_valid():
            error = next(iter(form.errors.values()))[0]
            return self.refuse(DomainError(str(error)), chosen=chosen)
        try:
            booking = booking_create(
                actor=request.user,
                offering=offering,
                day=form.cleaned_data["tanggal"],
                starts_at=form.cleaned_data["jam"],
            )
        except DomainError as exc:
            return self.refuse(exc, chosen=chosen)
        messages.success(request, _("Booking berhasil. Simpan kode booking Anda."))
        return redirect("queue:booking", code=booking.code)


class MyBookingsView(CitizenPage):
    template_name = "queue/my_bookings.html"
    section = "mine"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(selectors.citizen_bookings(self.request.user))
        return context


class BookingDetailView(CitizenPage):
    template_name = "queue/booking_detail.html"
    section = "mine"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        booking = access_booking_or_404(self.request.user, self.kwargs["code"])
        booking.label = selectors.offering_label(booking.offering)  # type: ignore[attr-defined]  # for display
        context["booking"] = booking
        context["rules"] = selectors.queue_settings()
        context["ticket"] = getattr(booking, "ticket", None)
        if booking.status == Booking.Status.BOOKED:
            context["qr"] = qr_svg(
                booking.display_code,
                label=_("Kode QR booking %(code)s") % {"code": booking.display_code},
            )
        return context


def access_booking_or_404(user, code: str) -> Booking:
    try:
        return access_booking(actor=user, code=code)
    except DomainError as exc:
        raise Http404(exc.message) from exc


class BookingCancelView(CitizenPage):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        booking = access_booking_or_404(request.user, self.kwargs["code"])
        try:
            booking_cancel(actor=request.user, booking=booking)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Booking %(code)s dibatalkan.") % {"code": booking})
        return redirect("queue:booking", code=booking.code)


class BookingRescheduleView(SlotPickerMixin, CitizenPage):
    template_name = "queue/book.html"
    section = "mine"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        booking = access_booking_or_404(self.request.user, self.kwargs["code"])
        if booking.status != Booking.Status.BOOKED:
            raise Http404(_("Booking ini tidak dapat dijadwalkan ulang."))
        booking.offering.label = selectors.offering_label(booking.offering)  # type: ignore[attr-defined]  # for display
        chosen = kwargs.get("chosen") or self.request.GET.get("tanggal")
        context.update(self.picker_context(booking.offering, chosen=chosen or str(booking.date)))
        context["replacing"] = booking
        context["action_url"] = reverse("queue:booking_reschedule", args=[booking.code])
        return context

    def post(self, request, *args, **kwargs):
        booking = access_booking_or_404(request.user, self.kwargs["code"])
        form = SlotChoiceForm(request.POST)
        chosen = request.POST.get("tanggal")
        if not form.is_valid():
            error = next(iter(form.errors.values()))[0]
            return self.refuse(DomainError(str(error)), chosen=chosen)
        try:
            new = booking_reschedule(
                actor=request.user,
                booking=booking,
                day=form.cleaned_data["tanggal"],
                starts_at=form.cleaned_data["jam"],
            )
        except DomainError as exc:
            kept = _("%(error)s Booking lama Anda tetap berlaku.") % {"error": exc.message}
            return self.refuse(type(exc)(kept, code=exc.code), chosen=chosen)
        messages.success(
            request,
            _("Jadwal diubah. Kode booking baru Anda %(code)s; kode lama tidak berlaku lagi.")
            % {"code": new.display_code},
        )
        return redirect("queue:booking", code=new.code)
