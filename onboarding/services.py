"""Writes of the onboarding flow: every transition is checked, locked and audited.

Stages: committed → assessed → designated → provisioning → live ⇄ suspended → offboarding →
offboarded; committed/assessed/designated → rejected → committed (reopened). Rejections and
suspensions need a reason. Provisioning and offboarding run as background pipelines
(onboarding.provisioning.pipeline), enqueued when the transaction commits.
"""

import hashlib
from datetime import date
from decimal import Decimal

import filetype
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.audit import audit_log
from kernel.errors import ConflictError, DomainError
from onboarding.models import (
    Onboarding,
    OnboardingDocument,
    PipelineStep,
    ReadinessIndicator,
    ReadinessValue,
    Stage,
)
from onboarding.provisioning import locks
from onboarding.provisioning.pipeline import (
    OFFBOARD,
    PROVISION,
    pipeline_run,
    region_hostname,
    steps_ensure,
)
from onboarding.provisioning.template import schema_exists
from shared.regions.models import Mpp, Region
from shared.webhooks.models import EventKind
from shared.webhooks.services import event_emit

__all__ = ["region_hostname", "schema_exists"]

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
MIN_REASON_LENGTH = 5

# What each action may start from, and where it leads.
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "assess": (frozenset({Stage.COMMITTED}), Stage.ASSESSED),
    "reject": (frozenset({Stage.COMMITTED, Stage.ASSESSED, Stage.DESIGNATED}), Stage.REJECTED),
    "reopen": (frozenset({Stage.REJECTED}), Stage.COMMITTED),
    "designate": (frozenset({Stage.ASSESSED}), Stage.DESIGNATED),
    "provision": (frozenset({Stage.DESIGNATED}), Stage.PROVISIONING),
    "suspend": (frozenset({Stage.LIVE}), Stage.SUSPENDED),
    "reinstate": (frozenset({Stage.SUSPENDED}), Stage.LIVE),
    "offboard": (frozenset({Stage.LIVE, Stage.SUSPENDED}), Stage.OFFBOARDING),
}
ACTION_NAMES = {
    "assess": "assessed",
    "reject": "rejected",
    "reopen": "reopened",
    "designate": "designated",
    "provision": "provisioning_started",
    "suspend": "suspended",
    "reinstate": "reinstated",
    "offboard": "offboarding_started",
}


def allowed_actions(onboarding: Onboarding) -> list[str]:
    """The transitions the onboarding's stage allows (guards aside), for the console."""
    return [a for a, (sources, _to) in TRANSITIONS.items() if onboarding.stage in sources]


def _locked(onboarding: Onboarding) -> Onboarding:
    return Onboarding.objects.select_for_update().select_related("region").get(pk=onboarding.pk)


def _transition(
    onboarding: Onboarding,
    *,
    action: str,
    actor,
    reason: str = "",
    data: dict | None = None,
    changes: dict | None = None,
) -> Onboarding:
    """Move a locked onboarding along one allowed transition and audit it."""
    sources, target = TRANSITIONS[action]
    if onboarding.stage not in sources:
        raise ConflictError(
            _("Tindakan ini tidak bisa dilakukan pada tahap “%(stage)s”.")
            % {"stage": onboarding.get_stage_display()},
            code="invalid_transition",
        )
    previous = onboarding.stage
    onboarding.stage = target
    onboarding.stage_changed_at = timezone.now()
    fields = ["stage", "stage_changed_at", "updated_at"]
    if action in ("reject", "suspend"):
        onboarding.status_reason = reason
        fields.append("status_reason")
    for name, value in (changes or {}).items():
        setattr(onboarding, name, value)
        fields.append(name)
    onboarding.save(update_fields=fields)
    audit_log(
        actor=actor,
        action=f"onboarding.region.{ACTION_NAMES[action]}",
        target=onboarding,
        data={
            "from": previous,
            "to": target,
            **({"reason": reason} if reason else {}),
            **(data or {}),
        },
        region=onboarding.region,
    )
    return onboarding


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise DomainError(
            _("Alasan wajib diisi (minimal %(n)d karakter).") % {"n": MIN_REASON_LENGTH},
            code="reason_required",
        )
    return reason


def _enqueue(onboarding: Onboarding, pipeline: str, actor) -> None:
    from onboarding.tasks import run_pipeline

    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    # robust: a broker outage must not turn the committed transition into an error page; the
    # console then shows the pipeline as stalled and offers to retry.
    transaction.on_commit(
        lambda: run_pipeline.delay(
            onboarding_id=onboarding.pk, pipeline=pipeline, actor_id=actor_id
        ),
        robust=True,
    )


# --- commitment and documents -------------------------------------------------------------------


