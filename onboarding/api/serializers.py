from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from onboarding import services
from onboarding.models import Onboarding, OnboardingDocument, ReadinessIndicator, ReadinessValue
from shared.regions.models import Region


class OnboardingRegionSerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province.name")

    class Meta:
        model = Region
        fields = ["code", "name", "slug", "kind", "province"]


class OnboardingSerializer(serializers.ModelSerializer):
    region = OnboardingRegionSerializer()
    stage_label = serializers.CharField(source="get_stage_display")

    class Meta:
        model = Onboarding
        fields = [
            "id",
            "region",
            "stage",
            "stage_label",
            "stage_changed_at",
            "signer_name",
            "signer_title",
            "signed_on",
            "occasion",
            "decree_number",
            "decree_date",
            "admin_email",
            "admin_name",
            "invitation_sent_at",
            "status_reason",
            "batch",
            "created_at",
        ]


class OnboardingReadinessValueSerializer(serializers.ModelSerializer):
    indicator = serializers.CharField(source="indicator.code")
    indicator_name = serializers.CharField(source="indicator.name")
    value = serializers.CharField(source="display_value")

    class Meta:
        model = ReadinessValue
        fields = ["indicator", "indicator_name", "value", "evidence", "threshold", "passed"]


class OnboardingDocumentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = OnboardingDocument
        fields = ["id", "kind", "original_name", "size", "sha256", "uploaded_at", "download_url"]

    def get_download_url(self, document) -> str:
        request = self.context.get("request")
        path = reverse(
            "onboarding:document",
            kwargs={"pk": document.pk},
            urlconf=getattr(request, "urlconf", None),
        )
        return request.build_absolute_uri(path) if request else path


class OnboardingDetailSerializer(OnboardingSerializer):
    readiness = OnboardingReadinessValueSerializer(source="readiness_values", many=True)
    documents = OnboardingDocumentSerializer(many=True)
    actions = serializers.SerializerMethodField()

    class Meta(OnboardingSerializer.Meta):
        fields = [*OnboardingSerializer.Meta.fields, "readiness", "documents", "actions"]

    def get_actions(self, onboarding) -> list[str]:
        return services.allowed_actions(onboarding)


class OnboardingCommitSerializer(serializers.Serializer):
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())
    signer_name = serializers.CharField(max_length=150)
    signer_title = serializers.CharField(max_length=150)
    signed_on = serializers.DateField()
    occasion = serializers.CharField(max_length=255, required=False, allow_blank=True)
    document = serializers.FileField(required=False)


class OnboardingDocumentUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[OnboardingDocument.Kind.COMMITMENT, OnboardingDocument.Kind.DECREE]
    )
    document = serializers.FileField()


class OnboardingReadinessEntrySerializer(serializers.Serializer):
    indicator = serializers.SlugRelatedField(
        slug_field="code", queryset=ReadinessIndicator.objects.filter(is_active=True)
    )
    value = serializers.CharField(allow_blank=True, required=False, allow_null=True)
    evidence = serializers.CharField(allow_blank=True, required=False, max_length=2000)


class OnboardingReadinessSerializer(serializers.Serializer):
    values = OnboardingReadinessEntrySerializer(many=True)


class OnboardingReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class OnboardingNoteSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class OnboardingDesignateSerializer(serializers.Serializer):
    decree_number = serializers.CharField(max_length=100)
    decree_date = serializers.DateField()
    admin_email = serializers.EmailField(required=False, allow_blank=True)
    admin_name = serializers.CharField(max_length=150, required=False, allow_blank=True)


class OnboardingProvisionSerializer(serializers.Serializer):
    admin_email = serializers.EmailField(required=False, allow_blank=True)
    admin_name = serializers.CharField(max_length=150, required=False, allow_blank=True)


class OnboardingSuspendSerializer(OnboardingReasonSerializer):
    public_notice = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class OnboardingOffboardSerializer(serializers.Serializer):
    confirmation = serializers.CharField(
        max_length=150, help_text=_("Nama daerah atau subdomainnya.")
    )
    reason = serializers.CharField(max_length=2000)


class OnboardingEmptySerializer(serializers.Serializer):
    pass


class ReadinessIndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReadinessIndicator
        fields = [
            "id",
            "code",
            "name",
            "description",
            "kind",
            "threshold",
            "position",
            "is_active",
            "updated_at",
        ]
        read_only_fields = ["id", "updated_at"]


class OnboardingBulkUploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class PipelineStepSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    error = serializers.CharField()
    attempts = serializers.IntegerField()


class OnboardingProgressSerializer(serializers.Serializer):
    region = serializers.CharField()
    stage = serializers.CharField()
    stage_label = serializers.CharField()
    pipeline = serializers.CharField(allow_null=True)
    percent = serializers.IntegerField()
    finished = serializers.IntegerField()
    total = serializers.IntegerField()
    running = serializers.BooleanField()
    failed = serializers.BooleanField()
    stalled = serializers.BooleanField()
    done = serializers.BooleanField()
    steps = PipelineStepSerializer(many=True)


class OnboardingBatchSerializer(serializers.Serializer):
    batch = serializers.IntegerField(allow_null=True)
    regions = serializers.IntegerField()
    live = serializers.IntegerField()
    failed = serializers.IntegerField()
    failed_regions = serializers.ListField(child=serializers.DictField())
    percent = serializers.IntegerField()
    done = serializers.BooleanField()
    # Upload only: rows already live or being provisioned ("nothing to do").
    skipped = serializers.ListField(child=serializers.DictField(), required=False)


class OnboardingTimelineEntrySerializer(serializers.Serializer):
    created_at = serializers.DateTimeField()
    action = serializers.CharField()
    actor = serializers.SerializerMethodField()
    data = serializers.JSONField()

    def get_actor(self, entry) -> str:
        return str(entry.actor) if entry.actor_id else ""
