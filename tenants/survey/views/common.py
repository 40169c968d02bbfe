"""What the survey's pages share. Three audiences: anyone holding an invitation link (no
account), the booth tablet (a registered kiosk device or this region's staff), and the region's
admins (the report)."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from tenants.mpp.views.base import RegionTimezoneMixin


class RegionPublicPage(RegionTimezoneMixin, TemplateView):
    """A page on a region's host that needs no sign-in (the national host has none: 404)."""

    def dispatch(self, request, *args, **kwargs):
        if getattr(request, "region", None) is None:
            raise Http404(_("Tidak ditemukan."))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["region"] = getattr(self.request, "region", None)
        return context
