"""Onboarding through the API (national site, superadmins only). POSTs that create or start
something honour ``Idempotency-Key`` (kernel.idempotency)."""

from django.db.models import Case, Value, When
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from kernel.errors import problem
from kernel.idempotency import idempotent
from onboarding import bulk, selectors, services
from onboarding.actions import run_action
from onboarding.api import serializers as s
from onboarding.models import BulkBatch, Onboarding, ReadinessIndicator, Stage
from shared.access.api import SuperadminAPI, SuperadminAPIView
from shared.regions.models import Region

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    "Idempotency-Key",
    location=OpenApiParameter.HEADER,
    required=False,
    description="Kunci unik per permintaan; mengulang dengan kunci yang sama memutar ulang "
    "jawaban pertama.",
)


def _onboarding(code: str) -> Onboarding:
    region = get_object_or_404(Region, code=code)
    onboarding = selectors.onboarding_for(region)
    if onboarding is None:
        raise NotFound("Daerah ini belum memulai onboarding.")
    return onboarding


def _detail(onboarding: Onboarding, request) -> dict:
    onboarding = (
        Onboarding.objects.select_related("region__province")
        .prefetch_related("readiness_values__indicator", "documents")
        .get(pk=onboarding.pk)
    )
    return s.OnboardingDetailSerializer(onboarding, context={"request": request}).data


