"""What every queue page shares: the region's time zone, the audience of each kind of page."""

from __future__ import annotations

from django.http import Http404
from django.views.generic import TemplateView

from kernel.errors import DomainError, NotFoundError
from kernel.tenancy import region_request
from shared.access.pages import (
    CitizenRequiredMixin,
    PublicPageMixin,
    RegionStaffRequiredMixin,
)
from shared.access.policy import is_region_staff
from shared.accounts.models import ADMIN_ROLES, STAFF_ROLES


class QueuePage(TemplateView):
    """What the queue's pages share (no audience: each page below names its own)."""

    section = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            section=self.section,
            region=region_request(self.request).region,
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


class RegionPage(PublicPageMixin, QueuePage):
    """A public page on a region's host (the national host has no queue: 404)."""


class CitizenPage(CitizenRequiredMixin, QueuePage):
    """Pages for a signed-in person (any account: citizens, and staff booking for themselves)."""


class StaffPage(RegionStaffRequiredMixin, QueuePage):
    """Pages for this region's staff; others get 404, anonymous users the sign-in page."""

    allowed_roles: tuple[str, ...] = STAFF_ROLES


class AdminPage(StaffPage):
    allowed_roles = ADMIN_ROLES
