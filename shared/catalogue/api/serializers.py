from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kernel.routing import national_url
from shared.catalogue.models import (
    Agency,
    Category,
    Channel,
    DocumentType,
    FeeKind,
    LifeEvent,
    Service,
    ServiceVersion,
)


def service_page_url(service: Service) -> str:
    return national_url(
        reverse(
            "catalogue:service", kwargs={"code": service.code}, urlconf="mpp_platform.urls_national"
        )
    )


class AgencyRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "code", "name", "abbreviation", "kind"]


class AgencySerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(
        slug_field="code", queryset=Agency.objects.all(), allow_null=True, required=False
    )
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Agency
        fields = ["id", "code", "name", "abbreviation", "kind", "kind_label", "parent"]


class DocumentTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = DocumentType
        fields = ["id", "code", "name", "description"]


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "code", "name"]


class LifeEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = LifeEvent
        fields = ["id", "code", "name"]


class LiveMppSerializer(serializers.Serializer):
    """A live MPP that offers the service, with the link to its site."""

    region_code = serializers.CharField()
    name = serializers.CharField()
    slug = serializers.CharField()
    province = serializers.CharField(source="province_name")
    channels = serializers.ListField(child=serializers.CharField())
    url = serializers.URLField()


class RequirementSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    document_type = DocumentTypeSerializer(read_only=True, allow_null=True)
    text = serializers.CharField()
    is_mandatory = serializers.BooleanField()


class ServiceListSerializer(serializers.ModelSerializer):
    """A service in lists and search results: enough to choose, plus where it is offered."""

    agency = AgencyRefSerializer(read_only=True)
    category = CategorySerializer(read_only=True, allow_null=True)
    is_free = serializers.BooleanField(read_only=True)
    fee_amount = serializers.IntegerField(read_only=True)
    page_url = serializers.SerializerMethodField()
    mpp_count = serializers.IntegerField(source="live_mpp_count", read_only=True, default=0)
    mpps = LiveMppSerializer(source="live_mpps", many=True, read_only=True, default=list)

    class Meta:
        model = Service
        fields = [
            "id",
            "code",
            "name",
            "agency",
            "category",
            "summary",
            "completion_days",
            "fee_kind",
            "fee_amount",
            "is_free",
            "channels",
            "version",
            "updated_at",
            "page_url",
            "mpp_count",
            "mpps",
        ]

    def get_page_url(self, obj) -> str:
        return service_page_url(obj)

    def to_representation(self, instance):
        """The same output as the declared fields give (a test holds them equal), built directly:
        search results are the hot path and DRF's generic field walk cost more than the SQL."""
        agency, category = instance.agency, instance.category
        return {
            "id": instance.pk,
            "code": instance.code,
            "name": instance.name,
            "agency": {
                "id": agency.pk,
                "code": agency.code,
                "name": agency.name,
                "abbreviation": agency.abbreviation,
                "kind": agency.kind,
            },
            "category": (
                {"id": category.pk, "code": category.code, "name": category.name}
                if category is not None
                else None
            ),
            "summary": instance.summary,
            "completion_days": instance.completion_days,
            "fee_kind": instance.fee_kind,
            "fee_amount": int(instance.fee_amount),
            "is_free": instance.is_free,
            "channels": list(instance.channels),
            "version": instance.version,
            "updated_at": self.fields["updated_at"].to_representation(instance.updated_at),
            "page_url": service_page_url(instance),
            "mpp_count": getattr(instance, "live_mpp_count", 0),
            "mpps": [
                {
                    "region_code": m.region_code,
                    "name": m.name,
                    "slug": m.slug,
                    "province": m.province_name,
                    "channels": list(m.channels),
                    "url": m.url,
                }
                for m in getattr(instance, "live_mpps", [])
            ],
        }

    def generic_representation(self, instance):
        """DRF's own field-by-field output, for the test that keeps the fast path honest."""
        return super().to_representation(instance)


