"""The tablet at a booth: the citizen (or the officer for them) types the number on their queue
ticket and answers right there. For a registered kiosk device or this region's staff; anyone
else is told the device is not set up (as the queue kiosk does)."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse

from kernel.errors import DomainError
from tenants.queue.services.kiosk import COOKIE_NAME, kiosk_for_token
from tenants.queue.views.common import is_region_staff
from tenants.survey.services import invitation_for_ticket_number
from tenants.survey.views.common import RegionPublicPage
from tenants.survey.views.respond import TABLET


class TabletView(RegionPublicPage):
    template_name = "survey/tablet.html"

    def dispatch(self, request, *args, **kwargs):
        if getattr(request, "region", None) is not None:
            device = kiosk_for_token(request.COOKIES.get(COOKIE_NAME))
            if device is None and not is_region_staff(request):
                return render(request, "survey/not_a_tablet.html", status=403)
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        number = request.POST.get("number", "")
        try:
            invitation = invitation_for_ticket_number(number)
        except DomainError as exc:
            context = self.get_context_data(error=exc.message, number=number[:20])
            return self.render_to_response(context, status=exc.status_code)
        url = reverse("survey:respond", kwargs={"token": invitation.token})
        return redirect(f"{url}?mode={TABLET}")
