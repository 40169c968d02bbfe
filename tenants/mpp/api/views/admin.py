"""``/api/v1/mpp/admin/``: the region's console as an API. Staff of this region only
(``RegionStaffAPI``): reads for every staff role, writes for DPMPTSP admins; anyone else gets 404.
"""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from kernel.errors import NotFoundError
from shared.access.api import RegionalAPIMixin, RegionalAPIView, RegionalViewSet
from shared.accounts.models import ADMIN_ROLES, STAFF_ROLES, Membership
from shared.catalogue.models import Agency
from tenants.mpp import selectors
from tenants.mpp.api import serializers as s
from tenants.mpp.models import Announcement, Booth, Closure, Counter, Offering, OpeningHours
from tenants.mpp.services import booths as booth_services
from tenants.mpp.services import counters as counter_services
from tenants.mpp.services import info as info_services
from tenants.mpp.services import offerings as offering_services
from tenants.mpp.services import staff as staff_services


def _get(access, **kwargs):
    try:
        return access(**kwargs)
    except NotFoundError as exc:
        raise NotFound(exc.message) from exc


class ReadForStaffWriteForAdmin(RegionalAPIMixin):
    """Safe methods for every staff role of this region; writes for DPMPTSP admins only."""

    allowed_roles: tuple[str, ...] = STAFF_ROLES
    write_roles = ADMIN_ROLES


# --- admin ---------------------------------------------------------------------------------------


@extend_schema(tags=["region-admin"])
class BoothViewSet(ReadForStaffWriteForAdmin, RegionalViewSet):
    serializer_class = s.BoothSerializer
    pagination_class = None

    def get_queryset(self):
        return Booth.objects.select_related("agency", "local_agency").order_by("number")

    def list(self, request):
        return Response(s.BoothSerializer(self.get_queryset(), many=True).data)

    def retrieve(self, request, pk=None):
        booth = _get(booth_services.access_booth, booth_id=pk)
        data = s.BoothSerializer(booth).data
        own = selectors.hours_by_weekday(OpeningHours.objects.filter(booth=booth))
        data["own_hours"] = bool(own)
        data["hours"] = s.weekly_json(own or selectors.mpp_weekly_hours())
        return Response(data)

    @extend_schema(request=s.BoothCreateInput)
    def create(self, request):
        data = _valid(s.BoothCreateInput, request.data)
        local_agency = data.get("local_agency")
        if (data.pop("new_local_agency", "") or "").strip():
            local_agency = booth_services.local_agency_create(
                actor=request.user, name=request.data["new_local_agency"]
            )
        booth = booth_services.booth_create(
            actor=request.user,
            agency=data.get("agency"),
            local_agency=local_agency,
            number=data["number"],
            name=data["name"],
            location=data["location"],
            description=data["description"],
            is_active=data["is_active"],
        )
        return Response(s.BoothSerializer(booth).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.BoothUpdateInput)
    def partial_update(self, request, pk=None):
        booth = _get(booth_services.access_booth, booth_id=pk)
        data = _valid(s.BoothUpdateInput, request.data)
        booth = booth_services.booth_update(actor=request.user, booth=booth, **data)
        return Response(s.BoothSerializer(booth).data)

    @extend_schema(request=s.HoursInput)
    @action(detail=True, methods=["put"])
    def hours(self, request, pk=None):
        booth = _get(booth_services.access_booth, booth_id=pk)
        hours_input = s.HoursInput(data=request.data)
        hours_input.is_valid(raise_exception=True)
        booth_services.hours_set(actor=request.user, booth=booth, hours=hours_input.hours())
        return Response(s.weekly_json(selectors.booth_weekly_hours(booth)))


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


