"""The region's side of the evaluation, on its host, for its DPMPTSP admin: answer, upload
evidence, submit; then read the result and download the report. Another region's evaluation
does not exist here (404)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from kernel.errors import DomainError, NotFoundError
from shared.monitoring.evaluation import selectors, services
from shared.monitoring.models import EvaluationPeriod, Evidence, RegionEvaluation
from shared.monitoring.views.evaluation_national import evidence_response, pdf_response
from shared.monitoring.views.region import RegionAdminMixin


def _mine(request, period_id) -> RegionEvaluation:
    try:
        return services.access_region_evaluation(region=request.region, period_id=period_id)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc


class EvaluationListView(RegionAdminMixin, View):
    def get(self, request):
        evaluations = (
            RegionEvaluation.objects.filter(region=request.region)
            .exclude(period__status=EvaluationPeriod.Status.DRAFT)
            .select_related("period")
        )
        return render(
            request,
            "monitoring/evaluation/region_list.html",
            {"evaluations": evaluations, "section": "evaluation", "is_admin": True},
        )


class EvaluationFormView(RegionAdminMixin, View):
    template_name = "monitoring/evaluation/region_form.html"

    def _render(self, request, evaluation, *, problems=None, typed=None, status=200):
        answers = selectors.evaluation_answers(evaluation)
        # An answer refused for its score shows what was typed, not the stored value.
        for answer in answers:
            if typed and answer.pk in typed:
                answer.self_score, answer.explanation = typed[answer.pk]
        return render(
            request,
            self.template_name,
            {
                "evaluation": evaluation,
                "answers": answers,
                "events": evaluation.events.select_related("actor"),
                "problems": problems or {},
                "editable": evaluation.is_editable_by_region
                and evaluation.period.status == EvaluationPeriod.Status.OPEN,
                "section": "evaluation",
                "is_admin": True,
            },
            status=status,
        )

    def get(self, request, period_id: int):
        return self._render(request, _mine(request, period_id))

    def post(self, request, period_id: int):
        evaluation = _mine(request, period_id)
        action = request.POST.get("action", "save")
        try:
            if action == "upload":
                answer = services.access_answer(
                    evaluation=evaluation, answer_id=request.POST.get("answer")
                )
                services.evidence_add(
                    actor=request.user,
                    evaluation=evaluation,
                    answer=answer,
                    upload=request.FILES.get("file"),
                )
                messages.success(request, _("Bukti diunggah."))
            elif action == "remove":
                services.evidence_remove(
                    actor=request.user,
                    evaluation=evaluation,
                    evidence_id=request.POST.get("evidence"),
                )
                messages.success(request, _("Bukti dihapus."))
            else:
                self._save_answers(request, evaluation)
                if action == "submit":
                    services.evaluation_submit(actor=request.user, evaluation=evaluation)
                    messages.success(request, _("Evaluasi diajukan ke KemenPANRB."))
                else:
                    messages.success(request, _("Jawaban disimpan."))
        except DomainError as exc:
            messages.error(request, exc.message)
            evaluation.refresh_from_db()
            problems = {int(k): v[0] for k, v in exc.extra.get("errors", {}).items() if k.isdigit()}
            typed = exc.extra.get("typed")
            return self._render(request, evaluation, problems=problems, typed=typed, status=400)
        return redirect("region_monitoring:evaluation", period_id=period_id)

    def _save_answers(self, request, evaluation) -> None:
        """Saves every answer it can; the refused ones come back with their message and what
        was typed (one bad score loses none of the other answers)."""
        if not evaluation.is_editable_by_region:
            return
        errors: dict[str, list[str]] = {}
        typed: dict[int, tuple[str, str]] = {}
        for answer in evaluation.answers.select_related("period_indicator__indicator"):
            if f"explanation-{answer.pk}" not in request.POST:
                continue
            score = request.POST.get(f"score-{answer.pk}")
            explanation = request.POST.get(f"explanation-{answer.pk}", "")
            try:
                services.answer_save(
                    actor=request.user,
                    evaluation=evaluation,
                    answer=answer,
                    self_score=score,
                    explanation=explanation,
                )
            except DomainError as exc:
                if exc.code != "bad_score":
                    raise
                errors[str(answer.pk)] = [exc.message]
                typed[answer.pk] = ((score or "")[:20], explanation[:4000])
        if errors:
            raise DomainError(
                _("%(n)s jawaban belum tersimpan: periksa nilai yang ditandai.")
                % {"n": len(errors)},
                code="bad_answers",
                extra={"errors": errors, "typed": typed},
            )


class EvaluationReportView(RegionAdminMixin, View):
    def get(self, request, period_id: int):
        evaluation = _mine(request, period_id)
        if evaluation.status != RegionEvaluation.Status.ACCEPTED:
            raise Http404(_("Laporan tersedia setelah evaluasi diterima."))
        return pdf_response(evaluation)


class EvidenceFileView(RegionAdminMixin, View):
    def get(self, request, pk: int):
        evidence = Evidence.objects.filter(pk=pk, answer__evaluation__region=request.region).first()
        if evidence is None:
            raise Http404(_("Bukti tidak ditemukan."))
        return evidence_response(evidence)
