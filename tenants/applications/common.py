"""Helpers shared by the application services. Everything runs inside a region's schema."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.utils.translation import gettext as _

from kernel.routing import region_url
from kernel.tenancy import connection
from shared.accounts.selectors import membership_for
from shared.citizens.models import ApplicationStatus
from shared.citizens.services import application_index_write
from shared.regions.models import Region

CITIZEN_ROLE = "citizen"
SUPERADMIN_ROLE = "superadmin"


def current_region() -> Region:
    """The region whose schema this connection is in; refuses to run in ``public``."""
    tenant = getattr(connection, "tenant", None)
    region = getattr(tenant, "region", None)
    if region is None or connection.schema_name == "public":
        raise RuntimeError("tenants.applications services run inside a region's schema")
    return region


def staff_role(user) -> str:
    """The role a staff member acts in here (for history and the citizen's access log)."""
    if user is None or not user.is_authenticated:
        return ""
    membership = membership_for(user, current_region())
    if membership is not None:
        return membership.role
    return SUPERADMIN_ROLE if user.is_superadmin else ""


def application_url(application, suffix: str = "") -> str:
    return region_url(current_region().slug, f"/permohonan/{application.pk}/{suffix}")


@dataclass(frozen=True)
class RequirementSlot:
    """A requirement of the offering's current standard, with a key that stays stable while
    the standard does (so a draft's choices survive edits elsewhere in the list)."""

    key: str
    position: int
    label: str
    document_type_id: int | None
    document_type_name: str
    is_mandatory: bool


def requirement_slots(standard) -> list[RequirementSlot]:
    slots: list[RequirementSlot] = []
    seen: set[str] = set()
    for position, item in enumerate(standard.requirements):
        if item.document_type_id:
            key = f"doc-{item.document_type_id}"
        else:
            key = "text-" + hashlib.sha1(item.text.encode(), usedforsecurity=False).hexdigest()[:10]
        if key in seen:
            key = f"{key}-{position}"
        seen.add(key)
        slots.append(
            RequirementSlot(
                key=key,
                position=position,
                label=item.label,
                document_type_id=item.document_type_id,
                document_type_name=item.document_type_name,
                is_mandatory=item.is_mandatory,
            )
        )
    return slots


def index_write(application, *, claim_code_hash: str | None = None) -> None:
    """The application's public row ("Permohonan saya"), in the same transaction."""
    application_index_write(
        region=current_region(),
        application_id=application.pk,
        profile=application.citizen,
        number=application.number,
        offering_name=application.offering_name,
        agency_name=application.agency_name,
        status=application.status,
        is_assisted=application.is_assisted,
        result_kind=application.result_kind,
        submitted_at=application.submitted_at,
        due_date=application.due_date,
        claim_code_hash=claim_code_hash,
    )


def status_label(status: str) -> str:
    return str(ApplicationStatus(status).label)


def not_available(application) -> str:
    return _("Permohonan berstatus “%(status)s”; aksi ini tidak tersedia.") % {
        "status": status_label(application.status)
    }
