from rest_framework import serializers

from shared.catalogue.models import DocumentType
from shared.citizens.models import ApplicationIndex, CitizenProfile, DataAccessLog, Document
from shared.citizens.validation import max_document_bytes


class SignUpSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=150)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=20)
    password = serializers.CharField(write_only=True, trim_whitespace=False)


class VerifyEmailSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=300)


class ProfileSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)
    email_verified = serializers.SerializerMethodField()
    is_complete = serializers.BooleanField(read_only=True)
    missing_fields = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = CitizenProfile
        fields = [
            "nik",
            "full_name",
            "birth_place",
            "birth_date",
            "gender",
            "address_line",
            "province_code",
            "regency_code",
            "district_code",
            "village_code",
            "postal_code",
            "phone",
            "email",
            "email_verified",
            "is_complete",
            "missing_fields",
        ]
        read_only_fields = fields

    def get_email_verified(self, obj) -> bool:
        return obj.email_verified_at is not None


class ProfileUpdateSerializer(serializers.Serializer):
    """Raw input: the service validates the fields together (NIK vs birth date vs region)."""

    nik = serializers.CharField(required=False, allow_blank=True, max_length=24)
    full_name = serializers.CharField(required=False, max_length=150)
    birth_place = serializers.CharField(required=False, allow_blank=True, max_length=100)
    birth_date = serializers.DateField(required=False, allow_null=True)
    address_line = serializers.CharField(required=False, allow_blank=True, max_length=255)
    regency_code = serializers.CharField(required=False, allow_blank=True, max_length=5)
    district_code = serializers.CharField(required=False, allow_blank=True, max_length=8)
    village_code = serializers.CharField(required=False, allow_blank=True, max_length=13)
    postal_code = serializers.CharField(required=False, allow_blank=True, max_length=5)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=24)


class DocumentSerializer(serializers.ModelSerializer):
    document_type = serializers.SlugRelatedField(slug_field="code", read_only=True)
    document_type_name = serializers.CharField(source="document_type.name", read_only=True)
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "document_type",
            "document_type_name",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "source",
            "uploaded_at",
            "file_url",
        ]

    def get_file_url(self, obj) -> str:
        return f"/api/v1/citizen/documents/{obj.pk}/file/"


class DocumentUploadSerializer(serializers.Serializer):
    document_type = serializers.SlugRelatedField(
        slug_field="code", queryset=DocumentType.objects.all()
    )
    file = serializers.FileField(help_text=f"PDF, JPEG atau PNG, ≤ {max_document_bytes()} byte")


class ApplicationIndexSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    region_slug = serializers.CharField(source="region.slug", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ApplicationIndex
        fields = [
            "region_code",
            "region_name",
            "region_slug",
            "application_id",
            "number",
            "offering_name",
            "agency_name",
            "status",
            "status_label",
            "result_kind",
            "is_assisted",
            "submitted_at",
            "due_date",
            "timeline",
            "updated_at",
        ]


class ClaimSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=30)
    claim_code = serializers.CharField(max_length=20)


class AccessLogSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", default="", read_only=True)
    action_label = serializers.CharField(source="get_action_display", read_only=True)

    class Meta:
        model = DataAccessLog
        fields = [
            "accessed_at",
            "actor_name",
            "role",
            "region_name",
            "booth_name",
            "action",
            "action_label",
            "reference",
        ]
