"""Writes of the applications app (run inside a region's schema; every one audits)."""

from tenants.applications.services.assisted import citizen_lookup_at_counter, claim_code_issue
from tenants.applications.services.definitions import form_fields_save
from tenants.applications.services.due import applications_notify_due_tomorrow
from tenants.applications.services.submission import (
    application_draft_save,
    application_submit,
    submission_problems,
)
from tenants.applications.services.workflow import (
    access_application_for_citizen,
    access_application_for_staff,
    application_complete,
    application_process,
    application_reject,
    application_return,
    application_verify,
    applications_notify_overdue,
    staff_data_access,
)

__all__ = [
    "access_application_for_citizen",
    "access_application_for_staff",
    "application_complete",
    "application_draft_save",
    "application_process",
    "application_reject",
    "application_return",
    "application_submit",
    "application_verify",
    "applications_notify_due_tomorrow",
    "applications_notify_overdue",
    "citizen_lookup_at_counter",
    "claim_code_issue",
    "form_fields_save",
    "staff_data_access",
    "submission_problems",
]
