"""The API bases of the four audiences (PostHog-style: scoped unless declared otherwise).

Every DRF view of both sites derives from exactly one of :class:`RegionStaffAPI`,
:class:`CitizenAPI`, :class:`PublicAPI`, :class:`SuperadminAPI` (or a ready-made class below),
listed *before* DRF's classes. The audience's gate is a permission class that calls the same
predicate as the pages (``shared.access.policy.refusal``); redefining ``permission_classes`` or
the methods around it fails at import (``shared.access.gate``).

Refusals: staff endpoints answer 404 to everyone who is not staff of *this* region (another
region's endpoints do not exist for you, pretix); citizen and superadmin endpoints ask anonymous
callers to authenticate; a suspended region's staff get 403 with the reason.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import generics, permissions, viewsets
from rest_framework.exceptions import NotAuthenticated, NotFound, PermissionDenied
from rest_framework.views import APIView

from shared.access.gate import Gated
from shared.access.policy import Audience, Refusal, refusal


class AudienceGate(permissions.BasePermission):
    """The one permission class of every API view: the view's access rule, decided by
    ``refusal``."""

    def has_permission(self, request, view) -> bool:
        rule = view.access_rule
        answer = refusal(request, rule)
        if answer is None:
            return True
        if answer is Refusal.SUSPENDED:
            raise PermissionDenied(_("MPP daerah ini ditangguhkan; akses petugas dihentikan."))
        if answer is Refusal.SIGN_IN and rule.for_method(request.method).audience in (
            Audience.CITIZEN,
            Audience.SUPERADMIN,
        ):
            raise NotAuthenticated()
        if answer is Refusal.NOT_PERMITTED:
            raise PermissionDenied()
        raise NotFound(_("Tidak ditemukan."))


class GatedAPI(Gated):
    """What the four API bases share; not a base for views itself."""

    gate_names: ClassVar[frozenset[str]] = Gated.gate_names | {
        "permission_classes",
        "get_permissions",
        "check_permissions",
        "initial",
        # The legacy opt-out; a public endpoint derives from PublicAPI instead.
        "dangerously_skip_membership_check",
    }
    _is_gate = True
    permission_classes = [AudienceGate]

    @property
    def region(self) -> Any:
        return self.request.region  # type: ignore[attr-defined]

    @property
    def tenant(self) -> Any:
        return self.request.tenant  # type: ignore[attr-defined]

    def get_object(self) -> Any:
        try:
            return super().get_object()  # type: ignore[misc]
        except Http404 as exc:
            raise NotFound(_("Tidak ditemukan.")) from exc


class RegionStaffAPI(GatedAPI):
    """Staff of *this* region with one of ``allowed_roles`` (writes: ``write_roles`` if set)."""

    _is_gate = True
    audience = Audience.REGION_STAFF


class CitizenAPI(GatedAPI):
    """Any signed-in account, on a region's host unless ``host`` says otherwise."""

    _is_gate = True
    audience = Audience.CITIZEN


class PublicAPI(GatedAPI):
    """Everyone, on a region's host unless ``host`` says otherwise; with a ``device``, only a
    registered device of this region (or its staff)."""

    _is_gate = True
    audience = Audience.PUBLIC


class SuperadminAPI(GatedAPI):
    """National superadmins, on the national site."""

    _is_gate = True
    audience = Audience.SUPERADMIN


# --- ready-made combinations --------------------------------------------------------------------


class RegionalAPIView(RegionStaffAPI, APIView):
    pass


class RegionalGenericAPIView(RegionStaffAPI, generics.GenericAPIView):
    pass


class RegionalViewSet(RegionStaffAPI, viewsets.GenericViewSet):
    pass


class RegionalModelViewSet(RegionStaffAPI, viewsets.ModelViewSet):
    pass


# The name most staff endpoints already use.
RegionalAPIMixin = RegionStaffAPI


class CitizenAPIView(CitizenAPI, APIView):
    pass


class PublicAPIView(PublicAPI, APIView):
    pass


class SuperadminAPIView(SuperadminAPI, APIView):
    pass