@extend_schema(tags=["onboarding"])
class RegionListView(SuperadminAPI, generics.ListAPIView):
    """Onboardings by region, filterable by province (``provinsi``) and stage (``tahap``).
    POST records a signed commitment (multipart when it carries the PDF)."""

    serializer_class = s.OnboardingSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        qs = Onboarding.objects.select_related("region__province").order_by(
            "region__code",
            Case(When(stage=Stage.OFFBOARDED, then=Value(1)), default=Value(0)),
        )
        province = self.request.query_params.get("provinsi")
        stage = self.request.query_params.get("tahap")
        if province:
            qs = qs.filter(region__province_id=province)
        if stage:
            qs = qs.filter(stage=stage)
        return qs

    @extend_schema(
        request=s.OnboardingCommitSerializer,
        responses={201: s.OnboardingDetailSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    @idempotent
    def post(self, request):
        serializer = s.OnboardingCommitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        onboarding = services.onboarding_commit(actor=request.user, **serializer.validated_data)
        return Response(_detail(onboarding, request), status=status.HTTP_201_CREATED)


@extend_schema(tags=["onboarding"], responses=s.OnboardingDetailSerializer)
class RegionDetailView(SuperadminAPIView):
    def get(self, request, code):
        return Response(_detail(_onboarding(code), request))


@extend_schema(tags=["onboarding"])
class DocumentUploadView(SuperadminAPIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request=s.OnboardingDocumentUploadSerializer,
        responses={201: s.OnboardingDocumentSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    @idempotent
    def post(self, request, code):
        onboarding = _onboarding(code)
        serializer = s.OnboardingDocumentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document = services.document_attach(
            actor=request.user,
            onboarding=onboarding,
            kind=serializer.validated_data["kind"],
            uploaded=serializer.validated_data["document"],
        )
        return Response(
            s.OnboardingDocumentSerializer(document, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema(tags=["onboarding"])
class ReadinessView(SuperadminAPIView):
    @extend_schema(request=s.OnboardingReadinessSerializer, responses=s.OnboardingDetailSerializer)
    def put(self, request, code):
        onboarding = _onboarding(code)
        serializer = s.OnboardingReadinessSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = {
            entry["indicator"].pk: {
                "value": entry.get("value"),
                "evidence": entry.get("evidence", ""),
            }
            for entry in serializer.validated_data["values"]
        }
        services.readiness_record(actor=request.user, onboarding=onboarding, values=values)
        return Response(_detail(onboarding, request))


ACTION_SERIALIZERS: dict[str, type[serializers.Serializer]] = {
    "assess": s.OnboardingEmptySerializer,
    "reject": s.OnboardingReasonSerializer,
    "reopen": s.OnboardingNoteSerializer,
    "designate": s.OnboardingDesignateSerializer,
    "provision": s.OnboardingProvisionSerializer,
    "retry": s.OnboardingEmptySerializer,
    "suspend": s.OnboardingSuspendSerializer,
    "reinstate": s.OnboardingNoteSerializer,
    "offboard": s.OnboardingOffboardSerializer,
}
BACKGROUND = {"provision", "retry", "offboard"}


@extend_schema(tags=["onboarding"])
class RegionActionView(SuperadminAPIView):
    """A stage transition: assess, reject, reopen, designate, provision, retry, suspend,
    reinstate or offboard. Provisioning and offboarding answer 202 and run in the background."""

    @extend_schema(
        operation_id="onboarding_regions_action",
        request=s.OnboardingDesignateSerializer,
        responses={200: s.OnboardingDetailSerializer, 202: s.OnboardingDetailSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    @idempotent
    def post(self, request, code, action):
        if action not in ACTION_SERIALIZERS:
            raise NotFound
        onboarding = _onboarding(code)
        serializer = ACTION_SERIALIZERS[action](data=request.data)
        serializer.is_valid(raise_exception=True)
        onboarding = run_action(
            action=action, actor=request.user, onboarding=onboarding, data=serializer.validated_data
        )
        return Response(
            _detail(onboarding, request),
            status=status.HTTP_202_ACCEPTED if action in BACKGROUND else status.HTTP_200_OK,
        )


@extend_schema(tags=["onboarding"], responses=s.OnboardingProgressSerializer)
class ProgressView(SuperadminAPIView):
    """What the console's progress bar polls."""

    def get(self, request, code):
        return Response(selectors.progress(_onboarding(code)))


@extend_schema(tags=["onboarding"], responses=s.OnboardingTimelineEntrySerializer(many=True))
class TimelineView(SuperadminAPIView):
    def get(self, request, code):
        entries = selectors.timeline(_onboarding(code))
        return Response(s.OnboardingTimelineEntrySerializer(entries, many=True).data)


@extend_schema(tags=["onboarding"])
class IndicatorListView(SuperadminAPI, generics.ListCreateAPIView):
    serializer_class = s.ReadinessIndicatorSerializer
    pagination_class = None
    queryset = ReadinessIndicator.objects.all()

    @extend_schema(parameters=[IDEMPOTENCY_PARAMETER])
    @idempotent
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        indicator = services.indicator_create(
            actor=request.user,
            code=data["code"],
            name=data["name"],
            kind=data["kind"],
            threshold=data.get("threshold"),
            description=data.get("description", ""),
            position=data.get("position", 0),
        )
        return Response(self.get_serializer(indicator).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["onboarding"])
class IndicatorDetailView(SuperadminAPI, generics.RetrieveUpdateAPIView):
    serializer_class = s.ReadinessIndicatorSerializer
    queryset = ReadinessIndicator.objects.all()
    http_method_names = ["get", "patch", "head", "options"]

    def perform_update(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k != "code"}
        serializer.instance = services.indicator_update(
            actor=self.request.user, indicator=serializer.instance, **data
        )


@extend_schema(tags=["onboarding"])
class BulkView(SuperadminAPIView):
    """Bulk onboarding from a CSV: 400 with every bad row (nothing applied) or 201 with the
    batch, whose regions then provision in the background."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request=s.OnboardingBulkUploadSerializer,
        responses={201: s.OnboardingBatchSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    @idempotent
    def post(self, request):
        serializer = s.OnboardingBulkUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        if upload.size > bulk.MAX_BYTES:
            raise ValidationError({"file": ["Berkas terlalu besar (maksimal 1 MB)."]})
        validation = bulk.bulk_validate(upload.read())
        if not validation.ok:
            # Problem details; the file's errors by row and column in the "rows" member.
            return problem(
                status_code=status.HTTP_400_BAD_REQUEST,
                code="invalid_rows",
                detail=str(_("Berkas tidak valid; tidak ada yang diterapkan.")),
                extra={"rows": [e.as_dict() for e in validation.errors]},
            )
        batch = bulk.bulk_apply(actor=request.user, validation=validation, file_name=upload.name)
        skipped = [row.as_dict() for row in validation.skipped]
        if batch is None:
            # Every region is live or on its way: a re-run of the decree changes nothing.
            return Response(
                {
                    "batch": None,
                    "regions": 0,
                    "live": 0,
                    "failed": 0,
                    "failed_regions": [],
                    "percent": 100,
                    "done": True,
                    "skipped": skipped,
                    "detail": _("Tidak ada yang perlu dilakukan."),
                },
                status=status.HTTP_200_OK,
            )
        return Response(
            {**selectors.batch_progress(batch), "skipped": skipped},
            status=status.HTTP_201_CREATED,
        )


@extend_schema(tags=["onboarding"], responses=s.OnboardingBatchSerializer)
class BatchView(SuperadminAPIView):
    def get(self, request, pk):
        return Response(selectors.batch_progress(get_object_or_404(BulkBatch, pk=pk)))
