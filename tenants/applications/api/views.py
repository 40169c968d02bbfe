"""The applications API on a region's host (``/api/v1/…``), for the mobile app.

Citizen endpoints (``CitizenAPI``) need a signed-in account (one account for every region) and
only ever show the caller's own applications; staff endpoints (``RegionStaffAPI``) need a
membership of *this* region (404 otherwise) and see only their booth scope; the QR status is
public."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from kernel.errors import DomainError, NotFoundError
from shared.access.api import (
    CitizenAPI,
    PublicAPI,
    RegionalAPIMixin,
    RegionalAPIView,
    RegionalGenericAPIView,
)
from shared.accounts.models import ADMIN_ROLES
from shared.citizens.models import CitizenProfile, OutboxMessage
from shared.citizens.services import (
    citizen_register_at_counter,
    consent_channels,
    counter_code_confirm,
    counter_code_request,
    counter_consent_ktp,
    counter_profile_viewed,
    declared_by_other_account,
    profile_ensure,
)
from tenants.applications import selectors, services
from tenants.applications.api import serializers as s
from tenants.applications.common import (
    CITIZEN_ROLE,
    current_region,
    requirement_slots,
    staff_role,
)
from tenants.applications.models import Application, ApplicationRequirement
from tenants.applications.qr import qr_svg
from tenants.applications.services.assisted import counter_desk
from tenants.mpp.models import Offering
from tenants.mpp.selectors import offerings_for_standard


def _not_found(exc: NotFoundError):
    return NotFound(exc.message)


def _own(request, application_id) -> Application:
    try:
        return services.access_application_for_citizen(
            user=request.user, application_id=application_id
        )
    except NotFoundError as exc:
        raise _not_found(exc) from exc


def _draft_kwargs(data: dict) -> dict:
    kwargs = {
        "answers": data.get("answers") or {},
        "choices": dict(data.get("documents") or {}),
        "client_key": data.get("client_key"),
    }
    if "confirmations" in data:
        kwargs["confirmations"] = set(data["confirmations"])
    return kwargs


def _draft_response(application, errors, *, created: bool):
    body = s.ApplicationSerializer(selectors.application_detail(application.pk)).data
    body["problems"] = errors
    return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


def _receipt(request, application, *, claim_code: str | None = None) -> dict:
    verify_url = request.build_absolute_uri(
        reverse("applications:verify", kwargs={"token": application.public_token})
    )
    body = {
        "number": application.number,
        "status": application.status,
        "status_label": application.get_status_display(),
        "offering_name": application.offering_name,
        "submitted_at": application.first_submitted_at,
        "due_date": application.due_date,
        "verify_url": verify_url,
        "qr_svg": str(qr_svg(verify_url)),
    }
    if claim_code:
        body["claim_code"] = claim_code
    return s.ReceiptSerializer(body).data


# --- citizen -------------------------------------------------------------------------------------
@extend_schema(tags=["applications"])
class OnlineOfferingListAPIView(CitizenAPI, APIView):
    """Services of this MPP that accept online applications, with their requirements and
    extra fields (what the app needs to build the form)."""

    @extend_schema(responses=s.OnlineOfferingSerializer(many=True))
    def get(self, request):
        from tenants.applications.models import FormField

        pairs = selectors.online_offerings()
        fields_by_offering: dict[int, list] = {}
        for field in FormField.objects.filter(
            offering_id__in=[pair[0].pk for pair in pairs], is_active=True
        ).order_by("position"):
            fields_by_offering.setdefault(field.offering_id, []).append(field)
        body = [
            {
                "id": offering.pk,
                "name": standard.name,
                "agency_name": standard.agency_name,
                "completion_days": standard.completion_days,
                "fee_amount": standard.fee_amount,
                "requirements": [slot.__dict__ for slot in requirement_slots(standard)],
                "form_fields": fields_by_offering.get(offering.pk, []),
            }
            for offering, standard in pairs
        ]
        return Response(s.OnlineOfferingSerializer(body, many=True).data)


@extend_schema(tags=["applications"])
class ApplicationListAPIView(CitizenAPI, generics.ListAPIView):
    """The caller's applications in this region; POST creates a draft (idempotent by
    ``client_key``)."""

    serializer_class = s.ApplicationListSerializer

    def get_queryset(self):
        return selectors.citizen_applications_here(profile_ensure(user=self.request.user))

    @extend_schema(request=s.DraftSerializer, responses={201: s.ApplicationSerializer})
    def post(self, request):
        serializer = s.DraftSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            offering, _standard = selectors.offering_for_application(data.get("offering"))
        except NotFoundError as exc:
            raise DomainError(exc.message, extra={"errors": {"offering": [exc.message]}}) from exc
        citizen = profile_ensure(user=request.user)
        existed = bool(
            data.get("client_key")
            and Application.objects.filter(client_key=data["client_key"]).exists()
        )
        application, errors = services.application_draft_save(
            actor=request.user, citizen=citizen, offering=offering, **_draft_kwargs(data)
        )
        return _draft_response(application, errors, created=not existed)


@extend_schema(tags=["applications"])
class ApplicationDetailAPIView(CitizenAPI, APIView):
    @extend_schema(responses=s.ApplicationSerializer)
    def get(self, request, application_id: int):
        return Response(s.ApplicationSerializer(_own(request, application_id)).data)

    @extend_schema(request=s.DraftSerializer, responses=s.ApplicationSerializer)
    def patch(self, request, application_id: int):
        application = _own(request, application_id)
        serializer = s.DraftSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        kwargs = _draft_kwargs(serializer.validated_data)
        kwargs.pop("client_key", None)
        application, errors = services.application_draft_save(
            actor=request.user, citizen=application.citizen, application=application, **kwargs
        )
        return _draft_response(application, errors, created=False)


@extend_schema(tags=["applications"])
class RequirementUploadAPIView(CitizenAPI, APIView):
    """Upload a document for one requirement: it joins the vault and is attached."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": s.RequirementUploadSerializer},
        responses=s.ApplicationSerializer,
    )
    def post(self, request, application_id: int):
        application = _own(request, application_id)
        serializer = s.RequirementUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        key = serializer.validated_data["requirement"]
        application, errors = services.application_draft_save(
            actor=request.user,
            citizen=application.citizen,
            application=application,
            uploads={key: serializer.validated_data["file"]},
        )
        if f"req-{key}" in errors:
            raise DomainError(errors[f"req-{key}"][0], extra={"errors": errors})
        if not ApplicationRequirement.objects.filter(application=application, key=key).exists():
            message = _("Persyaratan tidak dikenal.")
            raise DomainError(message, extra={"errors": {"requirement": [message]}})
        return _draft_response(application, errors, created=False)


