"""What every queue page shares: the region check, the region's time zone, sign-in and roles."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from kernel.errors import DomainError, NotFoundError
from shared.access.pages import RegionStaffRequiredMixin
from shared.accounts.models import ADMIN_ROLES, STAFF_ROLES
from shared.accounts.selectors import membership_for
from tenants.mpp.views.base import RegionTimezoneMixin


def is_region_staff(request, roles=STAFF_ROLES) -> bool:
    user = request.user
    if not user.is_authenticated or getattr(request, "region", None) is None:
        return False
    if user.is_superadmin:
        return True
    membership = membership_for(user, request.region)
    return membership is not None and membership.role in roles


class RegionPage(RegionTimezoneMixin, TemplateView):
    """A page on a region's host (the national host has no queue: 404)."""

    section = ""

    def dispatch(self, request, *args, **kwargs):
        if getattr(request, "region", None) is None:
            raise Http404(_("Tidak ditemukan."))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            section=self.section,
            region=self.request.region,
            is_staff=is_region_staff(self.request),
            is_admin=is_region_staff(self.request, ADMIN_ROLES),
        )
        return context

    def refuse(self, exc: DomainError, **context):
        """Show a service's refusal on the page itself (status of the error)."""
        if isinstance(exc, NotFoundError) and not context.pop("show_not_found", False):
            raise Http404(exc.message)
        context.setdefault("error", exc.message)
        response = self.render_to_response(self.get_context_data(**context))
        response.status_code = exc.status_code
        return response


class CitizenPage(RegionPage):
    """Pages for a signed-in person (any account: citizens, and staff booking for themselves)."""

    def dispatch(self, request, *args, **kwargs):
        if getattr(request, "region", None) is not None and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)


class StaffPage(RegionStaffRequiredMixin, RegionPage):
    """Pages for this region's staff; others get 404, anonymous users the sign-in page."""

    allowed_roles: tuple[str, ...] = STAFF_ROLES


class AdminPage(StaffPage):
    allowed_roles = ADMIN_ROLES
