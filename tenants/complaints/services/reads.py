"""Staff reads of a citizen's complaint go in that citizen's access log (shared.citizens), like
every other staff read of a citizen's data. Runs inside a region's schema.

Logged: complaints filed from an account (the log belongs to a profile) that are not anonymous.
An anonymous complaint is never logged: a log row would tie the citizen to it in ``public``,
which is exactly what anonymity promises not to keep. A confidential complaint is logged for
every staff member who opens it, also the booth staff who see it without the complainant's
identity: the citizen learns who read what they reported, the staff learn nothing more.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import cast

from django.utils import timezone

from shared.accounts.models import User
from shared.citizens.models import AccessAction, CitizenProfile, DataAccessLog
from shared.citizens.services import access_log_record, profile_ensure
from tenants.complaints.models import Complaint, Privacy
from tenants.complaints.services.common import Viewer, current_region

#: A reload, or the page shown again after an action, within this window is the same visit.
ACCESS_LOG_WINDOW = timedelta(minutes=10)


def logs_reads(complaint: Complaint) -> bool:
    return bool(complaint.owner_id) and complaint.privacy != Privacy.ANONYMOUS


def _profile_of(owner_id: int) -> CitizenProfile | None:
    """The owner's profile; created empty for an active account that never opened its profile
    page (the access log page would create it the same way). A deleted account has none."""
    profile = CitizenProfile.objects.filter(user_id=owner_id).first()
    if profile is None:
        user = User.objects.filter(pk=owner_id, is_active=True).first()
        profile = profile_ensure(user=user) if user is not None else None
    return profile


def _booth(viewer: Viewer, complaint: Complaint) -> tuple[int | None, str]:
    """Booth staff read at the complaint's booth; the officer and admins read for the MPP."""
    if viewer.is_booth_staff and complaint.booth_id is not None and complaint.booth is not None:
        return complaint.booth_id, complaint.booth.display_name
    return None, ""


def complaint_read_log(
    *,
    viewer: Viewer,
    complaint: Complaint,
    action: str = AccessAction.COMPLAINT_OPENED,
    via: str = "web",
) -> DataAccessLog | None:
    """Record that this staff member opened the citizen's complaint (or one of its files).
    Returns the new row, or None when nothing is logged (see the module) or the same visit
    was already logged."""
    if complaint.owner_id is None or not logs_reads(complaint):
        return None
    profile = _profile_of(complaint.owner_id)
    if profile is None:
        return None
    actor = cast(User, viewer.user)
    recent = DataAccessLog.objects.filter(
        profile=profile,
        actor=actor,
        action=action,
        reference=complaint.number,
        accessed_at__gte=timezone.now() - ACCESS_LOG_WINDOW,
    )
    if recent.exists():
        return None
    booth_id, booth_name = _booth(viewer, complaint)
    return access_log_record(
        profile=profile,
        actor=viewer.user,
        role=viewer.role,
        region=current_region(),
        action=action,
        booth_id=booth_id,
        booth_name=booth_name,
        reference=complaint.number,
        via=via,
    )


def complaint_export_log(
    *, viewer: Viewer, complaints: Iterable[Complaint], via: str = "web"
) -> int:
    """One access-log row per citizen's complaint in a staff export, in a fixed number of
    queries whatever its size. Returns the number of rows written."""
    rows = [c for c in complaints if logs_reads(c)]
    if not rows:
        return 0
    owners = {c.owner_id for c in rows if c.owner_id is not None}
    profiles = dict(CitizenProfile.objects.filter(user_id__in=owners).values_list("user_id", "pk"))
    for owner_id in owners - profiles.keys():  # rare: an account that never opened its profile
        profile = _profile_of(owner_id)
        if profile is not None:
            profiles[owner_id] = profile.pk
    region = current_region()
    actor = cast(User, viewer.user)
    actor_name = (getattr(actor, "full_name", "") or str(actor))[:150]
    entries = []
    for complaint in rows:
        profile_id = profiles.get(complaint.owner_id or 0)
        if profile_id is None:  # a deleted account
            continue
        booth_id, booth_name = _booth(viewer, complaint)
        entries.append(
            DataAccessLog(
                profile_id=profile_id,
                actor=actor,
                actor_name=actor_name,
                role=viewer.role,
                region=region,
                booth_id=booth_id,
                booth_name=booth_name[:200],
                action=AccessAction.COMPLAINT_EXPORTED,
                reference=complaint.number[:40],
                via=via,
            )
        )
    DataAccessLog.objects.bulk_create(entries)
    return len(entries)
