"""The complaints API on a region's host (``/api/v1/…``): every operation of the pages.

- citizen (signed in, own complaints only): ``complaints/`` …;
- holder of a tracking code (no account): ``complaints/track/…`` (wrong codes throttled);
- kiosk (registered device or staff): ``complaints/kiosk/``;
- public: ``complaints/figures/`` (aggregates only);
- complaint staff (``RegionalAPIMixin``: membership of *this* region, 404 otherwise):
  ``staff/complaints/…``.
Answers are the same dictionaries the pages render (``selectors.citizen_view`` /
``selectors.staff_view``), so identity hiding is decided in one place.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from kernel.errors import NotFoundError
from shared.access.api import CitizenAPIView, PublicAPIView, RegionalAPIView
from tenants.complaints import selectors, services
from tenants.complaints.api import serializers as s
from tenants.complaints.figures import transparency
from tenants.complaints.http import client_address, export_response, serve_attachment
from tenants.complaints.models import Channel, Complaint
from tenants.complaints.services.common import COMPLAINT_STAFF_ROLES
from tenants.queue.access import KIOSK

PARSERS = [JSONParser, MultiPartParser, FormParser]


def _thread(complaint: Complaint) -> Complaint:
    return (
        selectors.with_thread(Complaint.objects.filter(pk=complaint.pk))
        .select_related(
            "booth",
            "booth__agency",
            "booth__local_agency",
            "application",
            "ticket",
            "offering",
            "offering__booth",
            "application__booth",
            "ticket__offering__booth",
        )
        .get()
    )


def _citizen_answer(complaint: Complaint, *, code=status.HTTP_200_OK) -> Response:
    return Response(selectors.citizen_view(_thread(complaint)), status=code)


def _filing(data, files, **extra) -> services.Filing:
    return services.Filing(
        kind=data.get("kind", ""),
        subject=data.get("subject", ""),
        description=data.get("description", ""),
        privacy=data.get("privacy") or "normal",
        offering_id=data.get("offering"),
        application_id=data.get("application"),
        application_number=data.get("application_number", ""),
        booking_code=data.get("booking_code", ""),
        ticket_number=data.get("ticket_number", ""),
        name=data.get("name", ""),
        phone=data.get("phone", ""),
        email=data.get("email", ""),
        uploads=files.getlist("attachments") if files else [],
        **extra,
    )


def _text(data, name: str) -> str:
    value = data.get(name, "")
    return value if isinstance(value, str) else ""


def _uploads(request):
    return request.FILES.getlist("attachments") if request.FILES else []


# --- citizen -------------------------------------------------------------------------------------
@extend_schema(tags=["complaints"])
class ComplaintListAPIView(CitizenAPIView):
    """The caller's complaints in this region; POST files a new one (JSON, or multipart with
    ``attachments``; idempotent by ``client_key``)."""

    parser_classes = PARSERS

    @extend_schema(responses=s.ComplaintSummarySerializer(many=True))
    def get(self, request):
        rows = selectors.citizen_complaints_here(request.user)[:200]
        return Response(s.ComplaintSummarySerializer(rows, many=True).data)

    @extend_schema(request=s.FilingSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request):
        data = s.FilingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        key = data.validated_data.get("client_key")
        existed = bool(key and Complaint.objects.filter(client_key=key).exists())
        complaint = services.complaint_file(
            actor=request.user,
            channel=Channel.API,
            filing=_filing(request.data, request.FILES, client_key=key),
            owner=request.user,
        )
        return _citizen_answer(
            complaint, code=status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        )


def _own(request, complaint_id) -> Complaint:
    try:
        return services.access_complaint_for_citizen(user=request.user, complaint_id=complaint_id)
    except NotFoundError as exc:
        raise NotFound(exc.message) from exc


@extend_schema(tags=["complaints"])
class ComplaintDetailAPIView(CitizenAPIView):
    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, complaint_id: int):
        return _citizen_answer(_own(request, complaint_id))


class _CitizenAction:
    """message | reopen | rating on a complaint the caller holds (no audience of its own: the
    concrete views below name theirs)."""

    action_name = ""

    def complaint(self, request, **kwargs) -> Complaint:
        raise NotImplementedError

    @extend_schema(request=s.CitizenActionSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request, **kwargs):
        complaint = self.complaint(request, **kwargs)
        actor = request.user if request.user.is_authenticated else None
        data = request.data
        if self.action_name == "messages":
            services.complaint_message_citizen(
                actor=actor,
                complaint=complaint,
                body=_text(data, "body"),
                uploads=_uploads(request),
            )
            return _citizen_answer(complaint, code=status.HTTP_201_CREATED)
        if self.action_name == "reopen":
            services.complaint_reopen(
                actor=actor, complaint=complaint, reason=_text(data, "reason")
            )
        elif self.action_name == "rating":
            services.complaint_rate(
                actor=actor,
                complaint=complaint,
                rating=data.get("rating"),
                comment=_text(data, "comment"),
            )
        else:
            raise NotFound()
        return _citizen_answer(complaint)


@extend_schema(tags=["complaints"])
class CitizenActionAPIView(CitizenAPIView, _CitizenAction):
    parser_classes = PARSERS

    def complaint(self, request, **kwargs) -> Complaint:
        return _own(request, kwargs["complaint_id"])


@extend_schema(tags=["complaints"])
class CitizenAttachmentAPIView(CitizenAPIView):
    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request, complaint_id: int, attachment_id: int):
        return serve_attachment(_own(request, complaint_id), attachment_id)


# --- tracking code -------------------------------------------------------------------------------
def _by_code(request) -> Complaint:
    return services.access_complaint_by_code(
        code=_text(request.data, "code"), client=client_address(request)
    )


@extend_schema(tags=["complaints"])
class TrackAPIView(PublicAPIView):
    """Open a complaint by its tracking code (no account). Wrong codes are throttled (429)."""

    authentication_classes: list = []  # the code is the credential; no session, no CSRF

    @extend_schema(request=s.TrackSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request):
        return _citizen_answer(_by_code(request))


@extend_schema(tags=["complaints"])
class TrackActionAPIView(PublicAPIView, _CitizenAction):
    authentication_classes: list = []
    parser_classes = PARSERS

    def complaint(self, request, **kwargs) -> Complaint:
        return _by_code(request)


# --- kiosk and public ----------------------------------------------------------------------------
@extend_schema(tags=["complaints"])
class KioskFileAPIView(PublicAPIView):
    """File at a registered kiosk (``X-Kiosk-Token``) or by staff for a walk-in; answers the
    tracking code once."""

    device = KIOSK

    parser_classes = PARSERS

    @extend_schema(request=s.FilingSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request):
        actor = request.user if request.user.is_authenticated else None
        complaint = services.complaint_file(
            actor=actor, channel=Channel.KIOSK, filing=_filing(request.data, request.FILES)
        )
        return _citizen_answer(complaint, code=status.HTTP_201_CREATED)


@extend_schema(tags=["complaints"])
class FiguresAPIView(PublicAPIView):
    """The transparency figures of the last 12 months (aggregates, no personal data)."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return Response(transparency())


