"""Reads of the evaluation: a period's progress and recap, one evaluation with its answers."""

from __future__ import annotations

from django.db.models import Count, Prefetch

from shared.monitoring.models import (
    EvaluationAnswer,
    EvaluationPeriod,
    Evidence,
    RegionEvaluation,
)

Status = RegionEvaluation.Status


def period_progress(period: EvaluationPeriod) -> dict:
    """Invited, being filled, submitted, returned and accepted, for the live progress bar."""
    counts = dict(
        period.evaluations.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    invited = sum(counts.values())
    out: dict = {s: counts.get(s, 0) for s in Status.values}
    # "invited" on the bar is every region invited; those that have not started yet:
    out["not_started"] = out.pop("invited")
    out |= {"period": period.pk, "status": period.status, "invited": invited}
    # "submitted" on the bar means "has reached the evaluator at least once".
    out["submitted_total"] = out["submitted"] + out["returned"] + out["accepted"]
    for s in ("draft", "submitted", "returned", "accepted"):
        out[f"{s}_percent"] = round(100 * out[s] / invited, 1) if invited else 0
    out["returned_x"] = out["accepted_percent"] + out["submitted_percent"]
    out["draft_x"] = out["returned_x"] + out["returned_percent"]
    return out


def evaluation_answers(evaluation: RegionEvaluation) -> list[EvaluationAnswer]:
    return list(
        evaluation.answers.select_related("period_indicator__indicator").prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at", "id"))
        )
    )


def recap_rows(period: EvaluationPeriod):
    return period.evaluations.select_related("region__province").order_by(
        "region__province__code", "region__code"
    )
