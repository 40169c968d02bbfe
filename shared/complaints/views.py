""" "Pengaduan saya": the signed-in citizen's complaints in every region, from the public index
(no region schema is queried). Served the same on the national site and every region's site."""

from django.shortcuts import render
from django.views import View

from kernel.routing import region_url
from shared.access.pages import CitizenRequiredMixin
from shared.access.policy import Host
from shared.complaints.models import ComplaintStatus
from shared.complaints.selectors import complaints_of


def _label(value) -> str:
    try:
        return str(ComplaintStatus(value).label)
    except ValueError:
        return str(value)


class MyComplaintsView(CitizenRequiredMixin, View):
    host = Host.ANY

    def get(self, request):
        rows = [
            {
                "row": row,
                "url": region_url(row.region.slug, f"/pengaduan/{row.complaint_id}/"),
                "timeline": [
                    {"label": _label(step.get("status")), "at": step.get("at", "")[:16]}
                    for step in row.timeline
                ],
            }
            for row in complaints_of(request.user)[:200]
        ]
        return render(request, "complaint_index/mine.html", {"rows": rows})
