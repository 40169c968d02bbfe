"""The tablet at a booth: the citizen (or the officer for them) types the number on their queue
ticket and answers right there. For a registered kiosk device or this region's staff; anyone
else is told the device is not set up (as the queue kiosk does)."""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse

from kernel.errors import DomainError
from tenants.survey.services import invitation_for_ticket_number
from tenants.survey.views.common import TabletPage
from tenants.survey.views.respond import TABLET


class TabletView(TabletPage):
    template_name = "survey/tablet.html"

    def post(self, request, *args, **kwargs):
        number = request.POST.get("number", "")
        try:
            invitation = invitation_for_ticket_number(number)
        except DomainError as exc:
            context = self.get_context_data(error=exc.message, number=number[:20])
            return self.render_to_response(context, status=exc.status_code)
        url = reverse("survey:respond", kwargs={"token": invitation.token})
        return redirect(f"{url}?mode={TABLET}")
