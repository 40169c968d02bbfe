"""The region's own dashboard on its host, for its DPMPTSP admin: the same figures as the
national dashboard for this MPP, the national median beside each, and an export. Reads the public
roll-up tables (this region's rows, and all live regions' for the medians)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from kernel.errors import DomainError
from shared.access.pages import RegionStaffRequiredMixin
from shared.accounts.models import ADMIN_ROLES
from shared.monitoring import selectors
from shared.monitoring.exports import FORMATS, table_response
from shared.monitoring.figures import ALL_COLUMNS
from shared.monitoring.views.national import region_context


class RegionAdminMixin(RegionStaffRequiredMixin):
    """This region's DPMPTSP admins (and superadmins); others 404, anonymous to sign in."""

    allowed_roles = ADMIN_ROLES


class RegionDashboardView(RegionAdminMixin, View):
    template_name = "monitoring/region_own.html"

    def get(self, request):
        status, errors = 200, []
        try:
            period = selectors.parse_period(request.GET)
        except DomainError as exc:
            errors.append(exc.message)
            status = 400
            period = selectors.parse_period({})
        context = region_context(request.region, period)
        context |= {"errors": errors, "section": "monitoring", "is_admin": True}
        return render(request, self.template_name, context, status=status)


class RegionExportView(RegionAdminMixin, View):
    """The region's daily rows over the period, every column of the contract."""

    def get(self, request, fmt: str):
        if fmt not in FORMATS:
            raise Http404
        try:
            period = selectors.parse_period(request.GET)
        except DomainError as exc:
            return render(
                request,
                "monitoring/region_own.html",
                {"errors": [exc.message], "region": request.region, "section": "monitoring"},
                status=400,
            )
        rows = selectors.region_daily(request.region.pk, period)
        headers = [_("Tanggal"), *ALL_COLUMNS]
        return table_response(
            filename=f"mpp-{request.region.slug}-{period.start:%Y%m%d}-{period.end:%Y%m%d}",
            fmt=fmt,
            headers=headers,
            rows=([r.day.isoformat(), *(getattr(r, c) for c in ALL_COLUMNS)] for r in rows),
        )
