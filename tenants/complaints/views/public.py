"""``/pengaduan/transparansi/``: the region's complaint figures of the last 12 months, for
everyone. Aggregates only: no complaint, no person."""

from __future__ import annotations

from tenants.complaints.figures import transparency
from tenants.mpp.views.public import PublicPage


class TransparencyView(PublicPage):
    template_name = "complaints/transparency.html"
    public_section = "complaints"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["t"] = transparency()
        return context
