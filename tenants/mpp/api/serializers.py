"""API shapes of a region's MPP. Input serializers only parse; services decide."""

from __future__ import annotations

from rest_framework import serializers

from shared.accounts.models import Role
from shared.catalogue.models import Agency, Channel, DocumentType, LifeEvent, Service
from tenants.mpp.models import (
    Announcement,
    Booth,
    Closure,
    Counter,
    Facility,
    FeeKind,
    GeneralInfo,
    LocalAgency,
    Offering,
    Weekday,
)

# --- output --------------------------------------------------------------------------------------


class IntervalSerializer(serializers.Serializer):
    opens_at = serializers.TimeField(format="%H:%M")
    closes_at = serializers.TimeField(format="%H:%M")


class StatusSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    date = serializers.DateField()
    is_open = serializers.BooleanField()
    code = serializers.CharField()
    text = serializers.CharField()
    holiday_name = serializers.CharField()
    hours_today = serializers.SerializerMethodField()

    def get_hours_today(self, status) -> list[dict]:
        return [
            {"opens_at": o.strftime("%H:%M"), "closes_at": c.strftime("%H:%M")}
            for o, c in status.hours_today
        ]


def weekly_json(hours: dict) -> list[dict]:
    return [
        {
            "weekday": day.value,
            "label": str(day.label),
            "intervals": [
                {"opens_at": o.strftime("%H:%M"), "closes_at": c.strftime("%H:%M")}
                for o, c in hours.get(day.value, [])
            ],
        }
        for day in Weekday
    ]


class BoothSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    agency_name = serializers.CharField(read_only=True)
    display_name = serializers.CharField(read_only=True)
    local_agency = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Booth
        fields = [
            "id",
            "number",
            "display_name",
            "name",
            "agency",
            "local_agency",
            "agency_name",
            "location",
            "description",
            "is_active",
        ]


class PublicOfferingSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    code = serializers.CharField()
    name = serializers.CharField(source="display_name")  # of a selectors.OfferingRow
    agency = serializers.CharField(source="agency_name")
    is_local = serializers.BooleanField()
    fee_amount = serializers.DecimalField(max_digits=14, decimal_places=0, source="effective_fee")
    channels = serializers.ListField(child=serializers.CharField(), source="effective_channels")
    completion_days = serializers.IntegerField(source="effective_days", allow_null=True)
    booth = serializers.IntegerField(source="booth_id", allow_null=True)
    life_events = serializers.SerializerMethodField()

    def get_life_events(self, offering) -> list[str]:
        return [e.code for e in offering.life_events]


class RequirementItemSerializer(serializers.Serializer):
    label = serializers.CharField()
    text = serializers.CharField()
    document_type = serializers.CharField(source="document_type_code")
    document_type_name = serializers.CharField()
    is_mandatory = serializers.BooleanField()
    is_local = serializers.BooleanField()


class StandardSerializer(serializers.Serializer):
    offering_id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    summary = serializers.CharField()
    agency_name = serializers.CharField()
    is_local = serializers.BooleanField()
    national_version = serializers.IntegerField(allow_null=True)
    requirements = RequirementItemSerializer(many=True)
    steps = serializers.ListField(child=serializers.CharField())
    completion_days = serializers.IntegerField(allow_null=True)
    completion_note = serializers.CharField()
    fee_kind = serializers.CharField()
    fee_amount = serializers.DecimalField(max_digits=14, decimal_places=0)
    fee_basis = serializers.CharField()
    product = serializers.CharField()
    complaint_handling = serializers.CharField()
    legal_basis = serializers.CharField()
    channels = serializers.ListField(child=serializers.CharField())
    local_notes = serializers.CharField()
    overridden = serializers.ListField(child=serializers.CharField())
    quotas = serializers.DictField(child=serializers.IntegerField(allow_null=True))


