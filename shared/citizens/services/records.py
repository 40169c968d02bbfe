"""What regional services write about a citizen: the access log and the public application
index ("Permohonan saya")."""

import datetime as dt

from django.utils import timezone

from shared.citizens.models import (
    AccessAction,
    ApplicationIndex,
    CitizenProfile,
    DataAccessLog,
)
from shared.regions.models import Region


def access_log_record(
    *,
    profile: CitizenProfile,
    actor,
    role: str,
    region: Region | None,
    action: str,
    booth_id: int | None = None,
    booth_name: str = "",
    reference: str = "",
    reason: str = "",
    via: str = "web",
) -> DataAccessLog:
    """Record that staff read this citizen's personal data. Called by the regional services on
    every such read; the citizen sees the list."""
    if action not in AccessAction.values:
        raise ValueError(f"unknown access action {action!r}")
    return DataAccessLog.objects.create(
        profile=profile,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_name=(getattr(actor, "full_name", "") or str(actor))[:150],
        role=role or "",
        region=region,
        booth_id=booth_id,
        booth_name=booth_name[:200],
        action=action,
        reference=reference[:40],
        reason=(reason or "")[:200],
        via=via,
    )


def application_index_write(
    *,
    region: Region,
    application_id: int,
    profile: CitizenProfile,
    number: str | None,
    offering_name: str,
    agency_name: str,
    status: str,
    is_assisted: bool = False,
    result_kind: str = "",
    submitted_at: dt.datetime | None = None,
    due_date: dt.date | None = None,
    claim_code_hash: str | None = None,
    at: dt.datetime | None = None,
) -> ApplicationIndex:
    """Create or update the public row of one regional application; the timeline gains an entry
    whenever the status changes. Called by the regional services inside their transaction, so
    the row commits (or rolls back) with the change itself."""
    at = at or timezone.now()
    row = (
        ApplicationIndex.objects.select_for_update()
        .filter(region=region, application_id=application_id)
        .first()
    )
    if row is None:
        row = ApplicationIndex(region=region, application_id=application_id, timeline=[])
    previous = row.status if row.pk else None
    row.profile = profile
    row.number = number or None
    row.offering_name = offering_name[:200]
    row.agency_name = agency_name[:200]
    row.status = status
    row.is_assisted = is_assisted
    row.result_kind = result_kind or ""
    row.submitted_at = submitted_at
    row.due_date = due_date
    if claim_code_hash is not None:
        row.claim_code_hash = claim_code_hash
    row.updated_at = at
    if previous != status:
        row.timeline = [*row.timeline, {"status": status, "at": at.isoformat()}]
    row.save()
    return row
