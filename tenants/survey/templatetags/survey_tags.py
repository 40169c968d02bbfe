"""Survey pieces other apps' templates show: the invitation's link and QR on a receipt or a
ticket, and an offering's current IKM on its public page."""

from __future__ import annotations

from django import template

from tenants.survey.links import invitation_token, survey_qr, survey_url
from tenants.survey.models import Invitation
from tenants.survey.selectors import offering_public_result

register = template.Library()


@register.inclusion_tag("survey/_invite.html")
def survey_invite(source_kind: str, source_id: int, compact: bool = False) -> dict:
    """The survey's QR and link for a transaction (``application`` or ``queue_ticket``)."""
    token = invitation_token(source_kind, source_id)
    if Invitation.objects.filter(token=token, answered_at__isnull=False).exists():
        return {"answered": True}
    url = survey_url(token)
    return {"url": url, "qr": survey_qr(url), "compact": compact}


@register.inclusion_tag("survey/_offering_ikm.html")
def offering_ikm(offering) -> dict:
    return {"result": offering_public_result(offering.pk)}
