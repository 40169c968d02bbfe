"""Writes of the public complaint index, called by the regional complaint services inside
their own transaction (the row commits or rolls back with the change)."""

import datetime as dt

from django.utils import timezone

from shared.complaints.models import ComplaintIndex
from shared.regions.models import Region


def complaint_index_write(
    *,
    region: Region,
    complaint_id: int,
    owner_id: int,
    number: str,
    kind: str,
    subject: str,
    status: str,
    due_date: dt.date | None,
    lapor_tracking_id: str = "",
    rated: bool = False,
    at: dt.datetime | None = None,
) -> ComplaintIndex:
    """Create or update the row; the timeline gains an entry whenever the status changes."""
    at = at or timezone.now()
    row = (
        ComplaintIndex.objects.select_for_update()
        .filter(region=region, complaint_id=complaint_id)
        .first()
    )
    if row is None:
        row = ComplaintIndex(region=region, complaint_id=complaint_id, timeline=[])
    previous = row.status if row.pk else None
    row.owner_id = owner_id
    row.number = number
    row.kind = kind
    row.subject = subject[:150]
    row.status = status
    row.due_date = due_date
    row.lapor_tracking_id = lapor_tracking_id[:40]
    row.rated = rated
    row.updated_at = at
    if previous != status:
        row.timeline = [*row.timeline, {"status": status, "at": at.isoformat()}]
    row.save()
    return row
