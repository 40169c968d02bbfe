"""Console: counters, staff, general information and announcements."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kernel.errors import DomainError
from shared.access.console import AdminFormPage, ConsolePage
from shared.accounts.models import ADMIN_ROLES
from tenants.mpp import selectors
from tenants.mpp.forms import (
    AnnouncementForm,
    CounterForm,
    GeneralInfoForm,
    StaffInviteForm,
    StaffUpdateForm,
)
from tenants.mpp.models import Announcement, Counter, StaffAssignment
from tenants.mpp.services.counters import access_counter, counter_create, counter_update
from tenants.mpp.services.info import (
    access_announcement,
    announcement_create,
    announcement_delete,
    announcement_update,
    general_info_update,
)
from tenants.mpp.services.staff import (
    access_membership,
    staff_deactivate,
    staff_invite,
    staff_reactivate,
    staff_update,
)


def _or_404(access, **kwargs):
    return access(**kwargs)


# --- counters ------------------------------------------------------------------------------------


class CounterListView(ConsolePage):
    template_name = "mpp/console/counters.html"
    section = "counters"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["counters"] = (
            Counter.objects.select_related("booth", "booth__agency", "booth__local_agency")
            .prefetch_related("offerings__service")
            .order_by("-is_active", "number")
        )
        return context


class CounterFormView(AdminFormPage):
    template_name = "mpp/console/counter_form.html"
    section = "counters"
    success_message = gettext_lazy("Loket disimpan.")

    @property
    def counter(self) -> Counter | None:
        if "pk" not in self.kwargs:
            return None
        if not hasattr(self, "_counter"):
            self._counter = _or_404(access_counter, counter_id=self.kwargs["pk"])
        return self._counter

    def get_forms(self, data=None):
        c = self.counter
        initial: dict[str, Any] = {"is_active": True}
        if c is not None:
            initial = {
                "booth": c.booth_id,
                "number": c.number,
                "name": c.name,
                "ticket_prefix": c.ticket_prefix,
                "offerings": list(c.offerings.filter(is_active=True)),
                "is_active": c.is_active,
            }
        return {"form": CounterForm(data, initial=initial)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["counter"] = self.counter
        return context

    def save(self, forms):
        d = forms["form"].cleaned_data
        if self.counter is None:
            counter = counter_create(
                actor=self.request.user,
                booth=d["booth"],
                number=d["number"],
                name=d["name"],
                ticket_prefix=d["ticket_prefix"],
                offerings=d["offerings"],
            )
            if not d["is_active"]:
                counter_update(actor=self.request.user, counter=counter, is_active=False)
            return counter
        return counter_update(
            actor=self.request.user,
            counter=self.counter,
            booth=d["booth"],
            number=d["number"],
            name=d["name"],
            ticket_prefix=d["ticket_prefix"],
            is_active=d["is_active"],
            offerings=d["offerings"],
        )

    def success_url(self, counter):
        return reverse("mpp_admin:counters")


# --- staff ---------------------------------------------------------------------------------------


class StaffListView(ConsolePage):
    template_name = "mpp/console/staff.html"
    section = "staff"
    allowed_roles = ADMIN_ROLES

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["staff"] = selectors.staff_members()
        return context


class StaffInviteView(AdminFormPage):
    template_name = "mpp/console/staff_form.html"
    section = "staff"

    def get_forms(self, data=None):
        return {"form": StaffInviteForm(data)}

    def save(self, forms):
        d = forms["form"].cleaned_data
        membership = staff_invite(
            actor=self.request.user,
            email=d["email"],
            full_name=d["full_name"],
            role=d["role"],
            booths=d["booths"],
        )
        messages.success(
            self.request,
            _("Undangan dikirim ke %(email)s.") % {"email": membership.user.email},
        )
        return membership

    def success_url(self, membership):
        return reverse("mpp_admin:staff")


class StaffEditView(AdminFormPage):
    template_name = "mpp/console/staff_form.html"
    section = "staff"
    success_message = gettext_lazy("Data staf disimpan.")

    @property
    def membership(self):
        if not hasattr(self, "_membership"):
            self._membership = _or_404(access_membership, membership_id=self.kwargs["pk"])
        return self._membership

    def get_forms(self, data=None):
        m = self.membership
        booths = StaffAssignment.objects.filter(user_id=m.user_id).values_list(
            "booth_id", flat=True
        )
        return {"form": StaffUpdateForm(data, initial={"role": m.role, "booths": list(booths)})}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["membership"] = self.membership
        return context

    def save(self, forms):
        d = forms["form"].cleaned_data
        return staff_update(
            actor=self.request.user,
            membership=self.membership,
            role=d["role"],
            booths=d["booths"],
        )

    def success_url(self, membership):
        return reverse("mpp_admin:staff")


class StaffActiveView(ConsolePage):
    allowed_roles = ADMIN_ROLES
    activate = False

    def get(self, request, *args, **kwargs):
        return redirect("mpp_admin:staff")

    def post(self, request, *args, **kwargs):
        membership = _or_404(access_membership, membership_id=kwargs["pk"])
        try:
            if self.activate:
                staff_reactivate(actor=request.user, membership=membership)
                messages.success(request, _("Staf diaktifkan kembali."))
            else:
                staff_deactivate(actor=request.user, membership=membership)
                messages.success(request, _("Staf dinonaktifkan."))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("mpp_admin:staff")


# --- general information and announcements ------------------------------------------------------


class GeneralInfoView(AdminFormPage):
    template_name = "mpp/console/info.html"
    section = "info"
    success_message = gettext_lazy("Informasi umum disimpan.")

    def get_forms(self, data=None):
        return {"form": GeneralInfoForm(data, instance=selectors.general_info())}

    def save(self, forms):
        form = forms["form"]
        return general_info_update(
            actor=self.request.user, **{name: form.cleaned_data[name] for name in form.fields}
        )

    def success_url(self, info):
        return reverse("mpp_admin:info")


class AnnouncementListView(ConsolePage):
    template_name = "mpp/console/announcements.html"
    section = "announcements"
    allowed_roles = ADMIN_ROLES

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        published = set(Announcement.objects.published().values_list("pk", flat=True))
        context["announcements"] = [(a, a.pk in published) for a in Announcement.objects.all()]
        return context


class AnnouncementFormView(AdminFormPage):
    template_name = "mpp/console/announcement_form.html"
    section = "announcements"
    success_message = gettext_lazy("Pengumuman disimpan.")

    @property
    def announcement(self) -> Announcement | None:
        if "pk" not in self.kwargs:
            return None
        if not hasattr(self, "_announcement"):
            self._announcement = _or_404(access_announcement, announcement_id=self.kwargs["pk"])
        return self._announcement

    def get_forms(self, data=None):
        a = self.announcement
        initial: dict[str, Any] = {}
        if a is not None:
            initial = {
                "title": a.title,
                "body": a.body,
                "publish_from": a.publish_from,
                "publish_until": a.publish_until,
                "is_important": a.is_important,
            }
        return {"form": AnnouncementForm(data, initial=initial)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["announcement"] = self.announcement
        return context

    def save(self, forms):
        d = forms["form"].cleaned_data
        if self.announcement is None:
            return announcement_create(actor=self.request.user, **d)
        return announcement_update(actor=self.request.user, announcement=self.announcement, **d)

    def success_url(self, announcement):
        return reverse("mpp_admin:announcements")


class AnnouncementDeleteView(ConsolePage):
    allowed_roles = ADMIN_ROLES

    def get(self, request, *args, **kwargs):
        return redirect("mpp_admin:announcements")

    def post(self, request, *args, **kwargs):
        announcement = _or_404(access_announcement, announcement_id=kwargs["pk"])
        announcement_delete(actor=request.user, announcement=announcement)
        messages.success(request, _("Pengumuman dihapus."))
        return redirect("mpp_admin:announcements")
