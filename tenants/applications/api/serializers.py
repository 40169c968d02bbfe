from rest_framework import serializers

from tenants.applications.models import (
    Application,
    ApplicationFile,
    ApplicationRequirement,
    FormField,
    StatusChange,
)


class RequirementSlotSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    document_type_id = serializers.IntegerField(allow_null=True)
    document_type_name = serializers.CharField()
    is_mandatory = serializers.BooleanField()


class FormFieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = FormField
        fields = ["key", "label", "kind", "choices", "is_required", "help_text"]


class OnlineOfferingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    agency_name = serializers.CharField()
    completion_days = serializers.IntegerField(allow_null=True)
    fee_amount = serializers.DecimalField(max_digits=14, decimal_places=0)
    requirements = RequirementSlotSerializer(many=True)
    form_fields = FormFieldSerializer(many=True)


class ApplicationRequirementSerializer(serializers.ModelSerializer):
    is_met = serializers.BooleanField(read_only=True)

    class Meta:
        model = ApplicationRequirement
        fields = ["id", "key", "label", "document_type", "is_mandatory", "document", "confirmed"]
        fields += ["is_met"]


class StatusChangeSerializer(serializers.ModelSerializer):
    # Plain strings: the values are those of ``status`` (one enum in the schema, not three).
    from_status = serializers.CharField(help_text="Status sebelumnya; kosong untuk yang pertama.")
    to_status = serializers.CharField(help_text="Status baru.")

    class Meta:
        model = StatusChange
        fields = ["from_status", "to_status", "actor_role", "note", "created_at"]


class ApplicationFileSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApplicationFile
        fields = ["id", "purpose", "field_key", "original_name", "content_type", "size"]


class ApplicationSerializer(serializers.ModelSerializer):
    """The citizen's view of their application."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    requirements = ApplicationRequirementSerializer(many=True, read_only=True)
    history = StatusChangeSerializer(many=True, read_only=True)
    files = ApplicationFileSerializer(many=True, read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "number",
            "status",
            "status_label",
            "offering",
            "offering_name",
            "agency_name",
            "is_assisted",
            "data",
            "first_submitted_at",
            "submitted_at",
            "due_date",
            "finished_at",
            "revision_note",
            "rejection_reason",
            "result_kind",
            "result_note",
            "requirements",
            "files",
            "history",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ApplicationListSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "number",
            "status",
            "status_label",
            "offering_name",
            "submitted_at",
            "due_date",
            "updated_at",
        ]
        read_only_fields = fields


class DraftSerializer(serializers.Serializer):
    """Create or update a draft. ``documents`` maps requirement keys to vault document ids;
    ``confirmations`` lists requirement keys without a document that the citizen meets."""

    offering = serializers.IntegerField(required=False)
    client_key = serializers.UUIDField(required=False, allow_null=True)
    answers = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)
    documents = serializers.DictField(
        child=serializers.IntegerField(allow_null=True), required=False
    )
    confirmations = serializers.ListField(child=serializers.CharField(), required=False)


class RequirementUploadSerializer(serializers.Serializer):
    requirement = serializers.CharField(max_length=60)
    file = serializers.FileField()


class ReceiptSerializer(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    offering_name = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    due_date = serializers.DateField(allow_null=True)
    verify_url = serializers.URLField()
    qr_svg = serializers.CharField()
    claim_code = serializers.CharField(required=False)


class PublicStatusSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = Application
        fields = [
            "number",
            "status",
            "status_label",
            "offering_name",
            "first_submitted_at",
            "due_date",
        ]


class StaffApplicationListSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    booth_name = serializers.CharField(source="booth.display_name", default="", read_only=True)
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id",
            "number",
            "status",
            "status_label",
            "offering_name",
            "booth",
            "booth_name",
            "is_assisted",
            "submitted_at",
            "due_date",
            "is_overdue",
        ]

    def get_is_overdue(self, obj) -> bool:
        return getattr(obj, "overdue_rank", 1) == 0


class StaffApplicationSerializer(ApplicationSerializer):
    applicant = serializers.JSONField(source="applicant_view", read_only=True)
    booth_name = serializers.CharField(source="booth.display_name", default="", read_only=True)

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "applicant", "booth", "booth_name"]
        read_only_fields = fields


class ReasonSerializer(serializers.Serializer):
    reasons = serializers.CharField(required=False, allow_blank=True)
    reason = serializers.CharField(required=False, allow_blank=True)


class CompleteSerializer(serializers.Serializer):
    result_kind = serializers.CharField()
    result_file = serializers.FileField(required=False)
    note = serializers.CharField(required=False, allow_blank=True)


class CitizenSearchSerializer(serializers.Serializer):
    query = serializers.CharField(max_length=24)


class CounterSearchResultSerializer(serializers.Serializer):
    """What a counter search shows before consent: that a record exists, and a masked name."""

    id = serializers.IntegerField(source="pk")
    masked_name = serializers.CharField()
    consented = serializers.BooleanField()
    channels = serializers.ListField(child=serializers.CharField())
    declared_by_account = serializers.BooleanField()


class CounterCitizenSerializer(serializers.Serializer):
    """The citizen's data, under consent given at this counter for this visit."""

    id = serializers.IntegerField(read_only=True)
    full_name = serializers.CharField(read_only=True)
    nik = serializers.CharField(read_only=True)
    nik_status = serializers.CharField(read_only=True)
    birth_place = serializers.CharField(read_only=True)
    birth_date = serializers.DateField(read_only=True)
    address_line = serializers.CharField(read_only=True)
    regency_code = serializers.CharField(read_only=True)
    phone = serializers.CharField(read_only=True)
    has_account = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()

    def get_has_account(self, obj) -> bool:
        return obj.user_id is not None

    def get_documents(self, obj) -> list[dict]:
        from shared.citizens.selectors import vault_documents

        return [
            {"id": d.pk, "document_type": d.document_type.code, "uploaded_at": d.uploaded_at}
            for d in vault_documents(obj)
        ]


