"""The catalogue written as a file: JSON (the whole catalogue) or CSV (one row per service)."""

import csv
import io
import json

from django.db.models import Prefetch

from shared.catalogue.exchange.format import CSV_COLUMNS, FORMAT_NAME, FORMAT_VERSION
from shared.catalogue.models import (
    Agency,
    Category,
    DocumentType,
    LifeEvent,
    ProcedureStep,
    Requirement,
    Service,
)

# --- export --------------------------------------------------------------------------------------


def _services_for_export():
    return (
        Service.objects.select_related("agency", "category")
        .prefetch_related(
            "life_events",
            Prefetch(
                "requirements",
                queryset=Requirement.objects.select_related("document_type").order_by(
                    "position", "id"
                ),
            ),
            Prefetch("steps", queryset=ProcedureStep.objects.order_by("position", "id")),
        )
        .order_by("agency__code", "code")
    )


def service_as_dict(service: Service) -> dict:
    """A service in the file form (prefetched relations are used when present)."""
    return {
        "code": service.code,
        "name": service.name,
        "agency": service.agency.code,
        "category": service.category.code if service.category else None,
        "life_events": sorted(e.code for e in service.life_events.all()),
        "summary": service.summary,
        "synonyms": service.synonyms,
        "completion_days": service.completion_days,
        "completion_note": service.completion_note,
        "fee_kind": service.fee_kind,
        "fee_amount": int(service.fee_amount),
        "fee_basis": service.fee_basis,
        "product": service.product,
        "complaint_handling": service.complaint_handling,
        "legal_basis": service.legal_basis,
        "channels": list(service.channels),
        "is_active": service.is_active,
        "requirements": [
            {
                "document_type": r.document_type.code if r.document_type else None,
                "text": r.text,
                "is_mandatory": r.is_mandatory,
            }
            for r in service.requirements.all()
        ],
        "steps": [s.text for s in service.steps.all()],
    }


def catalogue_export_data() -> dict:
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "agencies": [
            {
                "code": a.code,
                "name": a.name,
                "abbreviation": a.abbreviation,
                "kind": a.kind,
                "parent": a.parent.code if a.parent else None,
            }
            for a in Agency.objects.select_related("parent").order_by("code")
        ],
        "document_types": [
            {"code": d.code, "name": d.name, "description": d.description}
            for d in DocumentType.objects.order_by("code")
        ],
        "categories": [{"code": c.code, "name": c.name} for c in Category.objects.order_by("code")],
        "life_events": [
            {"code": e.code, "name": e.name} for e in LifeEvent.objects.order_by("code")
        ],
        "services": [service_as_dict(s) for s in _services_for_export()],
    }


def catalogue_export_json() -> str:
    return json.dumps(catalogue_export_data(), ensure_ascii=False, indent=2) + "\n"


def _requirement_line(req: dict) -> str:
    mandatory = "wajib" if req["is_mandatory"] else "opsional"
    return f"{req['document_type'] or ''} | {req['text']} | {mandatory}"


def catalogue_export_csv() -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for service in _services_for_export():
        row = service_as_dict(service)
        writer.writerow(
            {
                **row,
                "agency_name": service.agency.name,
                "category": row["category"] or "",
                "life_events": ", ".join(row["life_events"]),
                "completion_days": "" if row["completion_days"] is None else row["completion_days"],
                "channels": ", ".join(row["channels"]),
                "is_active": "ya" if row["is_active"] else "tidak",
                "requirements": "\n".join(_requirement_line(r) for r in row["requirements"]),
                "steps": "\n".join(row["steps"]),
                "version": service.version,
            }
        )
    # A BOM so that spreadsheet programs open the file as UTF-8.
    return "\ufeff" + out.getvalue()