class ServiceDetailSerializer(ServiceListSerializer):
    """The whole published standard: the six components, legal basis and channels."""

    life_events = LifeEventSerializer(many=True, read_only=True)
    requirements = RequirementSerializer(many=True, read_only=True)
    steps = serializers.SlugRelatedField(slug_field="text", many=True, read_only=True)

    class Meta(ServiceListSerializer.Meta):
        fields = [
            *ServiceListSerializer.Meta.fields,
            "life_events",
            "synonyms",
            "requirements",
            "steps",
            "completion_note",
            "fee_basis",
            "product",
            "complaint_handling",
            "legal_basis",
            "is_active",
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data.update(
            life_events=[
                {"id": e.pk, "code": e.code, "name": e.name} for e in instance.life_events.all()
            ],
            synonyms=instance.synonyms,
            requirements=[
                {
                    "id": r.pk,
                    "document_type": (
                        {
                            "id": r.document_type.pk,
                            "code": r.document_type.code,
                            "name": r.document_type.name,
                            "description": r.document_type.description,
                        }
                        if r.document_type is not None
                        else None
                    ),
                    "text": r.text,
                    "is_mandatory": r.is_mandatory,
                }
                for r in instance.requirements.all()
            ],
            steps=[step.text for step in instance.steps.all()],
            completion_note=instance.completion_note,
            fee_basis=instance.fee_basis,
            product=instance.product,
            complaint_handling=instance.complaint_handling,
            legal_basis=instance.legal_basis,
            is_active=instance.is_active,
        )
        return data

    def generic_representation(self, instance):
        return serializers.ModelSerializer.to_representation(self, instance)


class RequirementInputSerializer(serializers.Serializer):
    id = serializers.IntegerField(required=False, help_text="Id persyaratan yang ada (opsional).")
    document_type = serializers.SlugRelatedField(
        slug_field="code", queryset=DocumentType.objects.all(), allow_null=True, required=False
    )
    text = serializers.CharField(max_length=300, allow_blank=True, required=False, default="")
    is_mandatory = serializers.BooleanField(required=False, default=True)

    def validate(self, attrs):
        if not attrs.get("document_type") and not attrs.get("text", "").strip():
            raise serializers.ValidationError(_("Isi jenis dokumen atau keterangan."))
        return attrs


class ServiceWriteSerializer(serializers.Serializer):
    """Create or change a service (superadmins). Every accepted change is a new version."""

    code = serializers.SlugField(max_length=80)
    name = serializers.CharField(max_length=200)
    agency = serializers.SlugRelatedField(slug_field="code", queryset=Agency.objects.all())
    category = serializers.SlugRelatedField(
        slug_field="code", queryset=Category.objects.all(), allow_null=True, required=False
    )
    life_events = serializers.SlugRelatedField(
        slug_field="code", queryset=LifeEvent.objects.all(), many=True, required=False
    )
    summary = serializers.CharField(allow_blank=True, required=False)
    synonyms = serializers.CharField(allow_blank=True, required=False)
    requirements = RequirementInputSerializer(many=True, required=False)
    steps = serializers.ListField(
        child=serializers.CharField(max_length=500), required=False, allow_empty=True
    )
    completion_days = serializers.IntegerField(
        min_value=0, max_value=730, allow_null=True, required=False
    )
    completion_note = serializers.CharField(max_length=300, allow_blank=True, required=False)
    fee_kind = serializers.ChoiceField(choices=FeeKind.choices, required=False)
    fee_amount = serializers.IntegerField(min_value=0, max_value=10**13, required=False)
    fee_basis = serializers.CharField(allow_blank=True, required=False)
    product = serializers.CharField()
    complaint_handling = serializers.CharField()
    legal_basis = serializers.CharField(allow_blank=True, required=False)
    channels = serializers.MultipleChoiceField(choices=Channel.choices, required=False)
    is_active = serializers.BooleanField(required=False)
    note = serializers.CharField(
        max_length=300,
        allow_blank=True,
        required=False,
        write_only=True,
        help_text="Catatan perubahan untuk riwayat versi.",
    )

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        if "channels" in values:
            values["channels"] = sorted(values["channels"])
        return values


class ServiceVersionSerializer(serializers.ModelSerializer):
    changed_by = serializers.SerializerMethodField()

    class Meta:
        model = ServiceVersion
        fields = ["number", "created_at", "changed_fields", "note", "changed_by"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_changed_by(self, obj) -> str | None:
        """Who made the change: shown to superadmins only."""
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None or not getattr(user, "is_superadmin", False) or obj.changed_by is None:
            return None
        return str(obj.changed_by)


class ServiceVersionDetailSerializer(ServiceVersionSerializer):
    snapshot = serializers.JSONField()

    class Meta(ServiceVersionSerializer.Meta):
        fields = [*ServiceVersionSerializer.Meta.fields, "snapshot"]


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)
    added = serializers.ListField(child=serializers.JSONField())
    removed = serializers.ListField(child=serializers.JSONField())


class ServiceChangesSerializer(serializers.Serializer):
    service = serializers.IntegerField()
    from_version = serializers.IntegerField()
    to_version = serializers.IntegerField()
    changes = FieldChangeSerializer(many=True)


class SearchPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    query = serializers.CharField()
    corrected = serializers.CharField(
        allow_blank=True, help_text="Kata kunci setelah koreksi ejaan, kosong bila tidak dikoreksi."
    )
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = ServiceListSerializer(many=True)


class ImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="Berkas katalog .json atau .csv")
    dry_run = serializers.BooleanField(
        required=False, default=False, help_text="Hanya periksa, jangan terapkan."
    )


class ImportErrorSerializer(serializers.Serializer):
    section = serializers.CharField()
    row = serializers.IntegerField()
    code = serializers.CharField(allow_blank=True)
    field = serializers.CharField(allow_blank=True)
    message = serializers.CharField()


class ImportReportSerializer(serializers.Serializer):
    format = serializers.CharField()
    valid = serializers.BooleanField()
    applied = serializers.BooleanField()
    dry_run = serializers.BooleanField()
    errors = ImportErrorSerializer(many=True)
    created = serializers.ListField(child=serializers.CharField())
    updated = serializers.ListField(child=serializers.CharField())
    unchanged = serializers.IntegerField()
    references_created = serializers.IntegerField()
    references_updated = serializers.IntegerField()