@extend_schema(tags=["region-admin"])
class MppHoursView(ReadForStaffWriteForAdmin, RegionalAPIView):
    """The MPP building's weekly hours."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return Response(s.weekly_json(selectors.mpp_weekly_hours()))

    @extend_schema(request=s.HoursInput, responses=OpenApiTypes.OBJECT)
    def put(self, request):
        hours_input = s.HoursInput(data=request.data)
        hours_input.is_valid(raise_exception=True)
        booth_services.hours_set(actor=request.user, hours=hours_input.hours())
        return Response(s.weekly_json(selectors.mpp_weekly_hours()))


@extend_schema(tags=["region-admin"])
class ClosureViewSet(ReadForStaffWriteForAdmin, RegionalViewSet):
    serializer_class = s.ClosureSerializer

    def get_queryset(self):
        return Closure.objects.order_by("-start_date", "-id")

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.ClosureSerializer(page, many=True).data)

    @extend_schema(request=s.ClosureSerializer)
    def create(self, request):
        data = _valid(s.ClosureSerializer, request.data)
        closure = booth_services.closure_create(
            actor=request.user,
            start_date=data["start_date"],
            end_date=data.get("end_date"),
            reason=data["reason"],
            booth=data.get("booth"),
        )
        return Response(s.ClosureSerializer(closure).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, pk=None):
        closure = _get(booth_services.access_closure, closure_id=pk)
        booth_services.closure_delete(actor=request.user, closure=closure)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["region-admin"])
class OfferingViewSet(ReadForStaffWriteForAdmin, RegionalViewSet):
    """Adopted and local offerings. POST adopts a national service; PATCH sets overrides;
    DELETE drops the offering."""

    serializer_class = s.AdminOfferingSerializer

    def get_queryset(self):
        return Offering.objects.select_related("service").order_by("code")

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.AdminOfferingSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        offering = _get(offering_services.access_offering, offering_id=pk)
        data = s.AdminOfferingSerializer(offering).data
        if offering.is_active:
            loaded = selectors.offerings_for_standard(Offering.objects.filter(pk=offering.pk)).get()
            data["standard"] = s.StandardSerializer(
                selectors.offering_effective_standard(loaded)
            ).data
        return Response(data)

    @extend_schema(request=s.AdoptInput)
    def create(self, request):
        data = _valid(s.AdoptInput, request.data)
        offering = offering_services.offering_adopt(
            actor=request.user, service=data["service"], booth=data.get("booth")
        )
        return Response(s.AdminOfferingSerializer(offering).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.OverridesInput)
    def partial_update(self, request, pk=None):
        offering = _get(offering_services.access_offering, offering_id=pk)
        data = _valid(s.OverridesInput, request.data)
        if "requirements" in data:
            data["requirements"] = [dict(r) for r in data["requirements"]]
        offering = offering_services.offering_update_overrides(
            actor=request.user, offering=offering, **data
        )
        return Response(s.AdminOfferingSerializer(offering).data)

    def destroy(self, request, pk=None):
        offering = _get(offering_services.access_offering, offering_id=pk)
        offering_services.offering_drop(actor=request.user, offering=offering)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["get"])
    def changes(self, request, pk=None):
        """National versions since the one this MPP last acknowledged."""
        offering = _get(offering_services.access_offering, offering_id=pk)
        return Response(
            [
                {
                    "number": c.number,
                    "changed_fields": list(c.changed_fields),
                    "overridden_here": list(c.overridden_here),
                    "created_at": c.created_at,
                }
                for c in selectors.offering_national_changes(offering)
            ]
        )

    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        offering = _get(offering_services.access_offering, offering_id=pk)
        offering = offering_services.offering_acknowledge(actor=request.user, offering=offering)
        return Response(s.AdminOfferingSerializer(offering).data)

    @extend_schema(request=s.HoursInput)
    @action(detail=True, methods=["put"])
    def hours(self, request, pk=None):
        offering = _get(offering_services.access_offering, offering_id=pk)
        hours_input = s.HoursInput(data=request.data)
        hours_input.is_valid(raise_exception=True)
        booth_services.hours_set(actor=request.user, offering=offering, hours=hours_input.hours())
        return Response(s.weekly_json(selectors.offering_weekly_hours(offering)))


def _local_kwargs(data: dict) -> dict:
    data = dict(data)
    data["requirements"] = [dict(r) for r in data.get("requirements", [])]
    if "life_events" in data:
        data["life_event_ids"] = [e.pk for e in data.pop("life_events")]
    return data


@extend_schema(tags=["region-admin"])
class LocalServiceViewSet(RegionalViewSet):
    """Local-only services (admins). Read them through ``offerings``."""

    allowed_roles = ADMIN_ROLES
    serializer_class = s.AdminOfferingSerializer
    queryset = Offering.objects.none()  # for the schema; writes go through the services

    @extend_schema(request=s.LocalServiceInput)
    def create(self, request):
        data = _local_kwargs(_valid(s.LocalServiceInput, request.data))
        is_active = data.pop("is_active")
        offering = offering_services.local_service_create(actor=request.user, **data)
        if not is_active:
            offering_services.local_service_update(
                actor=request.user, offering=offering, is_active=False
            )
        return Response(s.AdminOfferingSerializer(offering).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.LocalServiceInput)
    def partial_update(self, request, pk=None):
        offering = _get(offering_services.access_offering, offering_id=pk)
        serializer = s.LocalServiceInput(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = _local_kwargs(
            {k: v for k, v in serializer.validated_data.items() if k in request.data}
        )
        if "requirements" not in request.data:
            data.pop("requirements", None)
        data.pop("agency", None)
        data.pop("local_agency", None)
        offering = offering_services.local_service_update(
            actor=request.user, offering=offering, **data
        )
        return Response(s.AdminOfferingSerializer(offering).data)


@extend_schema(tags=["region-admin"])
class NationalCatalogueView(RegionalAPIView):
    """National services this MPP can adopt (``?q=`` words, ``?agency=`` code)."""

    allowed_roles = ADMIN_ROLES

    @extend_schema(responses=s.NationalServiceSerializer(many=True))
    def get(self, request):
        agency = None
        if request.query_params.get("agency"):
            agency = Agency.objects.filter(code=request.query_params["agency"]).first()
            if agency is None:
                return Response([])
        services = list(
            selectors.search_national_services((request.query_params.get("q") or "")[:100], agency)[
                :50
            ]
        )
        offered = dict(
            Offering.objects.filter(service_id__in=[x.pk for x in services]).values_list(
                "service_id", "is_active"
            )
        )
        for x in services:
            x.offered_state = (
                "active" if offered.get(x.pk) else "dropped" if x.pk in offered else ""
            )
        return Response(s.NationalServiceSerializer(services, many=True).data)


@extend_schema(tags=["region-admin"])
class CounterViewSet(ReadForStaffWriteForAdmin, RegionalViewSet):
    serializer_class = s.CounterSerializer
    pagination_class = None

    def get_queryset(self):
        return Counter.objects.prefetch_related(
            Prefetch("offerings", queryset=Offering.objects.only("pk"))
        ).order_by("number")

    def list(self, request):
        return Response(s.CounterSerializer(self.get_queryset(), many=True).data)

    def retrieve(self, request, pk=None):
        return Response(
            s.CounterSerializer(_get(counter_services.access_counter, counter_id=pk)).data
        )

    @extend_schema(request=s.CounterInput)
    def create(self, request):
        data = _valid(s.CounterInput, request.data)
        is_active = data.pop("is_active")
        counter = counter_services.counter_create(actor=request.user, **data)
        if not is_active:
            counter_services.counter_update(actor=request.user, counter=counter, is_active=False)
        return Response(s.CounterSerializer(counter).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.CounterInput)
    def partial_update(self, request, pk=None):
        counter = _get(counter_services.access_counter, counter_id=pk)
        serializer = s.CounterInput(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = {k: v for k, v in serializer.validated_data.items() if k in request.data}
        counter = counter_services.counter_update(actor=request.user, counter=counter, **data)
        return Response(s.CounterSerializer(counter).data)


@extend_schema(tags=["region-admin"])
class StaffViewSet(RegionalViewSet):
    """Staff of this MPP (DPMPTSP admins only)."""

    allowed_roles = ADMIN_ROLES
    serializer_class = s.StaffSerializer
    pagination_class = None
    queryset = Membership.objects.none()  # for the schema; reads go through the selectors

    def list(self, request):
        return Response(s.StaffSerializer(selectors.staff_members(), many=True).data)

    def _member(self, pk):
        membership = _get(staff_services.access_membership, membership_id=pk)
        booths = Booth.objects.filter(staff_assignments__user_id=membership.user_id)
        return selectors.StaffMember(membership, tuple(booths))

    def retrieve(self, request, pk=None):
        return Response(s.StaffSerializer(self._member(pk)).data)

    @extend_schema(request=s.StaffInviteInput)
    def create(self, request):
        data = _valid(s.StaffInviteInput, request.data)
        membership = staff_services.staff_invite(actor=request.user, **data)
        return Response(
            s.StaffSerializer(self._member(membership.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=s.StaffUpdateInput)
    def partial_update(self, request, pk=None):
        membership = _get(staff_services.access_membership, membership_id=pk)
        data = _valid(s.StaffUpdateInput, request.data)
        staff_services.staff_update(actor=request.user, membership=membership, **data)
        return Response(s.StaffSerializer(self._member(pk)).data)

    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        membership = _get(staff_services.access_membership, membership_id=pk)
        staff_services.staff_deactivate(actor=request.user, membership=membership)
        return Response(s.StaffSerializer(self._member(pk)).data)

    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        membership = _get(staff_services.access_membership, membership_id=pk)
        staff_services.staff_reactivate(actor=request.user, membership=membership)
        return Response(s.StaffSerializer(self._member(pk)).data)


@extend_schema(tags=["region-admin"])
class GeneralInfoView(ReadForStaffWriteForAdmin, RegionalAPIView):
    serializer_class = s.GeneralInfoSerializer

    def get(self, request):
        return Response(s.GeneralInfoSerializer(selectors.general_info()).data)

    def patch(self, request):
        serializer = s.GeneralInfoSerializer(
            selectors.general_info(), data=request.data, partial=True
        )
        serializer.is_valid(raise_exception=True)
        info = info_services.general_info_update(
            actor=request.user,
            **{k: v for k, v in serializer.validated_data.items() if k in request.data},
        )
        return Response(s.GeneralInfoSerializer(info).data)


@extend_schema(tags=["region-admin"])
class AnnouncementViewSet(ReadForStaffWriteForAdmin, RegionalViewSet):
    serializer_class = s.AnnouncementSerializer
    allowed_roles = ADMIN_ROLES

    def get_queryset(self):
        return Announcement.objects.all()

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.AnnouncementSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(
            s.AnnouncementSerializer(
                _get(info_services.access_announcement, announcement_id=pk)
            ).data
        )

    def create(self, request):
        data = _valid(s.AnnouncementSerializer, request.data)
        announcement = info_services.announcement_create(actor=request.user, **data)
        return Response(s.AnnouncementSerializer(announcement).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        announcement = _get(info_services.access_announcement, announcement_id=pk)
        serializer = s.AnnouncementSerializer(announcement, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        announcement = info_services.announcement_update(
            actor=request.user,
            announcement=announcement,
            **{k: v for k, v in serializer.validated_data.items() if k in request.data},
        )
        return Response(s.AnnouncementSerializer(announcement).data)

    def destroy(self, request, pk=None):
        announcement = _get(info_services.access_announcement, announcement_id=pk)
        info_services.announcement_delete(actor=request.user, announcement=announcement)
        return Response(status=status.HTTP_204_NO_CONTENT)
