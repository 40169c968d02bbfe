"""The evaluation on the national host, for KemenPANRB superadmins (the evaluators): periods,
the live progress of a cycle, each region's review (score, comment, return, accept), the PDF
report, evidence and the national recap."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from kernel.errors import DomainError
from shared.access.pages import SuperadminRequiredMixin
from shared.monitoring.evaluation import selectors, services
from shared.monitoring.evaluation.defaults import DEFAULT_GRADE_BANDS
from shared.monitoring.evaluation.report import evaluation_pdf
from shared.monitoring.exports import FORMATS, table_response
from shared.monitoring.models import EvaluationPeriod, Evidence, RegionEvaluation


def bands_text(bands) -> str:
    return "\n".join(f"{b['min']:.2f} {b['grade']} {b['label']}" for b in bands)


def parse_bands(text: str) -> list[dict]:
    bands = []
    for n, line in enumerate((text or "").splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split(maxsplit=2)
        try:
            bands.append(
                {
                    "min": float(parts[0].replace(",", ".")),
                    "grade": parts[1],
                    "label": parts[2] if len(parts) > 2 else "",
                }
            )
        except (IndexError, ValueError) as exc:
            raise DomainError(
                _("Baris %(n)s ambang kategori: tulis 'nilai-minimum kategori keterangan'.")
                % {"n": n},
                code="bad_bands",
            ) from exc
    return bands


class PeriodForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Nama periode"), max_length=150)
    year = forms.IntegerField(label=gettext_lazy("Tahun"), min_value=2020, max_value=2100)
    measure_start = forms.DateField(
        label=gettext_lazy("Data dari"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    measure_end = forms.DateField(
        label=gettext_lazy("Data sampai"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    deadline = forms.DateField(
        label=gettext_lazy("Batas pengajuan"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    grade_bands = forms.CharField(
        label=gettext_lazy("Ambang kategori (per baris: nilai minimum, kategori, keterangan)"),
        widget=forms.Textarea(attrs={"rows": 9}),
    )


class PeriodListView(SuperadminRequiredMixin, View):
    template_name = "monitoring/evaluation/periods.html"

    def _render(self, request, form, status=200):
        periods = EvaluationPeriod.objects.all()
        return render(
            request,
            self.template_name,
            {"form": form, "periods": [(p, selectors.period_progress(p)) for p in periods]},
            status=status,
        )

    def get(self, request):
        today = timezone.localdate()
        year = today.year
        return self._render(
            request,
            PeriodForm(
                initial={
                    "name": _("Evaluasi MPP Digital %(y)s") % {"y": year},
                    "year": year,
                    "measure_start": dt.date(year, 1, 1),
                    "measure_end": today - dt.timedelta(days=1),
                    "deadline": today + dt.timedelta(days=30),
                    "grade_bands": bands_text(DEFAULT_GRADE_BANDS),
                }
            ),
        )

    def post(self, request):
        form = PeriodForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        try:
            period = services.period_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                year=form.cleaned_data["year"],
                measure_start=form.cleaned_data["measure_start"],
                measure_end=form.cleaned_data["measure_end"],
                deadline=form.cleaned_data["deadline"],
                grade_bands=parse_bands(form.cleaned_data["grade_bands"]),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            return self._render(request, form, status=400)
        messages.success(request, _("Periode dibuat. Periksa lalu buka untuk mengundang daerah."))
        return redirect("monitoring:evaluation_period", pk=period.pk)


class PeriodDetailView(SuperadminRequiredMixin, View):
    template_name = "monitoring/evaluation/period.html"

    def get(self, request, pk: int):
        period = get_object_or_404(EvaluationPeriod, pk=pk)
        return render(
            request,
            self.template_name,
            {
                "period": period,
                "progress": selectors.period_progress(period),
                "evaluations": selectors.recap_rows(period),
                "indicators": period.period_indicators.select_related("indicator"),
            },
        )

    def post(self, request, pk: int):
        period = get_object_or_404(EvaluationPeriod, pk=pk)
        action = request.POST.get("action")
        try:
            if action == "open":
                n = services.period_open(actor=request.user, period=period)
                messages.success(request, _("Periode dibuka; %(n)s daerah diundang.") % {"n": n})
            elif action == "close":
                services.period_close(actor=request.user, period=period)
                messages.success(request, _("Periode ditutup."))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("monitoring:evaluation_period", pk=period.pk)


class PeriodProgressView(SuperadminRequiredMixin, View):
    def get(self, request, pk: int):
        period = get_object_or_404(EvaluationPeriod, pk=pk)
        return JsonResponse(selectors.period_progress(period))


class RecapView(SuperadminRequiredMixin, View):
    """Every invited region with its status, index and category."""

    def get(self, request, pk: int, fmt: str):
        if fmt not in FORMATS:
            raise Http404
        period = get_object_or_404(EvaluationPeriod, pk=pk)
        headers = [
            _("Kode"),
            _("Kabupaten/kota"),
            _("Provinsi"),
            _("Status"),
            _("Diajukan"),
            _("Indeks (0–5)"),
            _("Konversi (0–100)"),
            _("Kategori"),
            _("Keterangan"),
        ]
        rows = (
            [
                e.region.code,
                e.region.name,
                e.region.province.name,
                str(e.get_status_display()),
                timezone.localtime(e.submitted_at).strftime("%Y-%m-%d") if e.submitted_at else "",
                None if e.score is None else float(e.score),
                None if e.score is None else round(float(e.score) * 20, 2),
                e.grade,
                e.grade_label,
            ]
            for e in selectors.recap_rows(period)
        )
        return table_response(
            filename=f"rekap-evaluasi-{period.year}-{period.pk}",
            fmt=fmt,
            headers=headers,
            rows=rows,
        )


def _evaluation(pk: int, code: str) -> RegionEvaluation:
    evaluation = (
        RegionEvaluation.objects.select_related("period", "region__province")
        .filter(period_id=pk, region__code=code)
        .first()
    )
    if evaluation is None:
        raise Http404(_("Evaluasi tidak ditemukan."))
    return evaluation


class ReviewView(SuperadminRequiredMixin, View):
    template_name = "monitoring/evaluation/review.html"

    def _render(self, request, evaluation, status=200):
        return render(
            request,
            self.template_name,
            {
                "evaluation": evaluation,
                "answers": selectors.evaluation_answers(evaluation),
                "events": evaluation.events.select_related("actor"),
                "index": services.evaluation_index(evaluation),
            },
            status=status,
        )

    def get(self, request, pk: int, code: str):
        return self._render(request, _evaluation(pk, code))

    def post(self, request, pk: int, code: str):
        evaluation = _evaluation(pk, code)
        action = request.POST.get("action")
        scores = {
            a.pk: (request.POST.get(f"score-{a.pk}"), request.POST.get(f"comment-{a.pk}", ""))
            for a in evaluation.answers.all()
            if f"score-{a.pk}" in request.POST
        }
        try:
            if scores or action in ("score", "accept"):
                services.evaluation_score(
                    actor=request.user,
                    evaluation=evaluation,
                    scores=scores,
                    note=request.POST.get("note", ""),
                )
            if action == "return":
                services.evaluation_return(
                    actor=request.user,
                    evaluation=evaluation,
                    note=request.POST.get("return_note", ""),
                )
                messages.success(request, _("Evaluasi dikembalikan untuk perbaikan."))
            elif action == "accept":
                services.evaluation_accept(actor=request.user, evaluation=evaluation)
                messages.success(request, _("Evaluasi diterima."))
            else:
                messages.success(request, _("Nilai disimpan."))
        except DomainError as exc:
            messages.error(request, exc.message)
            evaluation.refresh_from_db()
            return self._render(request, evaluation, status=400)
        return redirect("monitoring:evaluation_review", pk=pk, code=code)


def pdf_response(evaluation: RegionEvaluation) -> HttpResponse:
    response = HttpResponse(evaluation_pdf(evaluation), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="evaluasi-{evaluation.period.year}-{evaluation.region.slug}.pdf"'
    )
    return response


class ReportView(SuperadminRequiredMixin, View):
    def get(self, request, pk: int, code: str):
        return pdf_response(_evaluation(pk, code))


def evidence_response(evidence: Evidence) -> FileResponse:
    return FileResponse(
        evidence.file.open("rb"),
        content_type=evidence.content_type,
        as_attachment=True,
        filename=evidence.original_name,
    )


class EvidenceFileView(SuperadminRequiredMixin, View):
    def get(self, request, pk: int):
        return evidence_response(get_object_or_404(Evidence, pk=pk))
