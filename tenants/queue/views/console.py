"""The queue's admin console: rules, per-service slots, kiosk devices, daily figures."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from kernel.errors import DomainError, apply_domain_error
from kernel.routing import region_url
from tenants.mpp.models import Counter, Offering
from tenants.queue import selectors
from tenants.queue.forms import (
    KioskDeviceForm,
    OfferingQueueConfigForm,
    QueueSettingsForm,
)
from tenants.queue.models import DailyFigure, KioskDevice, OfferingQueueConfig, QueueSettings
from tenants.queue.services.figures import daily_figures_compute
from tenants.queue.services.kiosk import kiosk_device_create, kiosk_device_revoke
from tenants.queue.services.settings import (
    OFFERING_FIELDS,
    SETTINGS_FIELDS,
    offering_queue_config_update,
    queue_settings_update,
)
from tenants.queue.views.common import AdminPage, StaffPage


class SettingsView(AdminPage):
    template_name = "queue/console/settings.html"
    section = "settings"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", QueueSettingsForm(instance=selectors.queue_settings()))
        offerings = list(selectors.offerings_with_counters().select_related("queue_config"))
        for offering in offerings:
            offering.label = selectors.offering_label(offering)  # type: ignore[attr-defined]  # for display
            offering.profile = selectors.offering_queue_profile(  # type: ignore[attr-defined]
                offering, settings=context["form"].instance
            )
        context["offerings"] = offerings
        return context

    def post(self, request, *args, **kwargs):
        form = QueueSettingsForm(request.POST, instance=QueueSettings())
        if form.is_valid():
            try:
                queue_settings_update(
                    actor=request.user, **{f: form.cleaned_data[f] for f in SETTINGS_FIELDS}
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("Pengaturan antrean disimpan."))
                return redirect("queue:settings")
        response = self.render_to_response(self.get_context_data(form=form))
        response.status_code = 400
        return response


class OfferingConfigView(AdminPage):
    template_name = "queue/console/offering_config.html"
    section = "settings"

    def offering(self) -> Offering:
        offering = Offering.objects.select_related("service").filter(pk=self.kwargs["pk"]).first()
        if offering is None:
            raise Http404(_("Layanan tidak ditemukan."))
        offering.label = selectors.offering_label(offering)  # type: ignore[attr-defined]  # for display
        return offering

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        offering = kwargs.get("offering") or self.offering()
        instance = OfferingQueueConfig.objects.filter(offering=offering).first()
        context.setdefault("form", OfferingQueueConfigForm(instance=instance))
        context["offering"] = offering
        context["defaults"] = selectors.queue_settings()
        return context

    def post(self, request, *args, **kwargs):
        offering = self.offering()
        form = OfferingQueueConfigForm(request.POST, instance=OfferingQueueConfig())
        if form.is_valid():
            try:
                offering_queue_config_update(
                    actor=request.user,
                    offering=offering,
                    **{f: form.cleaned_data[f] for f in OFFERING_FIELDS},
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("Pengaturan antrean layanan disimpan."))
                return redirect("queue:settings")
        response = self.render_to_response(self.get_context_data(form=form, offering=offering))
        response.status_code = 400
        return response


class KioskListView(AdminPage):
    template_name = "queue/console/kiosks.html"
    section = "kiosks"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", KioskDeviceForm())
        context["devices"] = KioskDevice.objects.all()
        return context

    def post(self, request, *args, **kwargs):
        form = KioskDeviceForm(request.POST)
        if form.is_valid():
            try:
                device, token = kiosk_device_create(
                    actor=request.user, name=form.cleaned_data["name"]
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                # The token is shown this once and never stored: no redirect here.
                setup_url = region_url(
                    request.region.slug, reverse("queue:kiosk_setup", args=[token])
                )
                return self.render_to_response(
                    self.get_context_data(
                        form=KioskDeviceForm(), new_device=device, setup_url=setup_url
                    )
                )
        response = self.render_to_response(self.get_context_data(form=form))
        response.status_code = 400
        return response


class KioskRevokeView(AdminPage):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        device = KioskDevice.objects.filter(pk=self.kwargs["pk"]).first()
        if device is None:
            raise Http404(_("Kiosk tidak ditemukan."))
        kiosk_device_revoke(actor=request.user, device=device)
        messages.success(request, _("Kiosk %(name)s dicabut.") % {"name": device.name})
        return redirect("queue:kiosks")


class FiguresView(StaffPage):
    """Daily figures: the stored rollups of past days, and today's on request (admin)."""

    template_name = "queue/console/figures.html"
    section = "figures"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = selectors.local_today()
        try:
            day = dt.date.fromisoformat(self.request.GET.get("tanggal", ""))
        except ValueError:
            day = None
        totals = list(DailyFigure.objects.filter(scope="total").order_by("-date")[:14])
        day = day or (totals[0].date if totals else today)
        rows = list(
            DailyFigure.objects.filter(date=day)
            .exclude(scope="total")
            .select_related("offering", "offering__service", "counter")
        )
        for row in rows:
            row.label = (  # type: ignore[attr-defined]  # for display
                selectors.offering_label(row.offering)  # type: ignore[arg-type]
                if row.offering_id
                else str(row.counter)
            )
        context.update(
            day=day,
            today=today,
            totals=totals,
            by_offering=[r for r in rows if r.scope == "offering"],
            by_counter=[r for r in rows if r.scope == "counter"],
            total=DailyFigure.objects.filter(date=day, scope="total").first(),
            counters_known=Counter.objects.exists(),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not self.get_context_data()["is_admin"]:
            raise Http404(_("Tidak ditemukan."))
        today = selectors.local_today()
        daily_figures_compute(actor=request.user, day=today)
        messages.success(request, _("Angka hari ini dihitung ulang."))
        return redirect(f"{request.path}?tanggal={today.isoformat()}")
