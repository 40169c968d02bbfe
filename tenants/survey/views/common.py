"""What the survey's pages share. Three audiences (``shared.access``): the public on the
region's host (anyone holding an invitation link, no account; the public IKM page), the booth
tablet (a registered kiosk device or this region's staff) and the region's admins (the report)."""

from __future__ import annotations

from django.views.generic import TemplateView

from shared.access.pages import PublicPageMixin
from shared.access.policy import Device
from tenants.queue.access import KIOSK


class SurveyPage(TemplateView):
    """No audience of its own: each page below names one. (Routing has activated the region's
    time zone.)"""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["region"] = getattr(self.request, "region", None)
        return context


class RegionPublicPage(PublicPageMixin, SurveyPage):
    """Everyone, on a region's host (the national host has no survey: 404)."""


# The booth tablet: the queue's kiosk credential, with the survey's own refusal page.
SURVEY_TABLET = Device(
    name="survey_tablet", identify=KIOSK.identify, refused_template="survey/not_a_tablet.html"
)


class TabletPage(PublicPageMixin, SurveyPage):
    """A registered kiosk device of this region, or its staff."""

    device = SURVEY_TABLET
