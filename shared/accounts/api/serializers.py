from rest_framework import serializers

from shared.accounts.models import Membership, User


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
