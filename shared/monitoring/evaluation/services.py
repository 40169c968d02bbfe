"""The yearly evaluation's writes. Every step writes an ``EvaluationEvent`` (the history both
sides see) and an audit entry. Runs in ``public`` or on a region host (the tables are public).

Flow: a superadmin creates a period (current indicator versions, default grade bands) and opens
it: every live region is invited, its measured indicators pre-filled from the roll-ups, its
DPMPTSP admins told. The region answers, uploads evidence and submits (once, by the deadline).
The evaluator scores and comments, then returns it for revision or accepts it: the region gets its
index (0–5, weighted), its category and a PDF report.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.audit import audit_log
from kernel.errors import ConflictError, DomainError, NotFoundError
from shared.accounts.models import Membership, Role
from shared.citizens.notifications import staff_notify
from shared.citizens.validation import check_upload
from shared.monitoring import registry
from shared.monitoring.evaluation.defaults import (
    DEFAULT_GRADE_BANDS,
    DEFAULT_INDICATORS,
    REVISION_DAYS,
)
from shared.monitoring.evaluation.measures import measure, region_totals
from shared.monitoring.models import (
    EvaluationAnswer,
    EvaluationEvent,
    EvaluationPeriod,
    Evidence,
    Indicator,
    PeriodIndicator,
    RegionEvaluation,
)
from shared.monitoring.models.evaluation import Aspect
from shared.regions.models import Region

Status = RegionEvaluation.Status
MAX_EVIDENCE_PER_ANSWER = 10


def _event(evaluation: RegionEvaluation, *, actor, action: str, note: str = "") -> None:
    person = actor if actor is not None and actor.is_authenticated else None
    EvaluationEvent.objects.create(evaluation=evaluation, actor=person, action=action, note=note)
    audit_log(
        actor=actor,
        action=f"monitoring.evaluation.{action}",
        target=evaluation,
        region=evaluation.region,
        data={"period": evaluation.period_id, "region": evaluation.region.code, "note": note[:200]},
    )


# --- indicators --------------------------------------------------------------------------------


def indicators_ensure_defaults() -> int:
    """Version 1 of every default indicator that does not exist yet (idempotent)."""
    existing = set(Indicator.objects.values_list("code", flat=True))
    new = [
        Indicator(
            code=code,
            version=1,
            aspect=aspect,
            kind=kind,
            measure=measure_name,
            weight=Decimal(weight),
            name=str(name),
            guidance=str(guidance),
        )
        for code, aspect, kind, measure_name, weight, name, guidance in DEFAULT_INDICATORS
        if code not in existing
    ]
    Indicator.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def indicator_revise(*, actor, indicator: Indicator, **changes) -> Indicator:
    """A new version of ``indicator`` with ``changes`` (name, guidance, weight, measure);
    periods already opened keep the version they hold."""
    current = Indicator.objects.select_for_update().get(code=indicator.code, is_current=True)
    allowed = {"name", "guidance", "weight", "measure", "aspect"}
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError(_("Isian tidak dikenal: %(f)s") % {"f": ", ".join(sorted(unknown))})
    Indicator.objects.filter(pk=current.pk).update(is_current=False)
    fields = {
        f: getattr(current, f) for f in ("code", "aspect", "name", "guidance", "kind", "measure")
    }
    fields.update(changes)
    fields["weight"] = Decimal(str(changes.get("weight", current.weight)))
    revised = Indicator(**fields, version=current.version + 1, created_by=actor)
    revised.full_clean()
    revised.save()
    audit_log(
        actor=actor,
        action="monitoring.indicator.revised",
        target=revised,
        data={"code": revised.code, "version": revised.version},
    )
    return revised


# --- periods -----------------------------------------------------------------------------------


def _bands(grade_bands) -> list[dict]:
    bands = grade_bands if grade_bands is not None else DEFAULT_GRADE_BANDS
    try:
        clean: list[dict] = [
            {
                "min": float(b["min"]),  # type: ignore[arg-type]
                "grade": str(b["grade"]).strip(),
                "label": str(b["label"]),
            }
            for b in bands
        ]
    except (KeyError, TypeError, ValueError) as exc:
        raise DomainError(_("Ambang kategori tidak terbaca."), code="bad_bands") from exc
    if not clean or any(not 0 <= b["min"] <= 5 or not b["grade"] for b in clean):
        raise DomainError(
            _("Setiap ambang kategori perlu nilai minimum 0–5 dan nama kategori."),
            code="bad_bands",
        )
    if len({b["min"] for b in clean}) != len(clean):
        raise DomainError(_("Nilai minimum kategori tidak boleh kembar."), code="bad_bands")
    if min(b["min"] for b in clean) > 0:
        raise DomainError(_("Kategori terendah harus mulai dari 0."), code="bad_bands")
    return sorted(clean, key=lambda b: -b["min"])


@transaction.atomic
def period_create(
    *,
    actor,
    name: str,
    year: int,
    measure_start: dt.date,
    measure_end: dt.date,
    deadline: dt.date,
    grade_bands: list[dict] | None = None,
) -> EvaluationPeriod:
    _check_evaluator(actor)
    if measure_end < measure_start:
        raise DomainError(_("Akhir periode data sebelum awalnya."), code="range_reversed")
    if deadline < timezone.localdate():
        raise DomainError(_("Batas pengajuan sudah lewat."), code="deadline_past")
    indicators_ensure_defaults()
    period = EvaluationPeriod.objects.create(
        name=name.strip()[:150],
        year=year,
        measure_start=measure_start,
        measure_end=measure_end,
        deadline=deadline,
        grade_bands=_bands(grade_bands),
        created_by=actor,
    )
    current = Indicator.objects.filter(is_current=True).order_by("aspect", "code")
    order = list(Aspect.values)
    ordered = sorted(current, key=lambda i: (order.index(i.aspect), i.code))
    PeriodIndicator.objects.bulk_create(
        PeriodIndicator(period=period, indicator=ind, position=i) for i, ind in enumerate(ordered)
    )
    audit_log(actor=actor, action="monitoring.period.created", target=period, data={"year": year})
    return period


def _prefill(evaluation: RegionEvaluation, period: EvaluationPeriod) -> None:
    totals = region_totals(evaluation.region_id, period.measure_start, period.measure_end)
    for answer in evaluation.answers.select_related("period_indicator__indicator"):
        indicator = answer.period_indicator.indicator
        if indicator.kind != Indicator.Kind.MEASURED:
            continue
        result = measure(indicator.measure, totals)
        answer.measured_value = result.value
        answer.self_score = None if result.score is None else Decimal(str(result.score))
        answer.save(update_fields=["measured_value", "self_score", "updated_at"])


@transaction.atomic
def period_open(*, actor, period: EvaluationPeriod) -> int:
    """Opens the period and invites every live region. Returns the number invited."""
    _check_evaluator(actor)
    locked = EvaluationPeriod.objects.select_for_update().get(pk=period.pk)
    if locked.status != EvaluationPeriod.Status.DRAFT:
        raise ConflictError(_("Periode ini sudah dibuka."), code="already_open")
    # The caller's instance too: evaluations fetched through it carry it as their period.
    for p in (locked, period):
        p.status = EvaluationPeriod.Status.OPEN
        p.opened_at = timezone.now()
    locked.save(update_fields=["status", "opened_at"])
    indicators = list(period.period_indicators.all())
    invited = 0
    for region_id, _schema in registry.live_regions():
        evaluation = RegionEvaluation.objects.create(period=period, region_id=region_id)
        EvaluationAnswer.objects.bulk_create(
            EvaluationAnswer(evaluation=evaluation, period_indicator=pi) for pi in indicators
        )
        _prefill(evaluation, period)
        _event(evaluation, actor=actor, action="invited")
        _invite_admins(evaluation)
        invited += 1
    audit_log(
        actor=actor, action="monitoring.period.opened", target=period, data={"invited": invited}
    )
    return invited


def _invite_admins(evaluation: RegionEvaluation) -> None:
    from kernel.routing import region_url

    period = evaluation.period
    link = region_url(evaluation.region.slug, f"/kelola/evaluasi/{period.pk}/")
    for membership in Membership.objects.filter(
        region_id=evaluation.region_id, role=Role.DPMPTSP_ADMIN, is_active=True
    ).select_related("user"):
        staff_notify(
            user=membership.user,
            subject=_("Undangan evaluasi: %(period)s") % {"period": period.name},
            body=_(
                "MPP %(region)s diundang mengisi evaluasi mandiri %(period)s paling lambat "
                "%(deadline)s.\n%(link)s"
            )
            % {
                "region": evaluation.region.name,
                "period": period.name,
                "deadline": f"{period.deadline:%d-%m-%Y}",
                "link": link,
            },
            region=evaluation.region,
        )


@transaction.atomic
def period_close(*, actor, period: EvaluationPeriod) -> EvaluationPeriod:
    _check_evaluator(actor)
    if period.status != EvaluationPeriod.Status.OPEN:
        raise ConflictError(_("Hanya periode yang berjalan yang dapat ditutup."))
    period.status = EvaluationPeriod.Status.CLOSED
    period.closed_at = timezone.now()
    period.save(update_fields=["status", "closed_at"])
    audit_log(actor=actor, action="monitoring.period.closed", target=period)
    return period


# --- access ------------------------------------------------------------------------------------


def access_region_evaluation(*, region: Region, period_id) -> RegionEvaluation:
    """This region's evaluation in a period; another region's does not exist (404)."""
    evaluation = (
        RegionEvaluation.objects.select_related("period", "region")
        .filter(region=region, period_id=period_id)
        .exclude(period__status=EvaluationPeriod.Status.DRAFT)
        .first()
    )
    if evaluation is None:
        raise NotFoundError(_("Evaluasi tidak ditemukan."))
    return evaluation


def access_answer(*, evaluation: RegionEvaluation, answer_id) -> EvaluationAnswer:
    answer = (
        evaluation.answers.select_related("period_indicator__indicator")
        .filter(pk=answer_id)
        .first()
    )
    if answer is None:
        raise NotFoundError(_("Indikator tidak ditemukan."))
    return answer


# --- the region's side -------------------------------------------------------------------------


def _check_evaluator(actor) -> None:
    """KemenPANRB's steps (periods, scoring, return, accept): national superadmins only. The
    pages check this first; the service refuses on its own too (another caller, a bug)."""
    if not getattr(actor, "is_superadmin", False):
        raise NotFoundError(_("Evaluasi tidak ditemukan."), code="not_evaluator")


def _check_region_admin(actor, evaluation: RegionEvaluation) -> None:
    """The region's steps (answers, evidence, submission): a DPMPTSP admin of THAT region (or a
    superadmin acting for it, as on the region's pages). Another region's evaluation does not
    exist for anyone else."""
    if getattr(actor, "is_superadmin", False):
        return
    if (
        actor is None
        or not Membership.objects.filter(
            user_id=actor.pk,
            region_id=evaluation.region_id,
            role=Role.DPMPTSP_ADMIN,
            is_active=True,
        ).exists()
    ):
        raise NotFoundError(_("Evaluasi tidak ditemukan."), code="not_region_admin")


def _check_editable(evaluation: RegionEvaluation) -> None:
    if evaluation.period.status != EvaluationPeriod.Status.OPEN:
        raise ConflictError(_("Periode evaluasi ini tidak sedang berjalan."), code="not_open")
    if evaluation.status in (Status.SUBMITTED, Status.ACCEPTED):
        raise ConflictError(
            _("Evaluasi ini sudah diajukan dan tidak dapat diubah."), code="already_submitted"
        )


def _check_deadline(evaluation: RegionEvaluation) -> None:
    due = (
        evaluation.revision_due
        if evaluation.status == Status.RETURNED and evaluation.revision_due
        else evaluation.period.deadline
    )
    if timezone.localdate() > due:
        raise DomainError(
            _("Batas pengajuan %(date)s sudah lewat.") % {"date": f"{due:%d-%m-%Y}"},
            code="deadline_passed",
        )


def _score(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        score = Decimal(str(value).replace(",", ".")).quantize(Decimal("0.01"), ROUND_HALF_UP)
    except InvalidOperation as exc:
        raise DomainError(_("Nilai harus angka 0–5."), code="bad_score") from exc
    if not Decimal(0) <= score <= Decimal(5):
        raise DomainError(_("Nilai harus angka 0–5."), code="bad_score")
    return score


def _start_draft(evaluation: RegionEvaluation, actor) -> None:
    if evaluation.status == Status.INVITED:
        evaluation.status = Status.DRAFT
        evaluation.save(update_fields=["status", "updated_at"])
        _event(evaluation, actor=actor, action="started")


@transaction.atomic
def answer_save(
    *, actor, evaluation: RegionEvaluation, answer: EvaluationAnswer, self_score, explanation: str
) -> EvaluationAnswer:
    _check_region_admin(actor, evaluation)
    _check_editable(evaluation)
    if answer.period_indicator.indicator.kind == Indicator.Kind.ANSWERED:
        answer.self_score = _score(self_score)
    answer.explanation = (explanation or "").strip()[:4000]
    answer.save(update_fields=["self_score", "explanation", "updated_at"])
    _start_draft(evaluation, actor)
    return answer


@transaction.atomic
def evidence_add(
    *, actor, evaluation: RegionEvaluation, answer: EvaluationAnswer, upload
) -> Evidence:
    _check_region_admin(actor, evaluation)
    _check_editable(evaluation)
    if upload is None:
        raise DomainError(_("Pilih berkas bukti."), code="no_file")
    if answer.evidence.count() >= MAX_EVIDENCE_PER_ANSWER:
        raise DomainError(
            _("Paling banyak %(n)s berkas per indikator.") % {"n": MAX_EVIDENCE_PER_ANSWER}
        )
    try:
        checked = check_upload(upload)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), code="bad_file") from exc
    evidence = Evidence(
        answer=answer,
        original_name=(upload.name or "bukti")[-255:],
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    evidence.file.save(upload.name or "bukti", upload, save=False)
    evidence.save()
    _start_draft(evaluation, actor)
    _event(
        evaluation,
        actor=actor,
        action="evidence_added",
        note=f"{answer.period_indicator.indicator.code}: {evidence.original_name}",
    )
    return evidence


@transaction.atomic
def evidence_remove(*, actor, evaluation: RegionEvaluation, evidence_id) -> None:
    _check_region_admin(actor, evaluation)
    _check_editable(evaluation)
    evidence = Evidence.objects.filter(pk=evidence_id, answer__evaluation=evaluation).first()
    if evidence is None:
        raise NotFoundError(_("Bukti tidak ditemukan."))
    name = evidence.original_name
    evidence.file.delete(save=False)
    evidence.delete()
    _event(evaluation, actor=actor, action="evidence_removed", note=name)


def submission_problems(evaluation: RegionEvaluation) -> dict[int, str]:
    """answer id → what is missing, for the answered indicators."""
    problems: dict[int, str] = {}
    for answer in evaluation.answers.select_related("period_indicator__indicator"):
        if answer.period_indicator.indicator.kind != Indicator.Kind.ANSWERED:
            continue
        if answer.self_score is None:
            problems[answer.pk] = _("Isi nilai mandiri.")
        elif not answer.evidence.exists():
            problems[answer.pk] = _("Unggah minimal satu bukti.")
    return problems


@transaction.atomic
def evaluation_submit(*, actor, evaluation: RegionEvaluation) -> RegionEvaluation:
    _check_region_admin(actor, evaluation)
    evaluation = (
        RegionEvaluation.objects.select_for_update()
        .select_related("period", "region")
        .get(pk=evaluation.pk)
    )
    _check_editable(evaluation)
    _check_deadline(evaluation)
    problems = submission_problems(evaluation)
    if problems:
        raise DomainError(
            _("Evaluasi belum lengkap: %(n)s indikator perlu dilengkapi.") % {"n": len(problems)},
            code="incomplete",
            extra={"errors": {str(k): [v] for k, v in problems.items()}},
        )
    resubmission = evaluation.status == Status.RETURNED
    evaluation.status = Status.SUBMITTED
    evaluation.submitted_at = timezone.now()
    evaluation.save(update_fields=["status", "submitted_at", "updated_at"])
    # The evaluator starts from the region's own scores (measured ones from the roll-ups).
    for answer in evaluation.answers.filter(evaluator_score__isnull=True):
        answer.evaluator_score = answer.self_score
        answer.save(update_fields=["evaluator_score", "updated_at"])
    _event(evaluation, actor=actor, action="resubmitted" if resubmission else "submitted")
    return evaluation


# --- the evaluator's side ----------------------------------------------------------------------


def _check_submitted(evaluation: RegionEvaluation) -> None:
    if evaluation.status != Status.SUBMITTED:
        raise ConflictError(
            _("Hanya evaluasi yang sudah diajukan yang dapat dinilai."), code="not_submitted"
        )


@transaction.atomic
def evaluation_score(
    *, actor, evaluation: RegionEvaluation, scores: dict[int, tuple], note: str = ""
) -> RegionEvaluation:
    """``scores``: answer id → (score 0–5 or None, comment)."""
    _check_evaluator(actor)
    _check_submitted(evaluation)
    answers = {a.pk: a for a in evaluation.answers.all()}
    for answer_id, (score, comment) in scores.items():
        answer = answers.get(int(answer_id))
        if answer is None:
            raise NotFoundError(_("Indikator tidak ditemukan."))
        answer.evaluator_score = _score(score)
        answer.evaluator_comment = (comment or "").strip()[:4000]
        answer.save(update_fields=["evaluator_score", "evaluator_comment", "updated_at"])
    evaluation.evaluator = actor
    evaluation.evaluator_note = (note or "").strip()[:4000]
    evaluation.save(update_fields=["evaluator", "evaluator_note", "updated_at"])
    _event(evaluation, actor=actor, action="scored")
    return evaluation


@transaction.atomic
def evaluation_return(*, actor, evaluation: RegionEvaluation, note: str) -> RegionEvaluation:
    _check_evaluator(actor)
    _check_submitted(evaluation)
    note = (note or "").strip()
    if not note:
        raise DomainError(
            _("Tuliskan apa yang perlu diperbaiki."),
            code="reason_required",
            extra={"errors": {"note": [_("Wajib diisi.")]}},
        )
    evaluation.status = Status.RETURNED
    evaluation.return_note = note[:4000]
    evaluation.revision_due = max(
        timezone.localdate() + dt.timedelta(days=REVISION_DAYS), evaluation.period.deadline
    )
    evaluation.evaluator = actor
    evaluation.save(
        update_fields=["status", "return_note", "revision_due", "evaluator", "updated_at"]
    )
    _event(evaluation, actor=actor, action="returned", note=note)
    return evaluation


def evaluation_index(evaluation: RegionEvaluation) -> Decimal | None:
    """The weighted index (0–5) from the evaluator's scores; None while any is missing. A
    measured indicator without data (its app was not in use) and without an evaluator score is
    left out, and the other weights count in full."""
    total = weight = Decimal(0)
    for answer in evaluation.answers.select_related("period_indicator__indicator"):
        if answer.evaluator_score is None:
            unmeasured = (
                answer.period_indicator.indicator.kind == Indicator.Kind.MEASURED
                and answer.measured_value is None
            )
            if unmeasured:
                continue
            return None
        w = answer.period_indicator.indicator.weight
        total += w * answer.evaluator_score
        weight += w
    if not weight:
        return None
    return (total / weight).quantize(Decimal("0.01"), ROUND_HALF_UP)


@transaction.atomic
def evaluation_accept(*, actor, evaluation: RegionEvaluation) -> RegionEvaluation:
    _check_evaluator(actor)
    _check_submitted(evaluation)
    index = evaluation_index(evaluation)
    if index is None:
        raise DomainError(
            _("Beri nilai evaluator untuk setiap indikator sebelum menerima."), code="unscored"
        )
    grade, label = evaluation.period.grade_for(float(index))
    evaluation.status = Status.ACCEPTED
    evaluation.score = index
    evaluation.grade = grade
    evaluation.grade_label = label
    evaluation.accepted_at = timezone.now()
    evaluation.evaluator = actor
    evaluation.save()
    _event(evaluation, actor=actor, action="accepted", note=f"{index} {grade}")
    return evaluation
