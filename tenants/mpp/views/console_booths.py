"""Console: dashboard, booths with their weekly hours, MPP hours and closures."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shared.access.console import AdminFormPage, ConsolePage
from shared.accounts.models import ADMIN_ROLES
from tenants.mpp import selectors
from tenants.mpp.forms import BoothForm, ClosureForm, WeeklyHoursForm
from tenants.mpp.models import Announcement, Booth, Counter, Offering, OpeningHours
from tenants.mpp.services.booths import (
    access_booth,
    access_closure,
    booth_create,
    booth_update,
    closure_create,
    closure_delete,
    hours_set,
    local_agency_create,
)


def _booth_or_404(pk) -> Booth:
    return access_booth(booth_id=pk)


class DashboardView(ConsolePage):
    template_name = "mpp/console/dashboard.html"
    section = "dashboard"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        offerings = Offering.objects.active()
        context.update(
            status=selectors.mpp_status(),
            counts={
                "booths": Booth.objects.filter(is_active=True).count(),
                "offerings": offerings.adopted().count(),
                "local": offerings.local().count(),
                "counters": Counter.objects.filter(is_active=True).count(),
                "announcements": Announcement.objects.published().count(),
            },
            pending=list(selectors.offerings_with_pending_changes().select_related("service")[:20]),
            days_off=selectors.upcoming_days_off(30)[:8],
            has_hours=OpeningHours.objects.filter(
                booth__isnull=True, offering__isnull=True
            ).exists(),
        )
        return context


class BoothListView(ConsolePage):
    template_name = "mpp/console/booths.html"
    section = "booths"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["booths"] = selectors.booth_rows(include_inactive=True)
        return context


class BoothCreateView(AdminFormPage):
    template_name = "mpp/console/booth_form.html"
    section = "booths"
    success_message = gettext_lazy("Gerai disimpan.")

    def get_forms(self, data=None):
        return {
            "form": BoothForm(data, prefix="booth"),
            "hours_form": WeeklyHoursForm(
                data,
                prefix="hours",
                allow_follow=True,
                initial={"follow": True},
            ),
        }

    def save(self, forms):
        d = forms["form"].cleaned_data
        actor = self.request.user
        local_agency = d["local_agency"]
        if d["new_local_agency"].strip():
            local_agency = local_agency_create(actor=actor, name=d["new_local_agency"])
        return booth_create(
            actor=actor,
            agency=d["agency"],
            local_agency=local_agency,
            number=d["number"],
            name=d["name"],
            location=d["location"],
            description=d["description"],
            is_active=d["is_active"],
            hours=forms["hours_form"].hours(),
        )

    def success_url(self, booth):
        return reverse("mpp_admin:booth_edit", args=[booth.pk])


class BoothEditView(AdminFormPage):
    template_name = "mpp/console/booth_form.html"
    section = "booths"
    success_message = gettext_lazy("Gerai disimpan.")

    @property
    def booth(self) -> Booth:
        if not hasattr(self, "_booth"):
            self._booth = _booth_or_404(self.kwargs["pk"])
        return self._booth

    def get_forms(self, data=None):
        booth = self.booth
        own = selectors.hours_by_weekday(OpeningHours.objects.filter(booth=booth))
        initial_hours = WeeklyHoursForm.initial_from(
            own or selectors.mpp_weekly_hours(), follow=not own
        )
        return {
            "form": BoothForm(
                data,
                prefix="booth",
                editing=True,
                initial={
                    "number": booth.number,
                    "name": booth.name,
                    "location": booth.location,
                    "description": booth.description,
                    "is_active": booth.is_active,
                },
            ),
            "hours_form": WeeklyHoursForm(
                data, prefix="hours", allow_follow=True, initial=initial_hours
            ),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["booth"] = self.booth
        context["closures"] = self.booth.closures.all()
        context["closure_form"] = ClosureForm(initial={"booth": self.booth.pk})
        return context

    def save(self, forms):
        d = forms["form"].cleaned_data
        booth = booth_update(
            actor=self.request.user,
            booth=self.booth,
            number=d["number"],
            name=d["name"],
            location=d["location"],
            description=d["description"],
            is_active=d["is_active"],
        )
        hours_set(actor=self.request.user, booth=booth, hours=forms["hours_form"].hours())
        return booth

    def success_url(self, booth):
        return reverse("mpp_admin:booth_edit", args=[booth.pk])


class HoursView(AdminFormPage):
    """The MPP building's weekly hours, national days off (pre-filled from lokal-id) and local
    closures."""

    template_name = "mpp/console/hours.html"
    section = "hours"
    success_message = gettext_lazy("Jam layanan MPP disimpan.")

    def get_forms(self, data=None):
        initial = WeeklyHoursForm.initial_from(selectors.mpp_weekly_hours())
        return {
            "hours_form": WeeklyHoursForm(data, prefix="hours", initial=initial),
            "closure_form": ClosureForm(),
        }

    def submitted(self, forms):
        return [forms["hours_form"]]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        info = selectors.general_info()
        context["info"] = info
        context["days_off"] = selectors.upcoming_days_off(400, info=info)
        return context

    def save(self, forms):
        return hours_set(actor=self.request.user, hours=forms["hours_form"].hours())

    def success_url(self, result):
        return reverse("mpp_admin:hours")


class ClosureCreateView(HoursView):
    """Adds a closure (the form on the hours page and on a booth's page); errors are shown on
    the hours page."""

    success_message = gettext_lazy("Penutupan ditambahkan.")

    def get(self, request, *args, **kwargs):
        return redirect("mpp_admin:hours")

    def get_forms(self, data=None):
        return {**super().get_forms(), "closure_form": ClosureForm(data)}

    def submitted(self, forms):
        return [forms["closure_form"]]

    def save(self, forms):
        d = forms["closure_form"].cleaned_data
        return closure_create(
            actor=self.request.user,
            start_date=d["start_date"],
            end_date=d["end_date"],
            reason=d["reason"],
            booth=d["booth"],
        )

    def success_url(self, closure):
        if closure.booth_id:
            return reverse("mpp_admin:booth_edit", args=[closure.booth_id])
        return reverse("mpp_admin:hours")


class ClosureDeleteView(ConsolePage):
    allowed_roles = ADMIN_ROLES

    def get(self, request, *args, **kwargs):
        return redirect("mpp_admin:hours")

    def post(self, request, *args, **kwargs):
        closure = access_closure(closure_id=kwargs["pk"])
        booth_id = closure.booth_id
        closure_delete(actor=request.user, closure=closure)
        messages.success(request, _("Penutupan dihapus."))
        if booth_id:
            return redirect("mpp_admin:booth_edit", pk=booth_id)
        return redirect("mpp_admin:hours")
