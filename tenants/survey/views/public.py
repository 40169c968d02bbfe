"""The region's public IKM page: each service's current index and grade, and the MPP's, over
the last twelve months (from the daily sums, a fixed number of queries)."""

from __future__ import annotations

from shared.survey.index import GRADES
from tenants.mpp import selectors as mpp_selectors
from tenants.survey import selectors
from tenants.survey.views.common import RegionPublicPage


class PublicIndexView(RegionPublicPage):
    template_name = "survey/public.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        total, per_offering = selectors.public_results()
        rows = []
        for row in mpp_selectors.public_offerings():
            rows.append((row, per_offering.get(row.pk)))
        start, end = selectors.public_window()
        context.update(
            public_section="ikm",
            total=total,
            rows=rows,
            start=start,
            end=end,
            grades=GRADES,
        )
        return context