class GeneralInfoSerializer(serializers.ModelSerializer):
    facilities = serializers.ListField(
        child=serializers.ChoiceField(choices=Facility.choices), required=False
    )

    class Meta:
        model = GeneralInfo
        fields = [
            "about",
            "address",
            "latitude",
            "longitude",
            "phone",
            "whatsapp",
            "email",
            "website",
            "facilities",
            "facilities_note",
            "open_on_cuti_bersama",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]


class AnnouncementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Announcement
        fields = ["id", "title", "body", "publish_from", "publish_until", "is_important"]


class ClosureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Closure
        fields = ["id", "booth", "start_date", "end_date", "reason"]
        read_only_fields = ["id"]
        extra_kwargs = {"end_date": {"required": False}}


class AdminOfferingSerializer(serializers.ModelSerializer):
    service = serializers.SlugRelatedField(slug_field="code", read_only=True)
    name = serializers.SerializerMethodField()
    national_version = serializers.SerializerMethodField()
    has_national_changes = serializers.SerializerMethodField()

    class Meta:
        model = Offering
        fields = [
            "id",
            "code",
            "service",
            "name",
            "booth",
            "is_active",
            "fee_kind",
            "fee_amount",
            "fee_basis",
            "channels",
            "local_notes",
            "quota_online",
            "quota_queue",
            "quota_walk_in",
            "acknowledged_version",
            "national_version",
            "has_national_changes",
        ]

    def get_name(self, o) -> str:
        return o.service.name if o.service_id else o.name

    def get_national_version(self, o) -> int | None:
        return o.service.version if o.service_id else None

    def get_has_national_changes(self, o) -> bool:
        return bool(o.service_id) and o.service.version > (o.acknowledged_version or 0)


class CounterSerializer(serializers.ModelSerializer):
    offerings = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Counter
        fields = ["id", "booth", "number", "name", "ticket_prefix", "offerings", "is_active"]


class StaffSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="membership.pk")
    user_id = serializers.IntegerField(source="membership.user_id")
    email = serializers.EmailField(source="membership.user.email")
    full_name = serializers.CharField(source="membership.user.full_name")
    role = serializers.CharField(source="membership.role")
    is_active = serializers.BooleanField(source="membership.is_active")
    booths = serializers.SerializerMethodField()

    def get_booths(self, member) -> list[int]:
        return [b.pk for b in member.booths]


class NationalServiceSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    offered = serializers.SerializerMethodField()

    class Meta:
        model = Service
        fields = ["id", "code", "name", "agency", "version", "channels", "offered"]

    def get_offered(self, service) -> str:
        return getattr(service, "offered_state", "")


# --- input ---------------------------------------------------------------------------------------


class IntervalInput(serializers.Serializer):
    opens_at = serializers.TimeField()
    closes_at = serializers.TimeField()


class DayInput(serializers.Serializer):
    weekday = serializers.ChoiceField(choices=Weekday.choices)
    intervals = IntervalInput(many=True)


class HoursInput(serializers.Serializer):
    days = DayInput(many=True)

    def hours(self) -> dict:
        out: dict = {}
        for day in self.validated_data["days"]:
            out.setdefault(day["weekday"], []).extend(
                (i["opens_at"], i["closes_at"]) for i in day["intervals"]
            )
        return out


class BoothCreateInput(serializers.Serializer):
    agency = serializers.SlugRelatedField(
        slug_field="code", queryset=Agency.objects.all(), required=False, allow_null=True
    )
    local_agency = serializers.PrimaryKeyRelatedField(
        queryset=LocalAgency.objects.all(), required=False, allow_null=True
    )
    new_local_agency = serializers.CharField(max_length=200, required=False, allow_blank=True)
    number = serializers.CharField(max_length=20)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="")
    is_active = serializers.BooleanField(required=False, default=True)


class BoothUpdateInput(serializers.Serializer):
    number = serializers.CharField(max_length=20, required=False)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)


class AdoptInput(serializers.Serializer):
    service = serializers.SlugRelatedField(slug_field="code", queryset=Service.objects.all())
    booth = serializers.PrimaryKeyRelatedField(
        queryset=Booth.objects.all(), required=False, allow_null=True
    )


