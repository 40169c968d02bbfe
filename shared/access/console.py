"""The region console's page bases, shared by every app with console pages: staff of this
region only (others: 404; anonymous: the sign-in page), admin-only pages by role."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.functional import Promise
from django.views.generic import TemplateView

from kernel.errors import DomainError, NotFoundError, apply_domain_error
from shared.access.pages import RegionStaffRequiredMixin
from shared.accounts.models import ADMIN_ROLES, STAFF_ROLES


def is_region_admin(request) -> bool:
    if request.user.is_authenticated and request.user.is_superadmin:
        return True
    membership = getattr(request, "membership", None)
    return membership is not None and membership.role in ADMIN_ROLES


class ConsolePage(RegionStaffRequiredMixin, TemplateView):
    """A page of the admin console. Staff of this region only (others: 404; anonymous: the
    sign-in page). Admin-only pages set ``allowed_roles = ADMIN_ROLES``."""

    allowed_roles: tuple[str, ...] = STAFF_ROLES
    section = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["section"] = self.section
        context["is_admin"] = is_region_admin(self.request)
        return context


class AdminFormPage(ConsolePage):
    """GET shows the form(s); POST parses, calls ``save`` and redirects, or shows the errors
    (a service refusal lands on the form next to its field)."""

    allowed_roles = ADMIN_ROLES
    success_message: str | Promise = ""

    def get_forms(self, data=None) -> dict:
        raise NotImplementedError

    def save(self, forms: dict):
        raise NotImplementedError

    def success_url(self, result) -> str:
        raise NotImplementedError

    def submitted(self, forms: dict) -> list:
        """The forms this POST fills in (all of them unless a page shows others read-only)."""
        return list(forms.values())

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(**self.get_forms()))

    def post(self, request, *args, **kwargs):
        forms = self.get_forms(request.POST)
        submitted = self.submitted(forms)
        if all(f.is_valid() for f in submitted):
            try:
                result = self.save(forms)
            except NotFoundError:
                raise  # not a form error: the page error handler answers 404
            except DomainError as exc:
                apply_domain_error(submitted[0], exc)
            else:
                if self.success_message:
                    messages.success(request, str(self.success_message))
                return redirect(self.success_url(result))
        return self.render_to_response(self.get_context_data(**forms), status=400)
