"""Console: offerings (adopt from the national catalogue, override, drop, national changes)
and local-only services."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kernel.errors import DomainError
from shared.access.console import AdminFormPage, ConsolePage
from shared.accounts.models import ADMIN_ROLES
from shared.catalogue.models import LifeEvent, Service
from tenants.mpp import selectors
from tenants.mpp.forms import (
    AdoptSearchForm,
    LocalServiceForm,
    OverrideForm,
    RequirementFormSet,
    WeeklyHoursForm,
    requirements_from_formset,
    requirements_initial,
)
from tenants.mpp.models import Offering, OpeningHours
from tenants.mpp.selectors import search_national_services
from tenants.mpp.services.booths import hours_set
from tenants.mpp.services.offerings import (
    access_offering,
    local_service_create,
    local_service_update,
    offering_acknowledge,
    offering_adopt,
    offering_drop,
    offering_update_overrides,
)

ADOPT_PAGE_SIZE = 50


def _offering_or_404(pk, *, local: bool | None = None) -> Offering:
    offering = access_offering(offering_id=pk)
    if local is not None and offering.is_local != local:
        raise Http404(_("Layanan tidak ditemukan."))
    return offering


class OfferingListView(ConsolePage):
    template_name = "mpp/console/offerings.html"
    section = "offerings"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        offerings = selectors.public_offerings()
        pending = set(selectors.offerings_with_pending_changes().values_list("pk", flat=True))
        for row in offerings:
            row.has_pending = row.pk in pending
        dropped = list(
            Offering.objects.filter(is_active=False).select_related("service").order_by("code")
        )
        context.update(
            adopted=[o for o in offerings if o.service_id],
            local=[o for o in offerings if not o.service_id],
            dropped=dropped,
            pending_count=len(pending),
        )
        return context


class AdoptView(ConsolePage):
    """Search the national catalogue and adopt one or several services."""

    template_name = "mpp/console/adopt.html"
    section = "offerings"
    allowed_roles = ADMIN_ROLES

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = AdoptSearchForm(self.request.GET or None)
        q, agency = "", None
        if form.is_valid():
            q, agency = form.cleaned_data["q"] or "", form.cleaned_data["agency"]
        services = list(search_national_services(q, agency)[: ADOPT_PAGE_SIZE + 1])
        offered = dict(
            Offering.objects.filter(service_id__in=[s.pk for s in services]).values_list(
                "service_id", "is_active"
            )
        )
        for s in services:
            s.offered_state = (
                "active" if offered.get(s.pk) else "dropped" if s.pk in offered else ""
            )
        context.update(
            search_form=form,
            services=services[:ADOPT_PAGE_SIZE],
            more=len(services) > ADOPT_PAGE_SIZE,
        )
        return context

    def post(self, request, *args, **kwargs):
        ids = request.POST.getlist("service")
        try:
            wanted = sorted({int(i) for i in ids})
        except ValueError:
            wanted = []
        if not wanted:
            messages.error(request, _("Pilih sedikitnya satu layanan untuk diadopsi."))
            return self.render_to_response(self.get_context_data(), status=400)
        services = Service.objects.filter(pk__in=wanted)
        adopted, refused = [], []
        for service in services:
            try:
                adopted.append(offering_adopt(actor=request.user, service=service))
            except DomainError as exc:
                refused.append(f"{service.name}: {exc.message}")
        if adopted:
            messages.success(
                request,
                ngettext("%(n)d layanan diadopsi.", "%(n)d layanan diadopsi.", len(adopted))
                % {"n": len(adopted)},
            )
        for line in refused:
            messages.error(request, line)
        if len(adopted) == 1 and not refused:
            return redirect("mpp_admin:offering_edit", pk=adopted[0].pk)
        return redirect(reverse("mpp_admin:adopt") + "?" + request.GET.urlencode())


class OfferingEditView(AdminFormPage):
    """An adopted offering: its effective standard, what changed nationally, the overrides, its
    own hours, and drop."""

    template_name = "mpp/console/offering_edit.html"
    section = "offerings"
    success_message = gettext_lazy("Pengaturan layanan disimpan.")

    @property
    def offering(self) -> Offering:
        if not hasattr(self, "_offering"):
            self._offering = _offering_or_404(self.kwargs["pk"], local=False)
        return self._offering

    def get_forms(self, data=None):
        o = self.offering
        service = o.service
        assert service is not None  # _offering_or_404(local=False)
        own_hours = selectors.hours_by_weekday(OpeningHours.objects.filter(offering=o))
        return {
            "form": OverrideForm(
                data,
                prefix="o",
                national_channels=service.channels,
                initial={
                    "booth": o.booth_id,
                    "fee_kind": o.fee_kind or "",
                    "fee_amount": o.fee_amount,
                    "fee_basis": o.fee_basis or "",
                    "follow_channels": o.channels is None,
                    "channels": o.channels or service.channels,
                    "local_notes": o.local_notes,
                    "quota_online": o.quota_online,
                    "quota_queue": o.quota_queue,
                    "quota_walk_in": o.quota_walk_in,
                },
            ),
            "requirements": RequirementFormSet(data, prefix="req", initial=requirements_initial(o)),
            "hours_form": WeeklyHoursForm(
                data,
                prefix="hours",
                allow_follow=True,
                follow_label=_("Ikuti jam gerai/MPP"),
                initial=WeeklyHoursForm.initial_from(
                    own_hours or selectors.offering_weekly_hours(o), follow=not own_hours
                ),
            ),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        o = self.offering
        if o.is_active:
            loaded = selectors.offerings_for_standard(Offering.objects.filter(pk=o.pk)).get()
            context["standard"] = selectors.offering_effective_standard(loaded)
        context["offering"] = o
        context["changes"] = selectors.offering_national_changes(o)
        return context

    def save(self, forms):
        d = forms["form"].cleaned_data
        o = offering_update_overrides(
            actor=self.request.user,
            offering=self.offering,
            booth=d["booth"],
            fee_kind=d["fee_kind"] or None,
            fee_amount=d["fee_amount"],
            fee_basis=d["fee_basis"] or None,
            channels=None if d["follow_channels"] else d["channels"],
            local_notes=d["local_notes"],
            quota_online=d["quota_online"],
            quota_queue=d["quota_queue"],
            quota_walk_in=d["quota_walk_in"],
            requirements=requirements_from_formset(forms["requirements"]),
        )
        hours_set(actor=self.request.user, offering=o, hours=forms["hours_form"].hours())
        return o

    def success_url(self, offering):
        return reverse("mpp_admin:offering_edit", args=[offering.pk])


class OfferingActionView(ConsolePage):
    """POST-only actions on an offering: drop, acknowledge national changes, re-adopt."""

    allowed_roles = ADMIN_ROLES
    action = ""

    def get(self, request, *args, **kwargs):
        return redirect("mpp_admin:offerings")

    def post(self, request, *args, **kwargs):
        offering = _offering_or_404(kwargs["pk"])
        try:
            if self.action == "drop":
                offering_drop(actor=request.user, offering=offering)
                messages.success(request, _("Layanan tidak lagi ditawarkan."))
                return redirect("mpp_admin:offerings")
            if self.action == "acknowledge":
                offering_acknowledge(actor=request.user, offering=offering)
                messages.success(request, _("Perubahan nasional ditandai sudah ditinjau."))
            elif self.action == "readopt":
                if offering.service is None:
                    local_service_update(actor=request.user, offering=offering, is_active=True)
                else:
                    offering_adopt(actor=request.user, service=offering.service)
                messages.success(request, _("Layanan ditawarkan kembali."))
        except DomainError as exc:
            messages.error(request, exc.message)
        if offering.is_local:
            return redirect("mpp_admin:local_edit", pk=offering.pk)
        return redirect("mpp_admin:offering_edit", pk=offering.pk)


class LocalServiceView(AdminFormPage):
    """Create (no pk) or edit a local-only service."""

    template_name = "mpp/console/local_form.html"
    section = "offerings"
    success_message = gettext_lazy("Layanan lokal disimpan.")

    @property
    def offering(self) -> Offering | None:
        if "pk" not in self.kwargs:
            return None
        if not hasattr(self, "_offering"):
            self._offering = _offering_or_404(self.kwargs["pk"], local=True)
        return self._offering

    def get_forms(self, data=None):
        o = self.offering
        initial: dict = {"channels": ["walk_in"], "fee_kind": "free", "is_active": True}
        req_initial: list[dict] = []
        if o is not None:
            initial = {
                "name": o.name,
                "booth": o.booth_id,
                "agency": o.agency_id,
                "local_agency": o.local_agency_id,
                "summary": o.summary,
                "steps": "\n".join(s.text for s in o.steps.all()),
                "completion_days": o.completion_days,
                "completion_note": o.completion_note,
                "fee_kind": o.fee_kind or ("fixed" if o.fee_amount else "free"),
                "fee_amount": o.fee_amount,
                "fee_basis": o.fee_basis or "",
                "product": o.product,
                "complaint_handling": o.complaint_handling,
                "legal_basis": o.legal_basis,
                "channels": o.channels or [],
                "life_events": LifeEvent.objects.filter(pk__in=o.life_event_ids),
                "local_notes": o.local_notes,
                "quota_online": o.quota_online,
                "quota_queue": o.quota_queue,
                "quota_walk_in": o.quota_walk_in,
                "is_active": o.is_active,
            }
            req_initial = requirements_initial(o)
        return {
            "form": LocalServiceForm(data, prefix="l", initial=initial, editing=o is not None),
            "requirements": RequirementFormSet(data, prefix="req", initial=req_initial),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["offering"] = self.offering
        return context

    def save(self, forms):
        d = forms["form"].cleaned_data
        common = {
            "name": d["name"],
            "summary": d["summary"],
            "completion_days": d["completion_days"],
            "completion_note": d["completion_note"],
            "fee_kind": d["fee_kind"],
            "fee_amount": d["fee_amount"] or 0,
            "fee_basis": d["fee_basis"],
            "product": d["product"],
            "complaint_handling": d["complaint_handling"],
            "legal_basis": d["legal_basis"],
            "local_notes": d["local_notes"],
            "quota_online": d["quota_online"],
            "quota_queue": d["quota_queue"],
            "quota_walk_in": d["quota_walk_in"],
        }
        requirements = requirements_from_formset(forms["requirements"])
        life_events = [e.pk for e in d["life_events"]]
        if self.offering is None:
            offering = local_service_create(
                actor=self.request.user,
                booth=d["booth"],
                agency=d["agency"],
                local_agency=d["local_agency"],
                steps=forms["form"].step_list(),
                requirements=requirements,
                channels=d["channels"],
                life_event_ids=life_events,
                **common,
            )
            if not d["is_active"]:
                local_service_update(actor=self.request.user, offering=offering, is_active=False)
            return offering
        return local_service_update(
            actor=self.request.user,
            offering=self.offering,
            booth=d["booth"],
            steps=forms["form"].step_list(),
            requirements=requirements,
            channels=d["channels"],
            life_event_ids=life_events,
            is_active=d["is_active"],
            **common,
        )

    def success_url(self, offering):
        return reverse("mpp_admin:local_edit", args=[offering.pk])