def document_validate_pdf(uploaded) -> bytes:
    """The upload's bytes if it really is a PDF (by content, not by name) within the size limit."""
    size = getattr(uploaded, "size", None)
    if size is not None and size > MAX_DOCUMENT_BYTES:
        raise DomainError(
            _("Berkas terlalu besar (maksimal %(mb)d MB).") % {"mb": MAX_DOCUMENT_BYTES >> 20},
            code="file_too_large",
        )
    uploaded.seek(0)
    content = uploaded.read(MAX_DOCUMENT_BYTES + 1)
    if len(content) > MAX_DOCUMENT_BYTES:
        raise DomainError(
            _("Berkas terlalu besar (maksimal %(mb)d MB).") % {"mb": MAX_DOCUMENT_BYTES >> 20},
            code="file_too_large",
        )
    kind = filetype.guess(content[:8192]) if content else None
    if kind is None or kind.mime != "application/pdf":
        raise DomainError(_("Berkas harus PDF."), code="not_pdf")
    return content


def document_attach(*, actor, onboarding: Onboarding, kind: str, uploaded) -> OnboardingDocument:
    from django.core.files.base import ContentFile

    content = document_validate_pdf(uploaded)
    name = getattr(uploaded, "name", "") or "dokumen.pdf"
    document = OnboardingDocument(
        onboarding=onboarding,
        kind=kind,
        original_name=name.rsplit("/", 1)[-1][:255],
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=actor,
    )
    document.file.save(name, ContentFile(content), save=False)
    try:
        document.save()
    except Exception:
        document.file.delete(save=False)
        raise
    audit_log(
        actor=actor,
        action="onboarding.document.uploaded",
        target=onboarding,
        data={"document_id": document.pk, "kind": kind, "sha256": document.sha256},
        region=onboarding.region,
    )
    return document


@transaction.atomic
def onboarding_commit(
    *,
    actor,
    region: Region,
    signer_name: str,
    signer_title: str,
    signed_on: date,
    occasion: str = "",
    document=None,
) -> Onboarding:
    """Record a region's signed commitment: the first stage of onboarding."""
    Region.objects.select_for_update().get(pk=region.pk)
    if Onboarding.objects.filter(region=region).exclude(stage=Stage.OFFBOARDED).exists():
        raise ConflictError(
            _("%(region)s sudah dalam proses onboarding.") % {"region": region.name},
            code="already_onboarding",
        )
    if Mpp.objects.filter(region=region).exists():
        raise ConflictError(
            _("%(region)s sudah memiliki MPP.") % {"region": region.name}, code="already_live"
        )
    if not (signer_name or "").strip() or not (signer_title or "").strip():
        raise DomainError(_("Nama dan jabatan penanda tangan wajib diisi."))
    if signed_on > timezone.localdate():
        raise DomainError(_("Tanggal penandatanganan tidak boleh di masa depan."))
    onboarding = Onboarding.objects.create(
        region=region,
        stage=Stage.COMMITTED,
        signer_name=signer_name.strip(),
        signer_title=signer_title.strip(),
        signed_on=signed_on,
        occasion=(occasion or "").strip(),
        created_by=actor,
    )
    audit_log(
        actor=actor,
        action="onboarding.region.committed",
        target=onboarding,
        data={"to": Stage.COMMITTED, "signer": onboarding.signer_name, "signed_on": str(signed_on)},
        region=region,
    )
    if document is not None:
        document_attach(
            actor=actor,
            onboarding=onboarding,
            kind=OnboardingDocument.Kind.COMMITMENT,
            uploaded=document,
        )
    return onboarding


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


# --- provisioning -------------------------------------------------------------------------------


@transaction.atomic
def provisioning_start(
    *, actor, onboarding: Onboarding, admin_email: str = "", admin_name: str = ""
) -> Onboarding:
    """Start provisioning a designated region in the background. Starting it again while it
    provisions (or once it is live) changes nothing: the pipeline is idempotent."""
    onboarding = _locked(onboarding)
    if onboarding.stage in (Stage.PROVISIONING, Stage.LIVE):
        return onboarding
    email, name = _clean_admin(admin_email, admin_name)
    changes: dict[str, str] = {}
    if email:
        changes.update(admin_email=email, admin_name=name or onboarding.admin_name)
    if not (email or onboarding.admin_email):
        raise DomainError(
            _("Email admin DPMPTSP wajib diisi sebelum penyiapan."), code="admin_required"
        )
    _transition(onboarding, action="provision", actor=actor, changes=changes)
    steps_ensure(onboarding, PROVISION)
    _enqueue(onboarding, PROVISION, actor)
    return onboarding


@transaction.atomic
def pipeline_retry(*, actor, onboarding: Onboarding) -> Onboarding:
    """Retry a failed (or interrupted) provisioning or offboarding from where it stopped."""
    onboarding = _locked(onboarding)
    pipelines: dict[str, str] = {Stage.PROVISIONING: PROVISION, Stage.OFFBOARDING: OFFBOARD}
    pipeline = pipelines.get(onboarding.stage)
    if pipeline is None:
        raise ConflictError(
            _("Tidak ada penyiapan yang bisa diulang pada tahap ini."), code="invalid_transition"
        )
    if locks.is_held(locks.pipeline_key(onboarding.pk)):
        raise ConflictError(_("Proses masih berjalan."), code="running")
    steps = onboarding.steps.filter(pipeline=pipeline).exclude(
        status__in=[PipelineStep.Status.DONE, PipelineStep.Status.SKIPPED]
    )
    failed = [s.name for s in steps if s.status == PipelineStep.Status.FAILED]
    steps.update(status=PipelineStep.Status.PENDING, error="")
    audit_log(
        actor=actor,
        action=f"onboarding.{pipeline}.retried",
        target=onboarding,
        data={"steps": failed},
        region=onboarding.region,
    )
    _enqueue(onboarding, pipeline, actor)
    return onboarding


