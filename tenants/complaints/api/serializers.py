"""Input serializers of the complaints API (answers are built by ``selectors``)."""

from rest_framework import serializers

from tenants.complaints.models import Complaint


class FilingSerializer(serializers.Serializer):
    """Shape only; every rule (lengths, kinds, links, files, identity) is the service's, whose
    per-field messages come back as a 400 with ``errors``."""

    kind = serializers.CharField(required=False, allow_blank=True)
    subject = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    description = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    privacy = serializers.CharField(required=False, allow_blank=True)
    offering = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    application = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    application_number = serializers.CharField(required=False, allow_blank=True)
    booking_code = serializers.CharField(required=False, allow_blank=True)
    ticket_number = serializers.CharField(required=False, allow_blank=True)
    name = serializers.CharField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True)
    email = serializers.CharField(required=False, allow_blank=True)
    client_key = serializers.UUIDField(required=False, allow_null=True)
    attachments = serializers.ListField(child=serializers.FileField(), required=False)


class CitizenActionSerializer(serializers.Serializer):
    code = serializers.CharField(required=False, help_text="Kode lacak (hanya complaints/track/…)")
    body = serializers.CharField(required=False)
    reason = serializers.CharField(required=False)
    rating = serializers.IntegerField(required=False)
    comment = serializers.CharField(required=False)
    attachments = serializers.ListField(child=serializers.FileField(), required=False)


class TrackSerializer(serializers.Serializer):
    code = serializers.CharField()


class StaffActionSerializer(serializers.Serializer):
    booth = serializers.IntegerField(required=False)
    complexity = serializers.CharField(required=False)
    note = serializers.CharField(required=False)
    reason = serializers.CharField(required=False)
    answer = serializers.CharField(required=False)
    body = serializers.CharField(required=False)
    attachments = serializers.ListField(child=serializers.FileField(), required=False)


class ComplaintSummarySerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")
    kind_label = serializers.CharField(source="get_kind_display")
    due_date = serializers.DateField(read_only=True)

    class Meta:
        model = Complaint
        fields = [
            "id",
            "number",
            "kind",
            "kind_label",
            "subject",
            "status",
            "status_label",
            "received_on",
            "due_date",
            "updated_at",
        ]


class StaffSummarySerializer(ComplaintSummarySerializer):
    """No complainant field at all: the list is the same for every staff member."""

    booth_name = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta(ComplaintSummarySerializer.Meta):
        fields = [*ComplaintSummarySerializer.Meta.fields, "privacy", "booth_name", "overdue"]

    def get_booth_name(self, obj) -> str:
        return obj.booth.display_name if obj.booth_id else ""

    def get_overdue(self, obj) -> bool:
        return getattr(obj, "overdue_rank", 1) == 0
