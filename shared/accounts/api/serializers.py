from rest_framework import serializers

from shared.accounts.models import ApiToken, Membership, User


class MembershipSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    region_slug = serializers.CharField(source="region.slug", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "region_code", "region_name", "region_slug", "role", "is_active"]


class MeSerializer(serializers.ModelSerializer):
    memberships = MembershipSerializer(many=True, read_only=True)
    is_superadmin = serializers.BooleanField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "email", "phone", "full_name", "is_superadmin", "memberships"]


class RegionMemberSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "email", "full_name", "role", "is_active"]


class SignInSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=254, help_text="Email atau nomor HP.")
    password = serializers.CharField(max_length=4096, trim_whitespace=False)
    otp_code = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text="Wajib untuk superadmin dan admin DPMPTSP: kode aplikasi autentikator "
        "atau kode pemulihan.",
    )
    device_name = serializers.CharField(max_length=100, required=False, allow_blank=True)


class SignInResultSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Kirim sebagai header `Authorization: Token <token>`.")
    expiry = serializers.DateTimeField()
    user = MeSerializer()


class ApiTokenSerializer(serializers.ModelSerializer):
    id = serializers.SerializerMethodField(help_text="Awal token; dipakai untuk mencabutnya.")
    current = serializers.SerializerMethodField()

    class Meta:
        model = ApiToken
        fields = ["id", "device_name", "created", "expiry", "last_used_at", "current"]

    def get_id(self, obj: ApiToken) -> str:
        return obj.token_key[:8]

    def get_current(self, obj: ApiToken) -> bool:
        request = self.context.get("request")
        auth = getattr(request, "auth", None) if request is not None else None
        return isinstance(auth, ApiToken) and auth.pk == obj.pk
