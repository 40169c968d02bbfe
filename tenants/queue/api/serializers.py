"""Shapes of the queue API. Writes are validated here and performed by the services."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from tenants.queue.models import Booking, DailyFigure, Ticket
from tenants.queue.selectors import offering_label


class QueueOfferingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.SerializerMethodField()
    booth = serializers.SerializerMethodField()

    def get_name(self, offering) -> str:
        return offering_label(offering)

    def get_booth(self, offering) -> str:
        return offering.booth.display_name if offering.booth_id else ""


class QueueSlotSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    starts_at = serializers.TimeField(format="%H:%M")
    ends_at = serializers.TimeField(format="%H:%M")
    capacity = serializers.IntegerField()
    left = serializers.IntegerField()
    is_past = serializers.BooleanField()
    bookable = serializers.BooleanField()


class QueueDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    is_open = serializers.BooleanField()
    reason = serializers.CharField()
    online_left = serializers.IntegerField()
    slots = QueueSlotSerializer(many=True)


class QueueBookingSerializer(serializers.ModelSerializer):
    display_code = serializers.CharField(read_only=True)
    offering_name = serializers.SerializerMethodField()
    ticket_number = serializers.SerializerMethodField()
    starts_at = serializers.TimeField(format="%H:%M")
    ends_at = serializers.TimeField(format="%H:%M")

    class Meta:
        model = Booking
        fields = [
            "code",
            "display_code",
            "offering",
            "offering_name",
            "date",
            "starts_at",
            "ends_at",
            "status",
            "ticket_number",
            "created_at",
        ]

    def get_offering_name(self, booking) -> str:
        return offering_label(booking.offering)

    def get_ticket_number(self, booking) -> str | None:
        ticket = getattr(booking, "ticket", None)
        return ticket.number if ticket else None


class QueueSlotChoiceSerializer(serializers.Serializer):
    date = serializers.DateField(
        error_messages={"invalid": _("Tanggal tidak valid (format YYYY-MM-DD).")}
    )
    time = serializers.TimeField(
        input_formats=["%H:%M", "%H:%M:%S"],
        error_messages={"invalid": _("Jam tidak valid (format HH:MM).")},
    )


class QueueBookingCreateSerializer(QueueSlotChoiceSerializer):
    offering = serializers.IntegerField()


class QueueCheckInSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40, allow_blank=True)


class QueueWalkInSerializer(serializers.Serializer):
    offering = serializers.IntegerField()


class QueueTicketSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    counter_number = serializers.SerializerMethodField()

    class Meta:
        model = Ticket
        fields = [
            "id",
            "number",
            "prefix",
            "date",
            "kind",
            "status",
            "offering",
            "counter",
            "counter_number",
            "target_counter",
            "appointment_at",
            "issued_at",
            "called_at",
            "last_called_at",
            "call_count",
            "serving_started_at",
            "finished_at",
        ]

    def get_counter_number(self, ticket) -> str | None:
        return ticket.counter.number if ticket.counter_id else None


class QueueKioskTicketSerializer(serializers.Serializer):
    number = serializers.CharField()
    kind = serializers.CharField()
    offering = serializers.CharField()
    ahead = serializers.IntegerField()


class QueueCounterSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    name = serializers.CharField()
    ticket_prefix = serializers.CharField()
    booth = serializers.SerializerMethodField()

    def get_booth(self, counter) -> str:
        return counter.booth.display_name


class QueueCounterActionSerializer(serializers.Serializer):
    ticket = serializers.IntegerField(required=False, allow_null=True)
    to_counter = serializers.IntegerField(required=False)


class QueueDailyFigureSerializer(serializers.ModelSerializer):
    class Meta:
        model = DailyFigure
        exclude = ["id"]


class QueueDeskSerializer(serializers.Serializer):
    counter = QueueCounterSerializer()
    current = QueueTicketSerializer(allow_null=True)
    waiting_total = serializers.IntegerField()
    upcoming = QueueTicketSerializer(many=True)


class QueueBoardCallSerializer(serializers.Serializer):
    number = serializers.CharField()
    counter = serializers.CharField()
    counter_name = serializers.CharField()
    status = serializers.CharField()
    called_at = serializers.DateTimeField()
    call_count = serializers.IntegerField()


class QueueBoardLineSerializer(serializers.Serializer):
    prefix = serializers.CharField()
    label = serializers.CharField()
    waiting = serializers.IntegerField()
    counters = serializers.IntegerField()
    estimate_minutes = serializers.IntegerField()


class QueueBoardSerializer(serializers.Serializer):
    date = serializers.DateField()
    time = serializers.CharField()
    calls = QueueBoardCallSerializer(many=True)
    queues = QueueBoardLineSerializer(many=True)
