"""``/api/v1/queue/`` on a region's host.

- citizens (any signed-in account): bookable offerings, slots of a day, their own bookings
  (create, cancel, reschedule); someone else's booking is 404;
- the kiosk (a registered kiosk's token in ``X-Kiosk-Token``, or this region's staff; refused
  while the region is suspended): check-in and walk-in tickets;
- counter staff of this region (the regional base classes: others and anonymous get 404):
  counters, the desk's actions, today's tickets, daily figures;
- everyone: the hall board (read-only, this region only).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from kernel.errors import DomainError
from shared.access.api import (
    CitizenAPIView,
    PublicAPIView,
    RegionalAPIView,
    RegionalGenericAPIView,
)
from tenants.mpp.models import Offering
from tenants.queue import selectors
from tenants.queue.access import KIOSK
from tenants.queue.api import serializers as s
from tenants.queue.models import Booking, DailyFigure, Ticket
from tenants.queue.services import tickets as ticket_services
from tenants.queue.services.bookings import (
    access_booking,
    booking_cancel,
    booking_create,
    booking_reschedule,
)
from tenants.queue.services.capacity import day_view


def _bookable(offering_id) -> Offering:
    for offering in selectors.bookable_offerings():
        if offering.pk == offering_id:
            return offering
    raise NotFound(_("Layanan ini tidak menerima booking antrean."))


@extend_schema(tags=["queue"], responses=s.QueueOfferingSerializer(many=True))
class BookableOfferingsView(CitizenAPIView):
    def get(self, request):
        return Response(s.QueueOfferingSerializer(selectors.bookable_offerings(), many=True).data)


@extend_schema(
    tags=["queue"],
    parameters=[OpenApiParameter("date", str, description="YYYY-MM-DD")],
    responses=s.QueueDaySerializer,
)
class OfferingSlotsView(CitizenAPIView):
    def get(self, request, pk: int):
        offering = _bookable(pk)
        first, last = selectors.booking_window()
        try:
            day = dt.date.fromisoformat(request.query_params.get("date") or first.isoformat())
        except ValueError as exc:
            raise DomainError(_("Tanggal tidak valid (format YYYY-MM-DD).")) from exc
        if not first <= day <= last:
            raise DomainError(
                _("Pilih tanggal dari %(first)s sampai %(last)s.")
                % {"first": first.isoformat(), "last": last.isoformat()},
                code="out_of_window",
            )
        view = day_view(offering, day)
        return Response(
            s.QueueDaySerializer(
                {
                    "date": view.date,
                    "is_open": view.is_open,
                    "reason": view.reason,
                    "online_left": view.online_left,
                    "slots": view.slots,
                }
            ).data
        )


class BookingListView(CitizenAPIView):
    @extend_schema(tags=["queue"], responses=s.QueueBookingSerializer(many=True))
    def get(self, request):
        mine = selectors.citizen_bookings(request.user)
        return Response(
            s.QueueBookingSerializer([*mine["upcoming"], *mine["past"]], many=True).data
        )

    @extend_schema(
        tags=["queue"],
        request=s.QueueBookingCreateSerializer,
        responses={201: s.QueueBookingSerializer},
    )
    def post(self, request):
        data = s.QueueBookingCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        booking = booking_create(
            actor=request.user,
            offering=_bookable(data.validated_data["offering"]),
            day=data.validated_data["date"],
            starts_at=data.validated_data["time"],
        )
        return Response(s.QueueBookingSerializer(booking).data, status=status.HTTP_201_CREATED)


def _my_booking(request, code: str) -> Booking:
    return access_booking(actor=request.user, code=code)


@extend_schema(tags=["queue"], responses=s.QueueBookingSerializer)
class BookingDetailView(CitizenAPIView):
    def get(self, request, code: str):
        return Response(s.QueueBookingSerializer(_my_booking(request, code)).data)


@extend_schema(tags=["queue"], request=None, responses=s.QueueBookingSerializer)
class BookingCancelView(CitizenAPIView):
    def post(self, request, code: str):
        booking = booking_cancel(actor=request.user, booking=_my_booking(request, code))
        return Response(s.QueueBookingSerializer(booking).data)


@extend_schema(
    tags=["queue"], request=s.QueueSlotChoiceSerializer, responses=s.QueueBookingSerializer
)
class BookingRescheduleView(CitizenAPIView):
    def post(self, request, code: str):
        booking = _my_booking(request, code)
        data = s.QueueSlotChoiceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        new = booking_reschedule(
            actor=request.user,
            booking=booking,
            day=data.validated_data["date"],
            starts_at=data.validated_data["time"],
        )
        return Response(s.QueueBookingSerializer(new).data)


# --- kiosk ----------------------------------------------------------------------------------------


class KioskAPIView(PublicAPIView):
    """A registered kiosk of this region (``X-Kiosk-Token``) or this region's staff."""

    device = KIOSK

    def actor(self):
        return self.request.user if self.request.user.is_authenticated else None

    def ticket_response(self, ticket: Ticket):
        return Response(
            s.QueueKioskTicketSerializer(
                {
                    "number": ticket.number,
                    "kind": ticket.kind,
                    "offering": selectors.offering_label(ticket.offering),
                    "ahead": selectors.ticket_position(ticket),
                }
            ).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema(
    tags=["queue-kiosk"], request=s.QueueCheckInSerializer, responses=s.QueueKioskTicketSerializer
)
class KioskCheckInView(KioskAPIView):
    def post(self, request):
        data = s.QueueCheckInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ticket = ticket_services.booking_check_in(
            actor=self.actor(), code=data.validated_data["code"], kiosk=request.kiosk
        )
        return self.ticket_response(ticket)


@extend_schema(
    tags=["queue-kiosk"], request=s.QueueWalkInSerializer, responses=s.QueueKioskTicketSerializer
)
class KioskWalkInView(KioskAPIView):
    def post(self, request):
        data = s.QueueWalkInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        offering = (
            Offering.objects.select_related("service", "booth")
            .filter(pk=data.validated_data["offering"])
            .first()
        )
        if offering is None:
            raise NotFound(_("Layanan tidak ditemukan."))
        ticket = ticket_services.ticket_take_walk_in(
            actor=self.actor(), offering=offering, kiosk=request.kiosk
        )
        return self.ticket_response(ticket)


# --- counters (staff) -----------------------------------------------------------------------------


@extend_schema(tags=["queue-staff"], responses=s.QueueCounterSerializer(many=True))
class CounterListView(RegionalAPIView):
    def get(self, request):
        counters = ticket_services.counters_for(request.user)
        return Response(s.QueueCounterSerializer(counters, many=True).data)


@extend_schema(tags=["queue-staff"], responses=s.QueueDeskSerializer)
class CounterDetailView(RegionalAPIView):
    def get(self, request, pk: int):
        counter = ticket_services.access_counter(actor=request.user, counter_id=pk)
        state = selectors.desk_state(counter)
        return Response(
            {
                "counter": s.QueueCounterSerializer(counter).data,
                "current": s.QueueTicketSerializer(state["current"]).data
                if state["current"]
                else None,
                "waiting_total": state["waiting_total"],
                "upcoming": s.QueueTicketSerializer(state["upcoming"], many=True).data,
            }
        )


COUNTER_ACTIONS: dict[str, Callable[..., Ticket | None]] = {
    "call-next": ticket_services.ticket_call_next,
    "recall": ticket_services.ticket_recall,
    "start": ticket_services.ticket_start,
    "finish": ticket_services.ticket_finish,
    "no-show": ticket_services.ticket_no_show,
    "transfer": ticket_services.ticket_transfer,
}


@extend_schema(
    tags=["queue-staff"], request=s.QueueCounterActionSerializer, responses=s.QueueTicketSerializer
)
class CounterActionView(RegionalAPIView):
    """``call-next`` answers ``{"ticket": null}`` when nobody is waiting."""

    def post(self, request, pk: int, action: str):
        if action not in COUNTER_ACTIONS:
            raise NotFound(_("Tidak ditemukan."))
        counter = ticket_services.access_counter(actor=request.user, counter_id=pk)
        data = s.QueueCounterActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        params = {"actor": request.user, "counter": counter}
        if action != "call-next":
            params["ticket_id"] = data.validated_data.get("ticket")
        if action == "transfer":
            if "to_counter" not in data.validated_data:
                raise DomainError(_("Pilih loket tujuan."), code="bad_target")
            params["to_counter_id"] = data.validated_data["to_counter"]
        ticket = COUNTER_ACTIONS[action](**params)
        if ticket is None:
            return Response({"ticket": None})
        return Response(s.QueueTicketSerializer(ticket).data)


@extend_schema(
    tags=["queue-staff"],
    parameters=[
        OpenApiParameter("date", str, description="YYYY-MM-DD (default today)"),
        OpenApiParameter("status", str),
    ],
)
class TicketListView(RegionalGenericAPIView):
    """Tickets of a day (default today), in the order they were issued."""

    serializer_class = s.QueueTicketSerializer

    def get_queryset(self):
        try:
            day = dt.date.fromisoformat(
                self.request.query_params.get("date") or selectors.local_today().isoformat()
            )
        except ValueError as exc:
            raise DomainError(_("Tanggal tidak valid (format YYYY-MM-DD).")) from exc
        queryset = (
            Ticket.objects.filter(date=day).select_related("counter").order_by("issued_at", "id")
        )
        wanted = self.request.query_params.get("status")
        if wanted:
            queryset = queryset.filter(status=wanted)
        return queryset

    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema(tags=["queue-staff"], parameters=[OpenApiParameter("date", str)])
class DailyFigureListView(RegionalGenericAPIView):
    serializer_class = s.QueueDailyFigureSerializer

    def get_queryset(self):
        queryset = DailyFigure.objects.order_by("-date", "scope", "offering_id", "counter_id")
        wanted = self.request.query_params.get("date")
        if wanted:
            try:
                queryset = queryset.filter(date=dt.date.fromisoformat(wanted))
            except ValueError as exc:
                raise DomainError(str(exc)) from exc
        return queryset

    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema(tags=["queue"], responses=s.QueueBoardSerializer)
class HallBoardView(PublicAPIView):
    """The hall display's data: latest calls and each queue's wait. Public, this region only."""

    authentication_classes: list[type] = []  # public and read-only: no session, so no CSRF either

    def get(self, request):
        return Response(selectors.hall_board_cached(), headers={"Cache-Control": "no-store"})
