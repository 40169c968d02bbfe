from drf_spectacular.utils import extend_schema
from rest_framework import generics

from shared.access.api import CitizenAPI, RegionalAPIMixin
from shared.access.policy import Host
from shared.accounts.api.serializers import MeSerializer, RegionMemberSerializer
from shared.accounts.models import ADMIN_ROLES, Membership, User


class _CitizenAnyHost(CitizenAPI):
    host = Host.ANY


class MeView(_CitizenAnyHost, generics.RetrieveAPIView):
    """The signed-in user with their memberships: the same answer on every host."""

    serializer_class = MeSerializer

    def get_object(self):
        return User.objects.prefetch_related("memberships__region").get(pk=self.request.user.pk)


@extend_schema(tags=["region-admin"])
class RegionMemberListView(RegionalAPIMixin, generics.ListAPIView):
    """Staff of this region. DPMPTSP admins only; another region's admin gets 404."""

    serializer_class = RegionMemberSerializer
    allowed_roles = ADMIN_ROLES

    def get_queryset(self):
        return Membership.objects.filter(region=self.region).select_related("user").order_by("id")
