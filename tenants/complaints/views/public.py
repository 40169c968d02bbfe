"""``/pengaduan/transparansi/``: the region's complaint figures of the last 12 months, for
everyone. Aggregates only: no complaint, no person."""

from __future__ import annotations

from django.views.generic import TemplateView

from shared.access.pages import PublicPageMixin
from tenants.complaints.figures import transparency


class TransparencyView(PublicPageMixin, TemplateView):
    template_name = "complaints/transparency.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            public_section="complaints",  # the public site's navigation marks its entry
            region=self.request.region,
            mpp=self.request.tenant,
            t=transparency(),
        )
        return context