class OfferingRequirementInput(serializers.Serializer):
    document_type = serializers.SlugRelatedField(
        slug_field="code", queryset=DocumentType.objects.all(), required=False, allow_null=True
    )
    text = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    is_mandatory = serializers.BooleanField(required=False, default=True)


class OverridesInput(serializers.Serializer):
    booth = serializers.PrimaryKeyRelatedField(
        queryset=Booth.objects.all(), required=False, allow_null=True
    )
    fee_kind = serializers.ChoiceField(choices=FeeKind.choices, required=False, allow_null=True)
    fee_amount = serializers.DecimalField(
        max_digits=14, decimal_places=0, min_value=0, required=False, allow_null=True
    )
    fee_basis = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    channels = serializers.ListField(
        child=serializers.ChoiceField(choices=Channel.choices), required=False, allow_null=True
    )
    local_notes = serializers.CharField(required=False, allow_blank=True)
    quota_online = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    quota_queue = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    quota_walk_in = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    requirements = OfferingRequirementInput(many=True, required=False)


class LocalServiceInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    booth = serializers.PrimaryKeyRelatedField(
        queryset=Booth.objects.all(), required=False, allow_null=True
    )
    agency = serializers.SlugRelatedField(
        slug_field="code", queryset=Agency.objects.all(), required=False, allow_null=True
    )
    local_agency = serializers.PrimaryKeyRelatedField(
        queryset=LocalAgency.objects.all(), required=False, allow_null=True
    )
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    steps = serializers.ListField(child=serializers.CharField(max_length=500), allow_empty=False)
    requirements = OfferingRequirementInput(many=True, required=False, default=list)
    completion_days = serializers.IntegerField(min_value=0, max_value=365)
    completion_note = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )
    fee_kind = serializers.ChoiceField(choices=FeeKind.choices, required=False, allow_null=True)
    fee_amount = serializers.DecimalField(
        max_digits=14, decimal_places=0, min_value=0, required=False, default=0
    )
    fee_basis = serializers.CharField(required=False, allow_blank=True, default="")
    product = serializers.CharField()
    complaint_handling = serializers.CharField()
    legal_basis = serializers.CharField(required=False, allow_blank=True, default="")
    channels = serializers.ListField(
        child=serializers.ChoiceField(choices=Channel.choices), allow_empty=False
    )
    life_events = serializers.SlugRelatedField(
        slug_field="code", queryset=LifeEvent.objects.all(), many=True, required=False, default=list
    )
    local_notes = serializers.CharField(required=False, allow_blank=True, default="")
    quota_online = serializers.IntegerField(
        min_value=0, required=False, allow_null=True, default=None
    )
    quota_queue = serializers.IntegerField(
        min_value=0, required=False, allow_null=True, default=None
    )
    quota_walk_in = serializers.IntegerField(
        min_value=0, required=False, allow_null=True, default=None
    )
    is_active = serializers.BooleanField(required=False, default=True)


class CounterInput(serializers.Serializer):
    booth = serializers.PrimaryKeyRelatedField(queryset=Booth.objects.all())
    number = serializers.CharField(max_length=20)
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    ticket_prefix = serializers.CharField(max_length=1)
    offerings = serializers.PrimaryKeyRelatedField(
        queryset=Offering.objects.all(), many=True, required=False, default=list
    )
    is_active = serializers.BooleanField(required=False, default=True)


class StaffInviteInput(serializers.Serializer):
    email = serializers.EmailField()
    full_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    role = serializers.ChoiceField(choices=Role.choices)
    booths = serializers.PrimaryKeyRelatedField(
        queryset=Booth.objects.all(), many=True, required=False, default=list
    )


class StaffUpdateInput(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices, required=False)
    booths = serializers.PrimaryKeyRelatedField(
        queryset=Booth.objects.all(), many=True, required=False
    )
