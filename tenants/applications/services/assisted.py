"""The assisted channel: counter staff act for a walk-in citizen (often elderly, often without
a phone). Runs inside a region's schema."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from kernel.audit import audit_log
from kernel.errors import ConflictError
from shared.citizens.models import AccessAction, CitizenProfile
from shared.citizens.selectors import citizen_find
from shared.citizens.services import access_log_record, claim_code_new
from tenants.applications.common import current_region, index_write, staff_role
from tenants.applications.models import Application


def citizen_lookup_at_counter(*, actor, query: str) -> CitizenProfile | None:
    """Find a citizen by NIK or phone number. A hit is a read of their data: it is logged in
    their access log."""
    profile = citizen_find(query)
    if profile is not None:
        access_log_record(
            profile=profile,
            actor=actor,
            role=staff_role(actor),
            region=current_region(),
            action=AccessAction.CITIZEN_SEARCHED,
        )
    return profile


def claim_code_issue(*, actor, application: Application) -> str:
    """A new claim code for an assisted application (printed on the counter receipt; the old
    one stops working). Returns the code; only its hash is stored."""
    if not application.is_assisted:
        raise ConflictError(_("Hanya permohonan yang dibuat di loket yang memiliki kode klaim."))
    code, hashed = claim_code_new()
    with transaction.atomic():
        application.claim_code_hash = hashed
        application.save(update_fields=["claim_code_hash", "updated_at"])
        index_write(application, claim_code_hash=hashed)
        audit_log(
            actor=actor, action="applications.application.claim_code_issued", target=application
        )
    return code
