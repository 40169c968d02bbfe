"""The region admin's SKM pages under ``/survei/kelola/``: the report of a period (page, CSV,
PDF), trends per element and booth, the survey settings with the region's own questions, and
the follow-up plan. Admins of this region only (others 404, anonymous: sign in)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kernel.errors import DomainError
from shared.access.console import ConsolePage
from shared.accounts.models import ADMIN_ROLES
from shared.survey.elements import ELEMENTS
from shared.survey.index import GRADES, KREJCIE_MORGAN
from shared.survey.periods import Period, PeriodError, parse_period, period_of
from tenants.mpp.models import Booth, Offering
from tenants.mpp.selectors import region_today
from tenants.survey import exports, selectors, services
from tenants.survey.models import ExtraQuestion, FollowUpAction, Invitation


class SurveyConsolePage(ConsolePage):
    allowed_roles = ADMIN_ROLES  # same form as AdminFormPage (mypy: see ConsolePage)
    section = "survey"


def period_choices(today) -> list[tuple[str, list[Period]]]:
    """Periods to pick from: this and earlier years, semesters, quarters, months."""
    groups: list[tuple[str, list[Period]]] = []
    for kind, title, count in (
        ("year", gettext_lazy("Tahun"), 3),
        ("semester", gettext_lazy("Semester"), 4),
        ("quarter", gettext_lazy("Triwulan"), 8),
        ("month", gettext_lazy("Bulan"), 18),
    ):
        periods = [period_of(kind, today)]
        while len(periods) < count:
            periods.append(periods[-1].previous())
        groups.append((str(title), periods))
    return groups


def _int_param(request, name: str) -> int | None:
    raw = (request.GET.get(name) or "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError as exc:
        raise DomainError(_("Pilihan tidak dikenal.")) from exc


def period_and_scope(request) -> tuple[Period, selectors.Scope]:
    """From the query string; a bad value raises DomainError (shown on the page, 400)."""
    raw = request.GET.get("periode")
    try:
        period = parse_period(raw) if raw else selectors.default_period()
    except PeriodError as exc:
        raise DomainError(str(exc), code="bad_period") from exc
    scope = selectors.Scope(
        offering_id=_int_param(request, "layanan"),
        booth_id=_int_param(request, "gerai"),
        agency_key=(request.GET.get("instansi") or "").strip()[:20],
    )
    if scope.offering_id is not None and not Offering.objects.filter(pk=scope.offering_id).exists():
        raise DomainError(_("Layanan tidak ditemukan."), code="bad_scope")
    if scope.booth_id is not None and not Booth.objects.filter(pk=scope.booth_id).exists():
        raise DomainError(_("Gerai tidak ditemukan."), code="bad_scope")
    return period, scope


class ReportView(SurveyConsolePage):
    template_name = "survey/console/report.html"

    def get(self, request, *args, **kwargs):
        try:
            period, scope = period_and_scope(request)
        except DomainError as exc:
            context = self.get_context_data(error=exc.message, **self.choices())
            return self.render_to_response(context, status=400)
        report = selectors.skm_report(period, scope)
        query = urlencode({"periode": period.key, **scope.as_params()})
        context = self.get_context_data(
            report=report,
            query=query,
            period_key=period.key,
            scope=scope,
            elements=ELEMENTS,
            **self.choices(),
        )
        return self.render_to_response(context)

    def choices(self) -> dict:
        return {
            "period_groups": period_choices(region_today()),
            "offerings": list(Offering.objects.select_related("service").order_by("name", "code")),
            "booths": list(Booth.objects.select_related("agency", "local_agency")),
            "agencies": list(
                Invitation.objects.exclude(agency_key="")
                .order_by("agency_key", "-date")
                .distinct("agency_key")
                .values_list("agency_key", "agency_name")
            ),
            "grades": GRADES,
        }


class ReportCsvView(SurveyConsolePage):
    def get(self, request, *args, **kwargs):
        try:
            period, scope = period_and_scope(request)
        except DomainError as exc:
            return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
        report = selectors.skm_report(period, scope)
        response = HttpResponse(
            exports.report_csv(report, region=request.region),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="skm-{request.region.slug}-{period.key}.csv"'
        )
        return response


class ReportPdfView(SurveyConsolePage):
    def get(self, request, *args, **kwargs):
        try:
            period, scope = period_and_scope(request)
        except DomainError as exc:
            return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
        report = selectors.skm_report(period, scope)
        response = HttpResponse(
            exports.report_pdf(report, region=request.region), content_type="application/pdf"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="skm-{request.region.slug}-{period.key}.pdf"'
        )
        return response


class TrendsView(SurveyConsolePage):
    template_name = "survey/console/trends.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["trends"] = selectors.trends()
        return context


class FollowUpAddView(SurveyConsolePage):
    http_method_names = ["post"]  # a form on the report page; a GET answers 405, not a 500

    def post(self, request, *args, **kwargs):
        period_key = request.POST.get("periode", "")
        try:
            period = parse_period(period_key)
            services.follow_up_add(
                actor=request.user,
                period=period.key,
                element=request.POST.get("element", ""),
                action=request.POST.get("action", ""),
                schedule=request.POST.get("schedule", ""),
                responsible=request.POST.get("responsible", ""),
            )
        except PeriodError as exc:
            messages.error(request, str(exc))
            return redirect("survey:report")
        except DomainError as exc:
            for field_errors in (exc.extra.get("errors") or {"": [exc.message]}).values():
                for message in field_errors:
                    messages.error(request, message)
        else:
            messages.success(request, _("Rencana tindak lanjut ditambahkan."))
        back = request.POST.get("back", "")
        url = reverse("survey:report") + "?" + urlencode({"periode": period.key})
        if back.startswith("periode="):
            url = reverse("survey:report") + "?" + back
        return redirect(url + "#tindak-lanjut")


class FollowUpDeleteView(SurveyConsolePage):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        row = FollowUpAction.objects.filter(pk=kwargs["pk"]).first()
        if row is None:
            raise Http404(_("Tidak ditemukan."))
        services.follow_up_delete(actor=request.user, row=row)
        messages.success(request, _("Rencana tindak lanjut dihapus."))
        return redirect(
            reverse("survey:report") + "?" + urlencode({"periode": row.period}) + "#tindak-lanjut"
        )


class SettingsView(SurveyConsolePage):
    """Invitation validity and the region's own questions (the nine national ones are fixed)."""

    template_name = "survey/console/settings.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            settings=services.survey_settings(),
            questions=list(ExtraQuestion.objects.all()),
            kinds=ExtraQuestion.Kind.choices,
            km_table=KREJCIE_MORGAN,
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("do")
        try:
            if action == "settings":
                services.survey_settings_update(
                    actor=request.user,
                    invitation_valid_days=request.POST.get("invitation_valid_days"),
                )
                messages.success(request, _("Pengaturan survei disimpan."))
            elif action == "question":
                pk = request.POST.get("question") or ""
                question = ExtraQuestion.objects.filter(pk=pk).first() if pk.isdigit() else None
                if pk and question is None:
                    raise Http404(_("Tidak ditemukan."))
                services.extra_question_save(
                    actor=request.user,
                    question=question,
                    text_id=request.POST.get("text_id", ""),
                    text_en=request.POST.get("text_en", ""),
                    kind=request.POST.get("kind", ""),
                    position=_safe_int(request.POST.get("position")),
                    is_active=request.POST.get("is_active") == "on",
                )
                messages.success(request, _("Pertanyaan disimpan."))
            else:
                raise DomainError(_("Pilih salah satu tombol."))
        except DomainError as exc:
            context = self.get_context_data(error=exc.message, errors=exc.extra.get("errors", {}))
            return self.render_to_response(context, status=exc.status_code)
        return redirect("survey:settings")


def _safe_int(raw) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return 0