# --- live, suspended, offboarded ----------------------------------------------------------------


def _set_mpp_status(onboarding: Onboarding, status: str, *, public_notice: str | None = None):
    mpp = Mpp.objects.select_for_update().get(region=onboarding.region)
    mpp.status = status
    fields = ["status"]
    if public_notice is not None:
        mpp.public_notice = public_notice
        fields.append("public_notice")
    mpp.save(update_fields=fields)  # the save signal clears the routing cache
    kinds = {
        Mpp.Status.LIVE: EventKind.REGION_LIVE,
        Mpp.Status.SUSPENDED: EventKind.REGION_SUSPENDED,
    }
    if status in kinds:
        event_emit(
            kind=kinds[status],
            region=onboarding.region,
            subject_type="region",
            subject_id=onboarding.region.code,
            data={"code": onboarding.region.code, "status": status},
        )


@transaction.atomic
def onboarding_suspend(
    *, actor, onboarding: Onboarding, reason: str, public_notice: str = ""
) -> Onboarding:
    """Suspend a live MPP: data kept, staff refused on its site, citizens shown a notice."""
    reason = _require_reason(reason)
    onboarding = _transition(_locked(onboarding), action="suspend", actor=actor, reason=reason)
    _set_mpp_status(onboarding, Mpp.Status.SUSPENDED, public_notice=(public_notice or "").strip())
    return onboarding


@transaction.atomic
def onboarding_reinstate(*, actor, onboarding: Onboarding, reason: str = "") -> Onboarding:
    onboarding = _transition(
        _locked(onboarding), action="reinstate", actor=actor, reason=(reason or "").strip()
    )
    _set_mpp_status(onboarding, Mpp.Status.LIVE, public_notice="")
    return onboarding


def confirmation_matches(onboarding: Onboarding, confirmation: str) -> bool:
    typed = " ".join((confirmation or "").split()).casefold()
    return bool(typed) and typed in {
        onboarding.region.name.casefold(),
        onboarding.region.slug.casefold(),
    }


@transaction.atomic
def onboarding_offboard(
    *, actor, onboarding: Onboarding, confirmation: str, reason: str = ""
) -> Onboarding:
    """Offboard: archive the region's data, then drop its schema (in the background). Needs the
    region's name or subdomain typed as confirmation. The site is suspended meanwhile."""
    onboarding = _locked(onboarding)
    if not confirmation_matches(onboarding, confirmation):
        raise DomainError(
            _("Ketik nama daerah (%(name)s) atau subdomainnya (%(slug)s) untuk konfirmasi.")
            % {"name": onboarding.region.name, "slug": onboarding.region.slug},
            code="confirmation_mismatch",
        )
    reason = _require_reason(reason)
    _transition(onboarding, action="offboard", actor=actor, reason=reason)
    _set_mpp_status(onboarding, Mpp.Status.SUSPENDED)
    steps_ensure(onboarding, OFFBOARD)
    _enqueue(onboarding, OFFBOARD, actor)
    return onboarding


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


# --- the direct path (demo data, tests, bench) --------------------------------------------------


def mpp_provision(
    *, region: Region, actor=None, admin_email: str = "", admin_name: str = ""
) -> Mpp:
    """Provision a region right now, in this process, through the same pipeline.

    For the demo seed, the test session and the bench: a region without an onboarding gets
    one that starts designated (the decree is recorded elsewhere). Idempotent: a live region
    is returned as it is.
    """
    with transaction.atomic():
        Region.objects.select_for_update().get(pk=region.pk)
        onboarding = (
            Onboarding.objects.filter(region=region).exclude(stage=Stage.OFFBOARDED).first()
        )
        if onboarding is None:
            onboarding = Onboarding.objects.create(
                region=region,
                stage=Stage.PROVISIONING,
                signer_name="-",
                signer_title="-",
                signed_on=timezone.localdate(),
                occasion="penyediaan langsung",
                admin_email=admin_email,
                admin_name=admin_name,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            audit_log(
                actor=actor,
                action="onboarding.region.provisioning_started",
                target=onboarding,
                data={"to": Stage.PROVISIONING, "direct": True},
                region=region,
            )
        elif onboarding.stage in (Stage.DESIGNATED,):
            _transition(_locked(onboarding), action="provision", actor=actor)
    if onboarding.stage != Stage.LIVE or not Mpp.objects.filter(region=region).exists():
        outcome = pipeline_run(onboarding_id=onboarding.pk, pipeline=PROVISION, actor=actor)
        if outcome != "done":
            step = onboarding.steps.filter(status=PipelineStep.Status.FAILED).first()
            raise DomainError(
                _("Penyiapan %(region)s gagal: %(error)s")
                % {"region": region.name, "error": step.error if step else outcome}
            )
    return Mpp.objects.select_related("region").get(region=region)
