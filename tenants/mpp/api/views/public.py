"""The region's public site as data: status, offerings and their standards, booths, information.
Everyone, on the region's host (``PublicAPI``).
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from shared.access.api import PublicAPI
from tenants.mpp import selectors
from tenants.mpp.api import serializers as s
from tenants.mpp.models import Announcement, Offering

# --- public ------------------------------------------------------------------------------------


@extend_schema(tags=["region-public"], responses=s.StatusSerializer)
class PublicStatusView(PublicAPI, APIView):
    """Open or closed now, and why."""

    authentication_classes: list = []  # public: no session needed

    def get(self, request):
        return Response(s.StatusSerializer(selectors.mpp_status()).data)


@extend_schema(tags=["region-public"])
class PublicOfferingViewSet(PublicAPI, viewsets.GenericViewSet):
    """The services offered in this MPP and each one's full published standard."""

    authentication_classes: list = []  # public: no session needed
    lookup_field = "code"
    pagination_class = None
    queryset = Offering.objects.none()  # for the schema; reads go through the selectors

    @extend_schema(responses=s.PublicOfferingSerializer(many=True))
    def list(self, request):
        return Response(s.PublicOfferingSerializer(selectors.public_offerings(), many=True).data)

    @extend_schema(responses=s.StandardSerializer)
    def retrieve(self, request, code=None):
        offering = (
            selectors.offerings_for_standard(Offering.objects.active()).filter(code=code).first()
        )
        if offering is None:
            raise NotFound()
        standard = selectors.offering_effective_standard(offering)
        data = s.StandardSerializer(standard).data
        data["hours"] = s.weekly_json(selectors.offering_weekly_hours(offering))
        return Response(data)


@extend_schema(tags=["region-public"])
class PublicBoothListView(PublicAPI, APIView):
    authentication_classes: list = []  # public: no session needed

    @extend_schema(responses=s.BoothSerializer(many=True))
    def get(self, request):
        out = []
        for booth in selectors.public_booths():
            row = s.BoothSerializer(booth.booth).data
            row["hours"] = [
                {
                    "label": str(label),
                    "intervals": [
                        {"opens_at": o.strftime("%H:%M"), "closes_at": c.strftime("%H:%M")}
                        for o, c in intervals
                    ],
                }
                for label, intervals in booth.weekly
            ]
            out.append(row)
        return Response(out)


@extend_schema(tags=["region-public"])
class PublicInfoView(PublicAPI, APIView):
    """General information, today's status, days off ahead and current announcements."""

    authentication_classes: list = []  # public: no session needed

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return Response(
            {
                "info": s.GeneralInfoSerializer(selectors.general_info()).data,
                "status": s.StatusSerializer(selectors.mpp_status()).data,
                "hours": s.weekly_json(selectors.mpp_weekly_hours()),
                "days_off": [
                    {
                        "start": d["start"],
                        "end": d["end"],
                        "reason": d["reason"],
                        "kind": str(d["kind"]),
                        "booth": d["booth"].pk if d["booth"] else None,
                    }
                    for d in selectors.upcoming_days_off(120)
                ],
                "announcements": s.AnnouncementSerializer(
                    Announcement.objects.published(), many=True
                ).data,
            }
        )
