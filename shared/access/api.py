"""Base classes for API views. Regional endpoints are scoped by default (PostHog-style):
authentication and a membership of *this* region are checked unless a view opts out with an
attribute named ``dangerously_*`` so that every opt-out can be grepped."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import generics, permissions, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.views import APIView

from shared.accounts.models import STAFF_ROLES
from shared.accounts.selectors import membership_for


class RegionMemberPermission(permissions.BasePermission):
    """Authenticated, and a member of the request's region with one of the view's roles.

    Failing answers 404, not 403: another region's endpoints do not exist for you (pretix).
    National superadmins pass, so KemenPANRB can support a region.
    """

    def has_permission(self, request, view) -> bool:
        region = getattr(request, "region", None)
        if region is None:
            raise NotFound(_("Tidak ditemukan."))
        if getattr(view, "dangerously_skip_membership_check", False):
            return True
        user = request.user
        if not user or not user.is_authenticated:
            raise NotFound(_("Tidak ditemukan."))
        if user.is_superadmin:
            return True
        membership = membership_for(user, region)
        if membership is None or membership.role not in view.allowed_roles:
            raise NotFound(_("Tidak ditemukan."))
        if request.tenant.is_suspended:
            raise PermissionDenied(_("MPP daerah ini ditangguhkan; akses petugas dihentikan."))
        request.membership = membership
        return True


class RegionalAPIMixin:
    """Mixin for every endpoint served on a region's host."""

    permission_classes = [RegionMemberPermission]
    allowed_roles: tuple[str, ...] = STAFF_ROLES
    dangerously_skip_membership_check = False

    @property
    def region(self):
        return self.request.region

    @property
    def tenant(self):
        return self.request.tenant

    def get_object(self):
        try:
            return super().get_object()
        except Http404 as exc:
            raise NotFound(_("Tidak ditemukan.")) from exc


class RegionalAPIView(RegionalAPIMixin, APIView):
    pass


class RegionalGenericAPIView(RegionalAPIMixin, generics.GenericAPIView):
    pass


class RegionalViewSet(RegionalAPIMixin, viewsets.GenericViewSet):
    pass


class RegionalModelViewSet(RegionalAPIMixin, viewsets.ModelViewSet):
    pass


class IsSuperadmin(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.is_superadmin)


class IsSuperadminOrReadOnly(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user and request.user.is_authenticated and request.user.is_superadmin)
