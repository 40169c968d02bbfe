"""``/api/v1/catalogue/``: the national catalogue, on the national and every region's host.

Everyone (anonymous included) reads; only national superadmins write, and only on the national
host (a write is national data and is audited in the national log). Writes go through
``catalogue.services``, so an API edit is a version like an admin edit or an import.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from shared.access.api import PublicAPI, SuperadminAPI
from shared.access.policy import Audience, Host
from shared.catalogue import exchange, services
from shared.catalogue.api import serializers as s
from shared.catalogue.models import (
    Agency,
    Category,
    DocumentType,
    LifeEvent,
    Service,
    ServiceVersion,
)
from shared.catalogue.search import SearchFilters
from shared.catalogue.selectors import (
    MAX_SEARCH_PAGE,
    attach_live_mpps,
    page_too_far_message,
    service_browse,
    service_search,
    service_version_diff,
    standard_prefetches,
)


class CataloguePagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class CatalogueAPIMixin(PublicAPI):
    """Everyone reads, on every host; superadmins write, on the national site only (a write
    is national data, audited in the national log)."""

    host = Host.ANY
    write_audience = Audience.SUPERADMIN
    pagination_class = CataloguePagination


def _filters(request) -> SearchFilters:
    p = request.query_params
    return SearchFilters(
        agency=p.get("agency") or None,
        category=p.get("category") or None,
        life_event=p.get("life_event") or None,
        province=p.get("province") or None,
    )


FILTER_PARAMETERS = [
    OpenApiParameter("agency", str, description="Kode instansi (termasuk instansi di bawahnya)"),
    OpenApiParameter("category", str, description="Kode kategori"),
    OpenApiParameter("life_event", str, description="Kode peristiwa hidup"),
    OpenApiParameter(
        "province", str, description="Kode provinsi: hanya yang tersedia di MPP aktif provinsi itu"
    ),
]


@extend_schema_view(
    list=extend_schema(
        summary="Daftar layanan standar",
        parameters=[
            *FILTER_PARAMETERS,
            OpenApiParameter("code", str, description="Kode layanan"),
            OpenApiParameter(
                "include_inactive", bool, description="Sertakan layanan nonaktif (superadmin)"
            ),
        ],
    ),
    retrieve=extend_schema(summary="Standar pelayanan lengkap satu layanan"),
    create=extend_schema(
        summary="Tambah layanan (superadmin)", responses=s.ServiceDetailSerializer
    ),
    update=extend_schema(summary="Ubah layanan (superadmin)", responses=s.ServiceDetailSerializer),
    partial_update=extend_schema(
        summary="Ubah sebagian layanan (superadmin)", responses=s.ServiceDetailSerializer
    ),
)
@extend_schema(tags=["catalogue"])
class ServiceViewSet(
    CatalogueAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Standard services. No delete: regions' offerings point at them; set ``is_active`` false."""

    lookup_value_regex = r"\d+"

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return s.ServiceWriteSerializer
        if self.action == "retrieve":
            return s.ServiceDetailSerializer
        return s.ServiceListSerializer

    def _include_inactive(self) -> bool:
        user = self.request.user
        return bool(
            getattr(user, "is_superadmin", False)
            and self.request.query_params.get("include_inactive") in ("1", "true")
        )

    def get_queryset(self):
        if self.action == "list":
            qs = service_browse(_filters(self.request), include_inactive=self._include_inactive())
            if code := self.request.query_params.get("code"):
                qs = qs.filter(code=code)
            return qs
        qs = Service.objects.select_related("agency", "category")
        if self.action == "retrieve":
            qs = qs.prefetch_related(*standard_prefetches())
            if not getattr(self.request.user, "is_superadmin", False):
                qs = qs.filter(is_active=True)
        return qs

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        attach_live_mpps(page, province=request.query_params.get("province") or None)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        service = self.get_object()
        attach_live_mpps([service], limit=None)
        return Response(self.get_serializer(service).data)

    def _detail(self, service: Service) -> Response:
        fresh = (
            Service.objects.filter(pk=service.pk)
            .select_related("agency", "category")
            .prefetch_related(*standard_prefetches())
            .get()
        )
        attach_live_mpps([fresh], limit=None)
        return s.ServiceDetailSerializer(fresh, context=self.get_serializer_context()).data

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        note = data.pop("note", "")
        service = services.service_create(actor=request.user, note=note, **data)
        return Response(self._detail(service), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        service = self.get_object()
        serializer = self.get_serializer(service, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        note = data.pop("note", "")
        service = services.service_update(actor=request.user, service=service, note=note, **data)
        return Response(self._detail(service))

    @extend_schema(summary="Riwayat versi layanan", responses=s.ServiceVersionSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def versions(self, request, pk=None):
        service = get_object_or_404(Service, pk=pk)
        versions = ServiceVersion.objects.filter(service=service).select_related("changed_by")
        return Response(
            s.ServiceVersionSerializer(
                versions.order_by("-number"), many=True, context={"request": request}
            ).data
        )

    @extend_schema(
        summary="Satu versi layanan (snapshot)", responses=s.ServiceVersionDetailSerializer
    )
    @action(detail=True, methods=["get"], url_path=r"versions/(?P<number>\d+)")
    def version(self, request, pk=None, number=None):
        version = get_object_or_404(
            ServiceVersion.objects.select_related("changed_by"), service_id=pk, number=number
        )
        return Response(
            s.ServiceVersionDetailSerializer(version, context={"request": request}).data
        )

    @extend_schema(
        summary="Apa yang berubah antara dua versi",
        parameters=[
            OpenApiParameter(
                "from",
                int,
                required=True,
                description="Versi awal (mis. versi yang terakhir dilihat)",
            ),
            OpenApiParameter("to", int, description="Versi akhir (bawaan: versi sekarang)"),
        ],
        responses=s.ServiceChangesSerializer,
    )
    @action(detail=True, methods=["get"])
    def changes(self, request, pk=None):
        service = get_object_or_404(Service, pk=pk)
        try:
            start = int(request.query_params.get("from", ""))
            end = int(request.query_params.get("to") or service.version)
        except ValueError:
            raise ValidationError({"from": _("Isi nomor versi, mis. ?from=1.")}) from None
        try:
            diff = service_version_diff(service=service, from_number=start, to_number=end)
        except ServiceVersion.DoesNotExist:
            raise NotFound(_("Versi tidak ditemukan.")) from None
        payload = {
            "service": service.pk,
            "from_version": start,
            "to_version": end,
            "changes": [c.__dict__ for c in diff],
        }
        return Response(s.ServiceChangesSerializer(payload).data)


@extend_schema(
    tags=["catalogue"],
    summary="Pencarian layanan nasional",
    description=(
        "Mencari nama layanan, instansi, persyaratan dan sinonim; tahan salah ketik dan variasi "
        "ejaan. Setiap hasil menyebut MPP aktif yang menyediakannya."
    ),
    parameters=[
        OpenApiParameter("q", str, required=True, description='Kata kunci, mis. "buat paspor"'),
        OpenApiParameter("page", int),
        OpenApiParameter("page_size", int, description="Paling banyak 50"),
        *FILTER_PARAMETERS,
    ],
    responses=s.SearchPageSerializer,
)
class ServiceSearchView(CatalogueAPIMixin, APIView):
    def get(self, request):
        query = (request.query_params.get("q") or "").strip()
        if len(query) < 2:
            raise ValidationError({"q": _("Masukkan kata kunci paling sedikit 2 huruf.")})
        try:
            page = max(1, int(request.query_params.get("page") or 1))
            page_size = min(50, max(1, int(request.query_params.get("page_size") or 20)))
        except ValueError:
            raise ValidationError({"page": _("Nomor halaman tidak valid.")}) from None
        if page > MAX_SEARCH_PAGE:
            raise ValidationError({"page": page_too_far_message()})
        result = service_search(
            query=query, filters=_filters(request), page=page, page_size=page_size
        )

        def link(n):
            params = request.query_params.copy()
            params["page"] = n
            return request.build_absolute_uri(request.path + "?" + params.urlencode())

        payload = {
            "count": result.total,
            "page": result.page,
            "pages": result.pages,
            "query": query,
            "corrected": result.corrected,
            "next": link(page + 1) if result.has_next else None,
            "previous": link(page - 1) if result.has_previous else None,
            "results": s.ServiceListSerializer(
                result.results, many=True, context={"request": request}
            ).data,
        }
        return Response(payload)


class _ReferenceViewSet(
    CatalogueAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Reference data: read for everyone, written by superadmins through the services."""

    def perform_create(self, serializer):
        serializer.instance = self.create_through_services(dict(serializer.validated_data))

    def perform_update(self, serializer):
        serializer.instance = self.update_through_services(
            serializer.instance, dict(serializer.validated_data)
        )


@extend_schema(tags=["catalogue"])
class AgencyViewSet(_ReferenceViewSet):
    serializer_class = s.AgencySerializer
    queryset = Agency.objects.select_related("parent").order_by("name")

    @extend_schema(parameters=[OpenApiParameter("kind", str, description="Jenis instansi")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        qs = super().get_queryset()
        if kind := self.request.query_params.get("kind"):
            qs = qs.filter(kind=kind)
        return qs

    def create_through_services(self, data):
        return services.agency_create(actor=self.request.user, **data)

    def update_through_services(self, agency, data):
        return services.agency_update(actor=self.request.user, agency=agency, **data)


@extend_schema(tags=["catalogue"])
class DocumentTypeViewSet(_ReferenceViewSet):
    serializer_class = s.DocumentTypeSerializer
    queryset = DocumentType.objects.order_by("name")

    def create_through_services(self, data):
        return services.document_type_create(actor=self.request.user, **data)

    def update_through_services(self, document_type, data):
        return services.document_type_update(
            actor=self.request.user, document_type=document_type, **data
        )


@extend_schema(tags=["catalogue"])
class CategoryViewSet(_ReferenceViewSet):
    serializer_class = s.CategorySerializer
    queryset = Category.objects.order_by("name")

    def create_through_services(self, data):
        return services.category_save(actor=self.request.user, **data)

    def update_through_services(self, category, data):
        if data.get("code", category.code) != category.code:
            raise ValidationError({"code": _("Kode kategori tidak dapat diubah.")})
        return services.category_save(
            actor=self.request.user, code=category.code, name=data.get("name", category.name)
        )


@extend_schema(tags=["catalogue"])
class LifeEventViewSet(_ReferenceViewSet):
    serializer_class = s.LifeEventSerializer
    queryset = LifeEvent.objects.order_by("name")

    def create_through_services(self, data):
        return services.life_event_save(actor=self.request.user, **data)

    def update_through_services(self, event, data):
        if data.get("code", event.code) != event.code:
            raise ValidationError({"code": _("Kode peristiwa hidup tidak dapat diubah.")})
        return services.life_event_save(
            actor=self.request.user, code=event.code, name=data.get("name", event.name)
        )


def _download(content: str, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_filename(extension: str) -> str:
    return f"katalog-mpp-{timezone.localdate():%Y%m%d}.{extension}"


@extend_schema(
    tags=["catalogue"],
    summary="Ekspor seluruh katalog (JSON)",
    responses={(200, "application/json"): OpenApiTypes.OBJECT},
)
class ExportJSONView(CatalogueAPIMixin, APIView):
    def get(self, request):
        return _download(
            exchange.catalogue_export_json(),
            filename=export_filename("json"),
            content_type="application/json; charset=utf-8",
        )


@extend_schema(
    tags=["catalogue"],
    summary="Ekspor seluruh katalog (CSV, satu baris per layanan)",
    responses={(200, "text/csv"): OpenApiTypes.STR},
)
class ExportCSVView(CatalogueAPIMixin, APIView):
    def get(self, request):
        return _download(
            exchange.catalogue_export_csv(),
            filename=export_filename("csv"),
            content_type="text/csv; charset=utf-8",
        )


@extend_schema(
    tags=["catalogue"],
    summary="Impor katalog (superadmin)",
    description=(
        "Seluruh berkas diperiksa dulu. Bila ada satu baris saja yang salah, tidak ada yang "
        "diterapkan dan laporan menyebut setiap baris yang salah beserta alasannya."
    ),
    request={"multipart/form-data": s.ImportRequestSerializer},
    responses={
        200: s.ImportReportSerializer,
        400: OpenApiResponse(s.ImportReportSerializer, description="Berkas tidak valid"),
    },
)
class ImportView(SuperadminAPI, APIView):
    parser_classes = [MultiPartParser, FormParser]

    def post(self, request):
        form = s.ImportRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data["file"]
        if upload.size > 20 * 1024 * 1024:
            raise ValidationError({"file": _("Berkas paling besar 20 MB.")})
        try:
            report = services.catalogue_import(
                actor=request.user,
                content=upload.read(),
                filename=upload.name or "",
                dry_run=form.validated_data["dry_run"],
            )
        except DjangoValidationError as exc:  # pragma: no cover - reported inside the report
            raise ValidationError({"file": exc.messages}) from None
        return Response(
            s.ImportReportSerializer(report.as_dict()).data,
            status=status.HTTP_200_OK if report.valid else status.HTTP_400_BAD_REQUEST,
        )
