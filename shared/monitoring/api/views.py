"""Monitoring API: national figures for superadmins (national host) and the region's own
figures for its DPMPTSP admin (region host). Same selectors as the pages."""

from __future__ import annotations

from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from shared.access.api import RegionalAPIView, SuperadminAPIView
from shared.accounts.models import ADMIN_ROLES
from shared.monitoring import rollups, selectors

PERIOD_PARAMS = [
    OpenApiParameter("start", str, description="TTTT-BB-HH"),
    OpenApiParameter("end", str, description="TTTT-BB-HH"),
    OpenApiParameter("days", int, description="hari terakhir (bila tanpa start/end)"),
]


def _period(request):
    return selectors.parse_period(request.query_params)


def _clean(value):
    if isinstance(value, float):
        return round(value, 2)
    return value


def _figures(figures: dict) -> dict:
    return {k: _clean(v) for k, v in figures.items()}


def _series(series: dict) -> dict:
    return {
        "bucket": series["bucket"],
        "points": [{**_figures(p), "date": p["date"].isoformat()} for p in series["points"]],
    }


class NationalSummaryAPI(SuperadminAPIView):
    """Headline figures with the previous period, the time series and the provinces."""

    @extend_schema(parameters=[*PERIOD_PARAMS, OpenApiParameter("province", str)], responses=dict)
    def get(self, request):
        with selectors.one_version():
            return self._summary(request)

    def _summary(self, request):
        period = _period(request)
        province = selectors.parse_province(request.query_params.get("province"))
        code = province.code if province else ""
        # The payload is a pure function of the roll-ups, the period and the language: built
        # once per roll-up version (see selectors.cached), like the page's fragments.
        payload = selectors.cached(
            f"api:summary:{get_language()}:{period.start}:{period.end}:{code}",
            lambda: _summary_payload(period, province),
        )
        return Response(payload)


def _summary_payload(period, province) -> dict:
    data = selectors.dashboard_data(period, province)
    regions = data["regions"]
    return {
        "start": period.start,
        "end": period.end,
        "province": province.code if province else None,
        "regions": len(regions),
        "headline": [
            {k: _clean(v) for k, v in h.items() if k != "label"} | {"label": h["label"]}
            for h in selectors.headline(period, province, totals=data["totals"])
        ],
        "series": _series(data["series"]),
        "provinces": [
            {
                "code": p["code"],
                "name": p["name"],
                "regions": p["regions"],
                "flagged": p["flagged"],
                "figures": _figures(p["figures"]),
            }
            for p in data["provinces"]
        ],
    }


class NationalRegionsAPI(SuperadminAPIView):
    """Every live region with its figures and attention flags (filter, sort)."""

    @extend_schema(
        parameters=[
            *PERIOD_PARAMS,
            OpenApiParameter("province", str),
            OpenApiParameter("q", str),
            OpenApiParameter("flag", str),
            OpenApiParameter("sort", str),
        ],
        responses=dict,
    )
    def get(self, request):
        period = _period(request)
        province = selectors.parse_province(request.query_params.get("province"))
        p = request.query_params
        rows = selectors.filter_sort(
            selectors.dashboard_data(period, province)["regions"],
            q=p.get("q", ""),
            flag=p.get("flag", ""),
            sort=p.get("sort", "code"),
        )
        return Response(
            {
                "start": period.start,
                "end": period.end,
                "count": len(rows),
                "results": [
                    {
                        "code": r.code,
                        "name": r.name,
                        "province": r.province_code,
                        "flags": r.flags,
                        "score": _clean(r.score),
                        "figures": _figures(r.figures),
                    }
                    for r in rows
                ],
            }
        )


class RollupRequestSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    region = serializers.CharField(required=False, allow_blank=True, max_length=5)


class RollupRequestAPI(SuperadminAPIView):
    @extend_schema(request=RollupRequestSerializer, responses=dict)
    def post(self, request):
        s = RollupRequestSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        job = rollups.rollup_request(
            actor=request.user,
            start=s.validated_data["start"],
            end=s.validated_data["end"],
            region_code=s.validated_data.get("region", ""),
        )
        return Response(rollups.job_progress(job), status=status.HTTP_202_ACCEPTED)


class RegionOwnAPI(RegionalAPIView):
    """This MPP's figures beside the national median (its DPMPTSP admin)."""

    allowed_roles = ADMIN_ROLES

    @extend_schema(parameters=PERIOD_PARAMS, responses=dict)
    def get(self, request):
        from shared.monitoring.views.national import region_context

        period = _period(request)
        context = region_context(request.region, period)
        return Response(
            {
                "region": request.region.code,
                "start": period.start,
                "end": period.end,
                "flags": context["row"].flags if context["row"] else [],
                "figures": [
                    {
                        "key": c["key"],
                        "label": str(c["label"]),
                        "value": _clean(c["value"]),
                        "national_median": _clean(c["median"]),
                    }
                    for c in context["compare"]
                ],
            }
        )
