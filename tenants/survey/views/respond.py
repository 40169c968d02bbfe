"""The survey itself: ``/survei/isi/<token>/``, from the QR on a receipt or ticket, the link in
a notification, or the booth tablet. No account needed; the token is the invitation.

Refusals are pages with a clear message and the matching status: unknown (or service not yet
finished) 404, already answered 409, expired 410. A form with mistakes comes back (400) with
every answer kept; the static script also keeps a half-filled form across a reload.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kernel.errors import DomainError
from shared.survey.elements import EDUCATION, ELEMENT_BY_CODE, OCCUPATION, SEX
from shared.survey.selectors import current_questionnaire
from tenants.survey.models import Invitation, Response
from tenants.survey.services import (
    active_extra_questions,
    invitation_for_token,
    response_submit,
)
from tenants.survey.views.common import RegionPublicPage

TABLET = "tablet"


def _mode(request) -> str:
    return TABLET if (request.GET.get("mode") or request.POST.get("mode")) == TABLET else ""


class RespondView(RegionPublicPage):
    template_name = "survey/respond.html"

    def get(self, request, *args, **kwargs):
        try:
            invitation = invitation_for_token(kwargs["token"])
        except DomainError as exc:
            return self.refused(exc)
        return self.render_to_response(self.get_context_data(invitation=invitation, values={}))

    def post(self, request, *args, **kwargs):
        try:
            response_submit(
                token=kwargs["token"],
                data=request.POST,
                channel=Response.Channel.TABLET if _mode(request) else Response.Channel.LINK,
                language=get_language() or "id",
            )
        except DomainError as exc:
            if exc.code != "invalid":
                return self.refused(exc)
            try:
                invitation = invitation_for_token(kwargs["token"])
            except DomainError as gone:  # answered or expired meanwhile
                return self.refused(gone)
            context = self.get_context_data(
                invitation=invitation,
                values=request.POST,
                errors=exc.extra.get("errors", {}),
                error=exc.message,
            )
            return self.render_to_response(context, status=400)
        url = reverse("survey:thanks", kwargs={"token": kwargs["token"]})
        return redirect(f"{url}?mode={TABLET}" if _mode(self.request) else url)

    def refused(self, exc: DomainError):
        self.template_name = "survey/refused.html"
        context = self.get_context_data(
            error=exc.message, code=exc.code, token=self.kwargs["token"]
        )
        return self.render_to_response(context, status=exc.status_code)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["mode"] = _mode(self.request)
        invitation = kwargs.get("invitation")
        if invitation is None:
            return context
        values = kwargs.get("values") or {}
        errors = kwargs.get("errors") or {}
        questionnaire = current_questionnaire()
        elements = []
        for number, element in enumerate(questionnaire.elements.all(), start=1):
            elements.append(
                {
                    "number": number,
                    "code": element.code,
                    "name": ELEMENT_BY_CODE[element.code].name,
                    "question": element.question,
                    "options": element.options,
                    "value": str(values.get(element.code, "")),
                    "errors": errors.get(element.code, []),
                }
            )
        english = (get_language() or "").startswith("en")
        extra = [
            {
                "field": f"q{q.pk}",
                "text": q.text_en if english and q.text_en else q.text_id,
                "kind": q.kind,
                "value": str(values.get(f"q{q.pk}", "")),
                "errors": errors.get(f"q{q.pk}", []),
            }
            for q in active_extra_questions()
        ]
        context.update(
            invitation=invitation,
            questionnaire=questionnaire,
            elements=elements,
            extra_questions=extra,
            scale_labels=[
                (1, _("Tidak puas")),
                (2, _("Kurang puas")),
                (3, _("Puas")),
                (4, _("Sangat puas")),
            ],
            sexes=SEX.choices,
            educations=EDUCATION.choices,
            occupations=OCCUPATION.choices,
            values=values,
            errors=errors,
            error_count=len(errors),
        )
        return context


class ThanksView(RegionPublicPage):
    """After a response: thanks (and, on the tablet, back to the start for the next person).
    Shows nothing about the transaction beyond its number."""

    template_name = "survey/thanks.html"

    def get(self, request, *args, **kwargs):
        invitation = Invitation.objects.filter(token=kwargs["token"].lower()[:64]).first()
        if invitation is None:  # unknown here (another region's token included)
            raise Http404(_("Tidak ditemukan."))
        if invitation.answered_at is None:
            return redirect("survey:respond", token=invitation.token)
        return self.render_to_response(
            self.get_context_data(invitation=invitation, mode=_mode(request))
        )
