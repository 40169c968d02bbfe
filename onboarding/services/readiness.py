"""Readiness (values against the indicators), the decisions on it (assess, reject, reopen,
designate) and the indicators themselves.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.audit import audit_log
from kernel.errors import ConflictError, DomainError
from onboarding.models import (
    Onboarding,
    OnboardingDocument,
    ReadinessIndicator,
    ReadinessValue,
    Stage,
)
from onboarding.services.transitions import _locked, _require_reason, _transition

# --- readiness ----------------------------------------------------------------------------------


def _parse_value(indicator: ReadinessIndicator, raw) -> tuple[Decimal | None, bool | None, str]:
    if indicator.kind == ReadinessIndicator.Kind.PERCENT:
        if raw in (None, ""):
            return None, None, ""
        try:
            number = Decimal(str(raw).replace(",", ".").strip().rstrip("%"))
        except ArithmeticError as exc:
            raise DomainError(
                _("%(name)s: nilai harus angka persen.") % {"name": indicator.name}
            ) from exc
        if not number.is_finite() or number < 0 or number > 100:
            raise DomainError(_("%(name)s: nilai harus 0–100.") % {"name": indicator.name})
        return number.quantize(Decimal("0.01")), None, ""
    if indicator.kind == ReadinessIndicator.Kind.BOOLEAN:
        if raw in (None, ""):
            return None, None, ""
        if isinstance(raw, bool):
            return None, raw, ""
        text = str(raw).strip().lower()
        if text in {"1", "true", "ya", "yes", "on"}:
            return None, True, ""
        if text in {"0", "false", "tidak", "no", "off"}:
            return None, False, ""
        raise DomainError(_("%(name)s: pilih ya atau tidak.") % {"name": indicator.name})
    return None, None, str(raw or "").strip()[:255]


@transaction.atomic
def readiness_record(*, actor, onboarding: Onboarding, values: dict) -> list[ReadinessValue]:
    """Record indicator values and evidence: ``{indicator_id: {"value": …, "evidence": …}}``.

    Pass or fail is computed against the indicator's threshold now, and the threshold is kept
    with the value. Only while the commitment stage is open.
    """
    onboarding = _locked(onboarding)
    if onboarding.stage != Stage.COMMITTED:
        raise ConflictError(
            _("Penilaian kesiapan hanya bisa diubah pada tahap komitmen."),
            code="invalid_transition",
        )
    indicators = {i.pk: i for i in ReadinessIndicator.objects.filter(is_active=True)}
    saved = []
    summary = {}
    for key, entry in values.items():
        indicator = indicators.get(int(key))
        if indicator is None:
            raise DomainError(_("Indikator tidak dikenal."), code="unknown_indicator")
        entry = entry if isinstance(entry, dict) else {"value": entry}
        number, flag, text = _parse_value(indicator, entry.get("value"))
        passed = indicator.passes(number=number, flag=flag, text=text)
        value, _created = ReadinessValue.objects.update_or_create(
            onboarding=onboarding,
            indicator=indicator,
            defaults={
                "value_number": number,
                "value_bool": flag,
                "value_text": text,
                "evidence": str(entry.get("evidence") or "").strip(),
                "threshold": indicator.threshold,
                "passed": passed,
                "assessed_by": actor,
            },
        )
        saved.append(value)
        summary[indicator.code] = passed
    audit_log(
        actor=actor,
        action="onboarding.readiness.recorded",
        target=onboarding,
        data={"passed": summary},
        region=onboarding.region,
    )
    return saved


def readiness_gaps(onboarding: Onboarding) -> list[str]:
    """Why the onboarding cannot be marked ready yet (empty when it can)."""
    gaps = []
    if not onboarding.documents.filter(kind=OnboardingDocument.Kind.COMMITMENT).exists():
        gaps.append(_("Dokumen komitmen bertanda tangan (PDF) belum diunggah."))
    values = {v.indicator_id: v for v in onboarding.readiness_values.all()}
    for indicator in ReadinessIndicator.objects.filter(is_active=True):
        value = values.get(indicator.pk)
        if value is None:
            gaps.append(_("%(name)s belum dinilai.") % {"name": indicator.name})
        elif not value.passed:
            gaps.append(_("%(name)s belum memenuhi ambang.") % {"name": indicator.name})
    return gaps


@transaction.atomic
def onboarding_assess(*, actor, onboarding: Onboarding) -> Onboarding:
    """Readiness assessed: every active indicator recorded and passing, the commitment signed."""
    onboarding = _locked(onboarding)
    if onboarding.stage == Stage.COMMITTED:
        gaps = readiness_gaps(onboarding)
        if gaps:
            raise DomainError(
                _("Belum siap: %(gaps)s") % {"gaps": " ".join(gaps)},
                code="not_ready",
                extra={"gaps": gaps},
            )
    return _transition(onboarding, action="assess", actor=actor)


@transaction.atomic
def onboarding_reject(*, actor, onboarding: Onboarding, reason: str) -> Onboarding:
    reason = _require_reason(reason)
    return _transition(_locked(onboarding), action="reject", actor=actor, reason=reason)


@transaction.atomic
def onboarding_reopen(*, actor, onboarding: Onboarding, reason: str = "") -> Onboarding:
    return _transition(
        _locked(onboarding), action="reopen", actor=actor, reason=(reason or "").strip()
    )


def _clean_admin(admin_email: str, admin_name: str) -> tuple[str, str]:
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    email = (admin_email or "").strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise DomainError(_("Email admin DPMPTSP tidak valid."), code="invalid_email") from exc
    return email, (admin_name or "").strip()[:150]


@transaction.atomic
def onboarding_designate(
    *,
    actor,
    onboarding: Onboarding,
    decree_number: str,
    decree_date: date,
    admin_email: str = "",
    admin_name: str = "",
) -> Onboarding:
    """Designated by decree (KepMenPANRB), optionally naming the DPMPTSP admin to invite."""
    decree_number = (decree_number or "").strip()
    if not decree_number or decree_date is None:
        raise DomainError(_("Nomor dan tanggal keputusan wajib diisi."), code="decree_required")
    if decree_date > timezone.localdate():
        raise DomainError(_("Tanggal keputusan tidak boleh di masa depan."))
    onboarding = _locked(onboarding)
    if decree_date < onboarding.signed_on:
        raise DomainError(_("Tanggal keputusan tidak boleh sebelum tanggal komitmen."))
    email, name = _clean_admin(admin_email, admin_name)
    changes = {"decree_number": decree_number[:100], "decree_date": decree_date}
    if email:
        changes.update(admin_email=email, admin_name=name)
    return _transition(
        onboarding,
        action="designate",
        actor=actor,
        changes=changes,
        data={"decree_number": decree_number, "decree_date": str(decree_date)},
    )


# --- readiness indicators -----------------------------------------------------------------------


def _indicator_fields(kind: str, threshold) -> Decimal | None:
    if kind not in ReadinessIndicator.Kind.values:
        raise DomainError(_("Jenis indikator tidak dikenal."))
    if kind != ReadinessIndicator.Kind.PERCENT:
        return None
    if threshold in (None, ""):
        raise DomainError(_("Indikator persentase perlu ambang."), code="threshold_required")
    value = Decimal(str(threshold))
    if value < 0 or value > 100:
        raise DomainError(_("Ambang harus 0–100."))
    return value


@transaction.atomic
def indicator_create(
    *,
    actor,
    code: str,
    name: str,
    kind: str,
    threshold=None,
    description: str = "",
    position: int = 0,
) -> ReadinessIndicator:
    if ReadinessIndicator.objects.filter(code=code).exists():
        raise ConflictError(_("Kode indikator sudah dipakai."))
    indicator = ReadinessIndicator.objects.create(
        code=code,
        name=name,
        kind=kind,
        threshold=_indicator_fields(kind, threshold),
        description=description,
        position=position,
    )
    audit_log(
        actor=actor,
        action="onboarding.indicator.created",
        target=indicator,
        data={"code": code, "threshold": str(indicator.threshold)},
    )
    return indicator


@transaction.atomic
def indicator_update(*, actor, indicator: ReadinessIndicator, **fields) -> ReadinessIndicator:
    """Change an indicator. Past assessments keep the threshold they were judged against."""
    indicator = ReadinessIndicator.objects.select_for_update().get(pk=indicator.pk)
    allowed = {"name", "description", "kind", "threshold", "position", "is_active"}
    unknown = set(fields) - allowed
    if unknown:
        raise DomainError(_("Kolom tidak dikenal: %(f)s") % {"f": ", ".join(sorted(unknown))})
    kind = fields.get("kind", indicator.kind)
    threshold = fields.get("threshold", indicator.threshold)
    fields["threshold"] = _indicator_fields(kind, threshold)
    before = {k: str(getattr(indicator, k)) for k in fields}
    for key, value in fields.items():
        setattr(indicator, key, value)
    indicator.save()
    audit_log(
        actor=actor,
        action="onboarding.indicator.updated",
        target=indicator,
        data={"before": before, "after": {k: str(v) for k, v in fields.items()}},
    )
    return indicator
