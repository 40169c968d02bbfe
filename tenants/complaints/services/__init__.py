"""Writes of the complaints app (run inside a region's schema; every one audits)."""

from tenants.complaints.services.common import Identity, Viewer, identity_for, viewer_for
from tenants.complaints.services.filing import (
    Filing,
    complaint_file,
    display_tracking_code,
    normalize_tracking_code,
)
from tenants.complaints.services.handling import (
    Throttled,
    access_complaint_by_code,
    access_complaint_for_citizen,
    access_complaint_for_staff,
    complaint_close,
    complaint_forward_to_lapor,
    complaint_mark_not_complaint,
    complaint_message_citizen,
    complaint_message_staff,
    complaint_rate,
    complaint_reopen,
    complaint_route,
    reopen_deadline,
    staff_visible,
)
from tenants.complaints.services.reads import complaint_export_log, complaint_read_log
from tenants.complaints.services.sweep import complaints_sweep

__all__ = [
    "Filing",
    "Identity",
    "Throttled",
    "Viewer",
    "access_complaint_by_code",
    "access_complaint_for_citizen",
    "access_complaint_for_staff",
    "complaint_close",
    "complaint_export_log",
    "complaint_file",
    "complaint_forward_to_lapor",
    "complaint_mark_not_complaint",
    "complaint_message_citizen",
    "complaint_message_staff",
    "complaint_rate",
    "complaint_read_log",
    "complaint_reopen",
    "complaint_route",
    "complaints_sweep",
    "display_tracking_code",
    "identity_for",
    "normalize_tracking_code",
    "reopen_deadline",
    "staff_visible",
    "viewer_for",
]
