"""The stages of an onboarding and the one checked, locked and audited transition between them."""

from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.audit import audit_log
from kernel.errors import ConflictError, DomainError
from onboarding.models import (
    Onboarding,
    Stage,
)

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
    from shared.outbox.services import task_enqueue

    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    # Through the outbox: a broker outage neither turns the committed transition into an error
    # page nor loses the run; it starts once the broker is back.
    task_enqueue(
        "onboarding.run_pipeline",
        kwargs={"onboarding_id": onboarding.pk, "pipeline": pipeline, "actor_id": actor_id},
    )