# --- staff ---------------------------------------------------------------------------------------
class _Staff(RegionalAPIView):
    allowed_roles = COMPLAINT_STAFF_ROLES
    parser_classes = PARSERS

    def viewer(self):
        viewer = services.viewer_for(self.request.user)
        if viewer is None:
            raise NotFound(_("Tidak ditemukan."))
        return viewer

    def staff_complaint(self, complaint_id):
        try:
            return services.access_complaint_for_staff(
                user=self.request.user, complaint_id=complaint_id
            )
        except NotFoundError as exc:
            raise NotFound(exc.message) from exc

    def answer(self, complaint, viewer, code=status.HTTP_200_OK) -> Response:
        services.complaint_read_log(viewer=viewer, complaint=complaint, via="api")
        return Response(selectors.staff_view(_thread(complaint), viewer), status=code)


@extend_schema(tags=["complaints-staff"])
class StaffListAPIView(_Staff):
    """The triage queue (officer, admin) or the booth's complaints (booth staff); POST files a
    walk-in's complaint at the counter."""

    @extend_schema(responses=s.StaffSummarySerializer(many=True))
    def get(self, request):
        viewer = self.viewer()
        status_filter = request.query_params.get("status", "")
        if status_filter not in selectors.FILTERS:
            status_filter = ""
        rows = list(selectors.worklist(viewer, status=status_filter)[:200])
        return Response(s.StaffSummarySerializer(rows, many=True).data)

    @extend_schema(request=s.FilingSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request):
        viewer = self.viewer()
        complaint = services.complaint_file(
            actor=request.user, channel=Channel.COUNTER, filing=_filing(request.data, request.FILES)
        )
        body = selectors.staff_view(_thread(complaint), viewer)
        body["tracking_code"] = services.display_tracking_code(complaint.tracking_code)
        return Response(body, status=status.HTTP_201_CREATED)


@extend_schema(tags=["complaints-staff"])
class StaffDetailAPIView(_Staff):
    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, complaint_id: int):
        complaint, viewer = self.staff_complaint(complaint_id)
        return self.answer(complaint, viewer)


@extend_schema(tags=["complaints-staff"])
class StaffActionAPIView(_Staff):
    action_name = ""

    @extend_schema(request=s.StaffActionSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request, complaint_id: int):
        complaint, viewer = self.staff_complaint(complaint_id)
        data, actor = request.data, request.user
        try:
            if self.action_name == "route":
                services.complaint_route(
                    actor=actor,
                    complaint=complaint,
                    booth=data.get("booth"),
                    complexity=_text(data, "complexity"),
                    note=_text(data, "note"),
                )
            elif self.action_name == "not-complaint":
                services.complaint_mark_not_complaint(
                    actor=actor, complaint=complaint, reason=_text(data, "reason")
                )
            elif self.action_name == "forward":
                services.complaint_forward_to_lapor(
                    actor=actor, complaint=complaint, note=_text(data, "note")
                )
            elif self.action_name == "close":
                services.complaint_close(
                    actor=actor, complaint=complaint, answer=_text(data, "answer")
                )
            elif self.action_name in ("messages", "notes"):
                services.complaint_message_staff(
                    actor=actor,
                    complaint=complaint,
                    body=_text(data, "body"),
                    internal=self.action_name == "notes",
                    uploads=_uploads(request),
                )
            else:
                raise NotFound()
        except NotFoundError as exc:
            raise NotFound(exc.message) from exc
        complaint, viewer = self.staff_complaint(complaint_id)
        return self.answer(complaint, viewer)


@extend_schema(tags=["complaints-staff"])
class StaffAttachmentAPIView(_Staff):
    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request, complaint_id: int, attachment_id: int):
        complaint, viewer = self.staff_complaint(complaint_id)
        return serve_attachment(complaint, attachment_id, viewer=viewer, via="api")


@extend_schema(tags=["complaints-staff"])
class StaffExportAPIView(_Staff):
    """CSV of the complaints the caller may see; identity by the same rule as every answer."""

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR})
    def get(self, request):
        viewer = self.viewer()
        status_filter = request.query_params.get("status", "semua")
        if status_filter not in selectors.FILTERS:
            status_filter = "semua"
        return export_response(viewer, status=status_filter, via="api")