class CounterRegisterSerializer(serializers.Serializer):
    nik = serializers.CharField(max_length=24)
    full_name = serializers.CharField(max_length=150)
    birth_place = serializers.CharField(max_length=100, required=False, allow_blank=True)
    birth_date = serializers.DateField()
    confirm_birth_date = serializers.BooleanField(required=False, default=False)
    address_line = serializers.CharField(max_length=255)
    regency_code = serializers.CharField(max_length=5)
    district_code = serializers.CharField(max_length=8, required=False, allow_blank=True)
    village_code = serializers.CharField(max_length=13, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=24, required=False, allow_blank=True)


class ConsentSendSerializer(serializers.Serializer):
    citizen = serializers.IntegerField()
    channel = serializers.CharField(max_length=10)


class ConsentCodeSerializer(serializers.Serializer):
    citizen = serializers.IntegerField()
    code = serializers.CharField(max_length=10)


class ConsentKtpSerializer(serializers.Serializer):
    citizen = serializers.IntegerField()
    ktp_seen = serializers.BooleanField()
    birth_date = serializers.DateField()
    reason = serializers.CharField(max_length=200)


class AssistedDraftSerializer(DraftSerializer):
    citizen = serializers.IntegerField()
    offering = serializers.IntegerField()


class FormFieldInputSerializer(serializers.Serializer):
    key = serializers.CharField(required=False, allow_blank=True, max_length=40)
    label = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=FormField.Kind.choices)
    choices = serializers.ListField(child=serializers.CharField(), required=False)
    is_required = serializers.BooleanField(required=False, default=False)
    help_text = serializers.CharField(required=False, allow_blank=True, max_length=300)


class FormDefinitionSerializer(serializers.Serializer):
    form_fields = FormFieldInputSerializer(many=True)


class OutboxSerializer(serializers.Serializer):
    created_at = serializers.DateTimeField()
    channel = serializers.CharField()
    recipient = serializers.CharField(source="masked_recipient")
    subject = serializers.CharField()
    body = serializers.CharField()
    status = serializers.CharField()
    reference = serializers.CharField()
