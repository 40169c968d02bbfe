"""An offering's effective published standard (national + local overrides) and the national
changes an admin has not reviewed yet.

Runs inside a region's schema."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Prefetch, QuerySet

from tenants.mpp.models import (
    OVERRIDABLE_FIELDS,
    Offering,
    OfferingRequirement,
)

# --- the effective standard of an offering -------------------------------------------------------


@dataclass(frozen=True)
class RequirementItem:
    text: str
    document_type_id: int | None
    document_type_code: str
    document_type_name: str
    is_mandatory: bool
    is_local: bool  # added by this MPP (or a local-only service's own)

    @property
    def label(self) -> str:
        if self.document_type_name and self.text:
            return f"{self.document_type_name} ({self.text})"
        return self.text or self.document_type_name


@dataclass(frozen=True)
class EffectiveStandard:
    """What citizens see: the national standard with this MPP's overrides and additions."""

    offering_id: int
    code: str
    name: str
    summary: str
    agency_name: str
    is_local: bool
    national_version: int | None
    requirements: tuple[RequirementItem, ...]
    steps: tuple[str, ...]
    completion_days: int | None
    completion_note: str
    fee_kind: str  # free, fixed, variable
    fee_amount: Decimal
    fee_basis: str
    product: str
    complaint_handling: str
    legal_basis: str
    channels: tuple[str, ...]
    local_notes: str
    overridden: frozenset[str]
    quotas: dict[str, int | None]

    @property
    def is_free(self) -> bool:
        return self.fee_kind == "free"

    @property
    def channel_labels(self) -> list[str]:
        from shared.catalogue.models import Channel

        labels = dict(Channel.choices)
        return [str(labels[c]) for c in self.channels if c in labels]


def _kind_for_amount(amount) -> str:
    return "fixed" if amount else "free"


def offerings_for_standard(queryset: QuerySet[Offering] | None = None) -> QuerySet[Offering]:
    """Offerings with everything ``offering_effective_standard`` reads, in a fixed number of
    queries however many offerings there are."""
    queryset = Offering.objects.all() if queryset is None else queryset
    return queryset.select_related(
        "service", "service__agency", "agency", "local_agency", "booth"
    ).prefetch_related(
        "service__requirements__document_type",
        "service__steps",
        Prefetch(
            "requirements",
            queryset=OfferingRequirement.objects.select_related("document_type"),
        ),
        "steps",
    )


def _requirement_item(row, *, is_local: bool) -> RequirementItem:
    doc = row.document_type if row.document_type_id else None
    return RequirementItem(
        text=row.text,
        document_type_id=row.document_type_id,
        document_type_code=doc.code if doc else "",
        document_type_name=doc.name if doc else "",
        is_mandatory=row.is_mandatory,
        is_local=is_local,
    )


