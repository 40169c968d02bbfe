"""Writes of the onboarding flow, by topic (transitions, commitment, readiness, lifecycle); every
transition is checked, locked and audited. Import from here.

Stages: committed → assessed → designated → provisioning → live ⇄ suspended → offboarding →
offboarded; committed/assessed/designated → rejected → committed (reopened). Rejections and
suspensions need a reason. Provisioning and offboarding run as background pipelines
(onboarding.provisioning.pipeline), enqueued when the transaction commits.
"""

from onboarding.provisioning.pipeline import region_hostname
from onboarding.provisioning.template import schema_exists
from onboarding.services.commitment import (
    document_attach,
    document_validate_pdf,
    onboarding_commit,
)
from onboarding.services.lifecycle import (
    confirmation_matches,
    mpp_provision,
    onboarding_offboard,
    onboarding_reinstate,
    onboarding_suspend,
    pipeline_retry,
    pipelines_resume,
    provisioning_start,
)
from onboarding.services.readiness import (
    indicator_create,
    indicator_update,
    onboarding_assess,
    onboarding_designate,
    onboarding_reject,
    onboarding_reopen,
    readiness_gaps,
    readiness_record,
)
from onboarding.services.transitions import (
    ACTION_NAMES,
    MAX_DOCUMENT_BYTES,
    MIN_REASON_LENGTH,
    TRANSITIONS,
    allowed_actions,
)

__all__ = [
    "ACTION_NAMES",
    "MAX_DOCUMENT_BYTES",
    "MIN_REASON_LENGTH",
    "TRANSITIONS",
    "allowed_actions",
    "confirmation_matches",
    "document_attach",
    "document_validate_pdf",
    "indicator_create",
    "indicator_update",
    "mpp_provision",
    "onboarding_assess",
    "onboarding_commit",
    "onboarding_designate",
    "onboarding_offboard",
    "onboarding_reinstate",
    "onboarding_reject",
    "onboarding_reopen",
    "onboarding_suspend",
    "pipeline_retry",
    "pipelines_resume",
    "provisioning_start",
    "readiness_gaps",
    "readiness_record",
    "region_hostname",
    "schema_exists",
]