@extend_schema(tags=["applications"])
class SubmitAPIView(CitizenAPI, APIView):
    """Submit (or resubmit after a return). Idempotent: repeating it answers the same
    receipt. 400 with ``errors`` per input when something is missing; the draft is kept."""

    @extend_schema(request=None, responses=s.ReceiptSerializer)
    def post(self, request, application_id: int):
        application = _own(request, application_id)
        application = services.application_submit(
            actor=request.user, application=application, role=CITIZEN_ROLE
        )
        return Response(_receipt(request, application))


@extend_schema(tags=["applications"])
class ReceiptAPIView(CitizenAPI, APIView):
    @extend_schema(responses=s.ReceiptSerializer)
    def get(self, request, application_id: int):
        application = _own(request, application_id)
        if application.number is None:
            raise NotFound()
        return Response(_receipt(request, application))


@extend_schema(tags=["applications"])
class PublicStatusAPIView(PublicAPI, APIView):
    """What the receipt's QR code shows: status only, nothing personal."""

    @extend_schema(responses=s.PublicStatusSerializer)
    def get(self, request, token):
        application = Application.objects.filter(public_token=token, number__isnull=False).first()
        if application is None:
            raise NotFound()
        return Response(s.PublicStatusSerializer(application).data)


# --- staff ---------------------------------------------------------------------------------------
class _StaffMixin(RegionalAPIMixin):
    def staff_application(self, application_id) -> Application:
        try:
            return services.access_application_for_staff(
                user=self.request.user, application_id=application_id
            )
        except NotFoundError as exc:
            raise _not_found(exc) from exc


@extend_schema(tags=["applications-staff"])
class WorklistAPIView(RegionalAPIMixin, generics.ListAPIView):
    """Open applications of the caller's booths, overdue first (``?booth=``, ``?status=``)."""

    serializer_class = s.StaffApplicationListSerializer

    def get_queryset(self):
        try:
            booth_id = int(self.request.query_params.get("booth") or 0) or None
        except ValueError:
            booth_id = None
        return selectors.worklist(
            user=self.request.user,
            booth_id=booth_id,
            status=self.request.query_params.get("status") or None,
        )


@extend_schema(tags=["applications-staff"])
class StaffApplicationAPIView(_StaffMixin, RegionalAPIView):
    """One application; reading it is recorded in the citizen's access log."""

    @extend_schema(responses=s.StaffApplicationSerializer)
    def get(self, request, application_id: int):
        application = self.staff_application(application_id)
        services.staff_data_access(actor=request.user, application=application, via="api")
        return Response(s.StaffApplicationSerializer(application).data)