def offering_effective_standard(offering: Offering) -> EffectiveStandard:
    """The merged standard. Every field the offering has not overridden is read from the
    *current* national service, so national changes follow automatically. Use
    ``offerings_for_standard`` to load many offerings without a query per offering."""
    local_reqs = tuple(_requirement_item(r, is_local=True) for r in offering.requirements.all())
    quotas = {
        "online": offering.quota_online,
        "queue": offering.quota_queue,
        "walk_in": offering.quota_walk_in,
    }
    if offering.service_id is None:
        agency = offering.agency if offering.agency_id else offering.local_agency
        return EffectiveStandard(
            offering_id=offering.pk,
            code=offering.code,
            name=offering.name,
            summary=offering.summary,
            agency_name=agency.name if agency is not None else "",
            is_local=True,
            national_version=None,
            requirements=local_reqs,
            steps=tuple(s.text for s in offering.steps.all()),
            completion_days=offering.completion_days,
            completion_note=offering.completion_note,
            fee_kind=offering.fee_kind or _kind_for_amount(offering.fee_amount),
            fee_amount=offering.fee_amount or Decimal(0),
            fee_basis=offering.fee_basis or "",
            product=offering.product,
            complaint_handling=offering.complaint_handling,
            legal_basis=offering.legal_basis,
            channels=tuple(offering.channels or ()),
            local_notes=offering.local_notes,
            overridden=frozenset(),
            quotas=quotas,
        )
    service = offering.service
    assert service is not None  # adopted offering
    overridden = frozenset(offering_overridden_fields(offering))
    national_reqs = tuple(_requirement_item(r, is_local=False) for r in service.requirements.all())
    fee_amount = offering.fee_amount if offering.fee_amount is not None else service.fee_amount
    if offering.fee_kind:
        fee_kind = offering.fee_kind
    elif offering.fee_amount is not None:
        fee_kind = _kind_for_amount(offering.fee_amount)
    else:
        fee_kind = getattr(service, "fee_kind", None) or _kind_for_amount(service.fee_amount)
    return EffectiveStandard(
        offering_id=offering.pk,
        code=offering.code,
        name=service.name,
        summary=service.summary,
        agency_name=service.agency.name,
        is_local=False,
        national_version=service.version,
        requirements=national_reqs + local_reqs,
        steps=tuple(s.text for s in service.steps.all()),
        completion_days=service.completion_days,
        completion_note=getattr(service, "completion_note", ""),
        fee_kind=fee_kind,
        fee_amount=fee_amount or Decimal(0),
        fee_basis=offering.fee_basis if offering.fee_basis is not None else service.fee_basis,
        product=service.product,
        complaint_handling=service.complaint_handling,
        legal_basis=service.legal_basis,
        channels=tuple(offering.channels if offering.channels is not None else service.channels),
        local_notes=offering.local_notes,
        overridden=overridden,
        quotas=quotas,
    )


def offering_overridden_fields(offering: Offering) -> list[str]:
    """Names of the national fields this adopted offering sets locally (requirements count when
    the MPP adds any; hours when it has its own)."""
    if offering.service_id is None:
        return []
    fields = [name for name in OVERRIDABLE_FIELDS if getattr(offering, name) is not None]
    if offering.requirements.all():
        fields.append("requirements")
    return fields


def offering_effective_channels(offering: Offering) -> list[str]:
    """Channels without loading requirements (for the availability index)."""
    if offering.channels is not None:
        return list(offering.channels)
    service = offering.service if offering.service_id else None
    return list(service.channels) if service is not None else []


# --- national changes since the admin last looked ---------------------------------------


@dataclass(frozen=True)
class NationalChange:
    number: int
    changed_fields: tuple[str, ...]
    created_at: dt.datetime
    overridden_here: tuple[str, ...]  # changed fields this MPP overrides (the change is masked)


def offering_national_changes(offering: Offering) -> list[NationalChange]:
    """National versions newer than ``offering.acknowledged_version``, newest first."""
    service = offering.service if offering.service_id else None
    if service is None:
        return []
    from shared.catalogue.models import ServiceVersion

    since = offering.acknowledged_version or 0
    if service.version <= since:
        return []
    overridden = set(offering_overridden_fields(offering))
    return [
        NationalChange(
            number=v.number,
            changed_fields=tuple(v.changed_fields or ()),
            created_at=v.created_at,
            overridden_here=tuple(f for f in (v.changed_fields or ()) if f in overridden),
        )
        for v in ServiceVersion.objects.filter(service_id=service.pk, number__gt=since).order_by(
            "-number"
        )
    ]


def offerings_with_pending_changes(queryset: QuerySet[Offering] | None = None):
    """Active adopted offerings whose national service moved past the acknowledged version."""
    from django.db.models.functions import Coalesce

    queryset = Offering.objects.active() if queryset is None else queryset
    return queryset.filter(service__isnull=False).filter(
        service__version__gt=Coalesce(F("acknowledged_version"), 0)
    )
