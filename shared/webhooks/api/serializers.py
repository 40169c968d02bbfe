from rest_framework import serializers

from shared.webhooks.models import Delivery, DeliveryAttempt, EventKind, Subscriber


class SubscriberSerializer(serializers.ModelSerializer):
    event_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=EventKind.choices), required=False
    )
    is_paused = serializers.BooleanField(read_only=True)

    class Meta:
        model = Subscriber
        fields = [
            "id",
            "name",
            "url",
            "event_kinds",
            "is_active",
            "is_paused",
            "consecutive_failures",
            "created_at",
        ]
        read_only_fields = ["id", "is_paused", "consecutive_failures", "created_at"]


class SubscriberCreatedSerializer(SubscriberSerializer):
    """The answer to a registration: the only time the signing secret is shown."""

    class Meta(SubscriberSerializer.Meta):
        fields = [*SubscriberSerializer.Meta.fields, "secret"]
        read_only_fields = [*SubscriberSerializer.Meta.read_only_fields, "secret"]


class DeliveryAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeliveryAttempt
        fields = ["at", "status_code", "response_excerpt", "error", "duration_ms"]


class DeliverySerializer(serializers.ModelSerializer):
    event_type = serializers.CharField(source="event.kind")
    log = DeliveryAttemptSerializer(many=True)

    class Meta:
        model = Delivery
        fields = ["id", "event", "event_type", "status", "attempts", "delivered_at", "log"]


class EventRegionSerializer(serializers.Serializer):
    code = serializers.CharField()
    slug = serializers.CharField()


class EventSubjectSerializer(serializers.Serializer):
    type = serializers.CharField()
    id = serializers.CharField()


class EventSerializer(serializers.Serializer):
    """The payload of a delivery and an item of the feed: ids, states and links only."""

    id = serializers.IntegerField()
    type = serializers.ChoiceField(choices=EventKind.choices)
    occurred_at = serializers.DateTimeField()
    region = EventRegionSerializer(allow_null=True)
    subject = EventSubjectSerializer()
    data = serializers.DictField(child=serializers.JSONField())
    links = serializers.DictField(child=serializers.URLField())