@extend_schema(tags=["applications-staff"])
class StaffActionAPIView(_StaffMixin, RegionalAPIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    action_name = ""

    @extend_schema(request=s.ReasonSerializer, responses=s.StaffApplicationSerializer)
    def post(self, request, application_id: int):
        application = self.staff_application(application_id)
        actor = request.user
        if self.action_name == "verify":
            services.application_verify(actor=actor, application=application)
        elif self.action_name == "return":
            services.application_return(
                actor=actor, application=application, reasons=request.data.get("reasons", "")
            )
        elif self.action_name == "process":
            services.application_process(actor=actor, application=application)
        elif self.action_name == "complete":
            services.application_complete(
                actor=actor,
                application=application,
                result_kind=request.data.get("result_kind", ""),
                upload=request.FILES.get("result_file"),
                note=request.data.get("note", ""),
            )
        elif self.action_name == "reject":
            services.application_reject(
                actor=actor, application=application, reason=request.data.get("reason", "")
            )
        else:  # pragma: no cover - routes only bind the actions above
            raise NotFound()
        fresh = selectors.application_detail(application.pk)
        return Response(s.StaffApplicationSerializer(fresh).data)


def _search_result(request, profile) -> dict:
    return {
        "pk": profile.pk,
        "masked_name": profile.masked_name,
        "consented": selectors.consented_citizen(actor=request.user, profile_id=profile.pk)
        is not None,
        "channels": [channel for channel, _where in consent_channels(profile)],
        "declared_by_account": declared_by_other_account(profile),
    }


@extend_schema(tags=["applications-staff"])
class CounterSearchAPIView(RegionalAPIView):
    """Find a walk-in citizen by NIK or phone: only that a record exists and a masked name,
    until the citizen consents at the counter. Rate-limited; logged in their access log."""

    @extend_schema(request=s.CitizenSearchSerializer, responses=s.CounterSearchResultSerializer)
    def post(self, request):
        serializer = s.CitizenSearchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        profile = services.citizen_lookup_at_counter(
            actor=request.user, query=serializer.validated_data["query"], via="api"
        )
        if profile is None:
            raise NotFound(_("Warga tidak ditemukan."))
        return Response(s.CounterSearchResultSerializer(_search_result(request, profile)).data)


def _searched(request, profile_id) -> CitizenProfile:
    profile = selectors.consented_citizen(
        actor=request.user, profile_id=profile_id
    ) or selectors.searched_citizen(actor=request.user, profile_id=profile_id)
    if profile is None:
        raise NotFound()
    return profile


@extend_schema(tags=["applications-staff"])
class CounterConsentSendAPIView(RegionalAPIView):
    """Send the citizen a consent code (WhatsApp, SMS, e-mail, or shown in their account)."""

    @extend_schema(request=s.ConsentSendSerializer, responses={202: None})
    def post(self, request):
        serializer = s.ConsentSendSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        counter_code_request(
            desk=counter_desk(request.user, via="api"),
            profile=_searched(request, data["citizen"]),
            channel=data["channel"],
        )
        return Response({"detail": _("Kode dikirim.")}, status=status.HTTP_202_ACCEPTED)


@extend_schema(tags=["applications-staff"])
class CounterConsentCodeAPIView(RegionalAPIView):
    """The code the citizen read out: consent for this visit; answers the citizen's data."""

    @extend_schema(request=s.ConsentCodeSerializer, responses=s.CounterCitizenSerializer)
    def post(self, request):
        serializer = s.ConsentCodeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        profile = _searched(request, data["citizen"])
        desk = counter_desk(request.user, via="api")
        counter_code_confirm(desk=desk, profile=profile, code=data["code"])
        counter_profile_viewed(desk=desk, profile=profile)
        return Response(s.CounterCitizenSerializer(profile).data)


@extend_schema(tags=["applications-staff"])
class CounterConsentKtpAPIView(RegionalAPIView):
    """A citizen without a phone: staff hold the KTP-el, check the birth date, give a reason."""

    @extend_schema(request=s.ConsentKtpSerializer, responses=s.CounterCitizenSerializer)
    def post(self, request):
        serializer = s.ConsentKtpSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        profile = _searched(request, data["citizen"])
        desk = counter_desk(request.user, via="api")
        counter_consent_ktp(
            desk=desk,
            profile=profile,
            ktp_seen=data["ktp_seen"],
            birth_date=data["birth_date"],
            reason=data["reason"],
        )
        counter_profile_viewed(desk=desk, profile=profile)
        return Response(s.CounterCitizenSerializer(profile).data)


@extend_schema(tags=["applications-staff"])
class CounterCitizenAPIView(RegionalAPIView):
    """The citizen's data and vault, under this visit's consent (logged)."""

    @extend_schema(responses=s.CounterCitizenSerializer)
    def get(self, request, profile_id: int):
        profile = _counter_citizen(request, profile_id)
        counter_profile_viewed(desk=counter_desk(request.user, via="api"), profile=profile)
        return Response(s.CounterCitizenSerializer(profile).data)


@extend_schema(tags=["applications-staff"])
class CounterRegisterAPIView(RegionalAPIView):
    """Register a walk-in citizen without an account, from the KTP-el in hand, with the
    address they give. The NIK is verified at this counter; consent covers this visit."""

    @extend_schema(request=s.CounterRegisterSerializer, responses={201: s.CounterCitizenSerializer})
    def post(self, request):
        serializer = s.CounterRegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        profile = citizen_register_at_counter(
            desk=counter_desk(request.user, via="api"), data=dict(serializer.validated_data)
        )
        return Response(s.CounterCitizenSerializer(profile).data, status=status.HTTP_201_CREATED)


def _counter_citizen(request, profile_id) -> CitizenProfile:
    profile = selectors.consented_citizen(actor=request.user, profile_id=profile_id)
    if profile is None:
        raise NotFound()
    return profile


@extend_schema(tags=["applications-staff"])
class AssistedApplicationAPIView(RegionalAPIView):
    """Start (or update) an application for a citizen found or registered at the counter."""

    @extend_schema(request=s.AssistedDraftSerializer, responses={201: s.ApplicationSerializer})
    def post(self, request):
        serializer = s.AssistedDraftSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        citizen = _counter_citizen(request, data["citizen"])
        try:
            offering, _standard = selectors.offering_for_application(data["offering"])
        except NotFoundError as exc:
            raise DomainError(exc.message, extra={"errors": {"offering": [exc.message]}}) from exc
        application, errors = services.application_draft_save(
            actor=request.user,
            citizen=citizen,
            offering=offering,
            is_assisted=True,
            **_draft_kwargs(data),
        )
        body = s.StaffApplicationSerializer(selectors.application_detail(application.pk)).data
        body["problems"] = errors
        return Response(body, status=status.HTTP_201_CREATED)


@extend_schema(tags=["applications-staff"])
class AssistedSubmitAPIView(_StaffMixin, RegionalAPIView):
    """Submit an assisted application; the answer carries the claim code (once) when the
    citizen has no account yet."""

    @extend_schema(request=None, responses=s.ReceiptSerializer)
    def post(self, request, application_id: int):
        application = self.staff_application(application_id)
        if not application.is_assisted:
            raise NotFound()
        application = services.application_submit(
            actor=request.user, application=application, role=staff_role(request.user)
        )
        code = None
        owner = CitizenProfile.objects.filter(pk=application.citizen_id).first()
        if owner is not None and owner.user_id is None and not application.claim_code_hash:
            code = services.claim_code_issue(actor=request.user, application=application)
        return Response(_receipt(request, application, claim_code=code))


# --- region admin --------------------------------------------------------------------------------
@extend_schema(tags=["applications-admin"])
class FormDefinitionAPIView(RegionalAPIView):
    allowed_roles = ADMIN_ROLES

    def _offering(self, offering_id) -> Offering:
        offering = offerings_for_standard(Offering.objects.active()).filter(pk=offering_id).first()
        if offering is None:
            raise NotFound()
        return offering

    @extend_schema(responses=s.FormFieldSerializer(many=True))
    def get(self, request, offering_id: int):
        offering = self._offering(offering_id)
        return Response(s.FormFieldSerializer(selectors.form_fields(offering), many=True).data)

    @extend_schema(request=s.FormDefinitionSerializer, responses=s.FormFieldSerializer(many=True))
    def put(self, request, offering_id: int):
        offering = self._offering(offering_id)
        serializer = s.FormDefinitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = services.form_fields_save(
            actor=request.user,
            offering=offering,
            fields=[dict(f) for f in serializer.validated_data["form_fields"]],
        )
        return Response(s.FormFieldSerializer(fields, many=True).data)


@extend_schema(tags=["applications-admin"])
class OutboxAPIView(RegionalGenericAPIView, generics.ListAPIView):
    """Notifications this region sent (recipients masked)."""

    allowed_roles = ADMIN_ROLES
    serializer_class = s.OutboxSerializer

    def get_queryset(self):
        return OutboxMessage.objects.filter(region=current_region()).order_by("-created_at", "-id")
