"""Importing a catalogue file (all or nothing, with a report per row) and loading the starter
catalogue.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kernel.audit import audit_log
from shared.catalogue import exchange
from shared.catalogue.models import (
    Agency,
    Category,
    DocumentType,
    LifeEvent,
    Service,
)
from shared.catalogue.search import search_refresh
from shared.catalogue.services.reference import (
    _services_touching,
    agency_create,
    agency_update,
    category_save,
    document_type_create,
    document_type_update,
    life_event_save,
)
from shared.catalogue.services.standards import service_create, service_update

STARTER_FILE = Path(__file__).resolve().parent.parent / "data" / "starter.json"


# --- import and the starter catalogue ------------------------------------------------------------


class ImportMode:
    UPSERT = "upsert"  # create what is new, update what differs (a superadmin's updated file)
    CREATE_MISSING = "create_missing"  # only add what is missing (the starter catalogue)


@dataclass
class ImportReport:
    format: str
    valid: bool
    applied: bool
    dry_run: bool
    errors: list[dict] = field(default_factory=list)
    created: list[str] = field(default_factory=list)  # service codes
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    references_created: int = 0
    references_updated: int = 0

    @property
    def services_in_file(self) -> int:
        return len(self.created) + len(self.updated) + self.unchanged

    def as_dict(self) -> dict:
        return {
            "format": self.format,
            "valid": self.valid,
            "applied": self.applied,
            "dry_run": self.dry_run,
            "errors": self.errors,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "references_created": self.references_created,
            "references_updated": self.references_updated,
        }


def _agency_order(rows: list[dict]) -> list[dict]:
    """Parents before their children (the file may list them in any order)."""
    pending = {r["code"]: r for r in rows}
    ordered: list[dict] = []
    placed: set[str] = set()
    while pending:
        ready = [r for r in pending.values() if not r["parent"] or r["parent"] not in pending]
        if not ready:  # a cycle: validation allows it only through existing rows; stop here
            ready = list(pending.values())
        for row in ready:
            ordered.append(row)
            placed.add(row["code"])
            del pending[row["code"]]
    return ordered


def _apply(*, actor, plan: exchange.ImportPlan, mode: str, report: ImportReport) -> None:
    touched: list[int] = []
    upsert = mode == ImportMode.UPSERT

    def reference(model, rows, fields_of, create, update):
        existing = {obj.code: obj for obj in model.objects.all()}
        for row in rows:
            obj = existing.get(row["code"])
            if obj is None:
                create(row)
                report.references_created += 1
            elif upsert:
                values = fields_of(row)
                if any(getattr(obj, k) != v for k, v in values.items()):
                    update(obj, values)
                    report.references_updated += 1

    agencies = {a.code: a for a in Agency.objects.all()}

    def agency_fields(row):
        parent = agencies.get(row["parent"]) if row["parent"] else None
        return {
            "name": row["name"],
            "abbreviation": row["abbreviation"],
            "kind": row["kind"],
            "parent": parent,
        }

    def agency_new(row):
        agencies[row["code"]] = agency_create(actor=actor, code=row["code"], **agency_fields(row))

    def agency_change(obj, values):
        agencies[obj.code] = agency_update(actor=actor, agency=obj, refresh_search=False, **values)
        touched.extend(_services_touching(obj))

    reference(Agency, _agency_order(plan.agencies), agency_fields, agency_new, agency_change)

    def doc_change(obj, values):
        document_type_update(actor=actor, document_type=obj, refresh_search=False, **values)
        touched.extend(_services_touching(obj))

    reference(
        DocumentType,
        plan.document_types,
        lambda r: {"name": r["name"], "description": r["description"]},
        lambda r: document_type_create(actor=actor, **r),
        doc_change,
    )
    for model, rows, save in (
        (Category, plan.categories, category_save),
        (LifeEvent, plan.life_events, life_event_save),
    ):

        def ref_change(obj, values, save=save):
            save(actor=actor, code=obj.code, refresh_search=False, **values)
            touched.extend(_services_touching(obj))

        reference(
            model,
            rows,
            lambda r: {"name": r["name"]},
            lambda r, save=save: save(actor=actor, refresh_search=False, **r),
            ref_change,
        )

    existing = {
        s.code: s for s in Service.objects.filter(code__in=[s["code"] for s in plan.services])
    }
    for row in plan.services:
        service = existing.get(row["code"])
        if service is None:
            created = service_create(
                actor=actor, refresh_search=False, note=_("Impor katalog"), **row
            )
            report.created.append(created.code)
            touched.append(created.pk)
        elif upsert:
            changes = {k: v for k, v in row.items() if k != "code"}
            updated = service_update(
                actor=actor,
                service=service,
                refresh_search=False,
                note=_("Impor katalog"),
                **changes,
            )
            if updated.version != service.version:
                report.updated.append(updated.code)
                touched.append(updated.pk)
            else:
                report.unchanged += 1
        else:
            report.unchanged += 1
    search_refresh(sorted(set(touched)))


def catalogue_import(
    *,
    actor,
    content: bytes,
    filename: str = "",
    dry_run: bool = False,
    mode: str = ImportMode.UPSERT,
) -> ImportReport:
    """Validate a whole catalogue file and, only if every row is valid, apply it in one
    transaction. The report lists every bad row with its reason; with ``dry_run`` nothing is
    applied even when the file is valid."""
    plan = exchange.catalogue_parse(content, filename=filename)
    report = ImportReport(
        format=plan.format,
        valid=plan.is_valid,
        applied=False,
        dry_run=dry_run,
        errors=plan.errors_as_dicts(),
    )
    if not plan.is_valid:
        return report
    try:
        with transaction.atomic():
            _apply(actor=actor, plan=plan, mode=mode, report=report)
            if dry_run:
                raise _DryRun
            if (
                report.created
                or report.updated
                or report.references_created
                or report.references_updated
            ):
                audit_log(
                    actor=actor,
                    action="catalogue.import.applied",
                    data={
                        "format": plan.format,
                        "filename": filename[:200],
                        "created": len(report.created),
                        "updated": len(report.updated),
                        "unchanged": report.unchanged,
                    },
                )
    except _DryRun:
        return report
    except ValidationError as exc:
        # A rule only the database or the model knows (e.g. a code another row took meanwhile).
        report.valid = False
        report.errors.append(
            {
                "section": "file",
                "row": 0,
                "code": "",
                "field": "",
                "message": "; ".join(exc.messages),
            }
        )
        return report
    report.applied = True
    return report


class _DryRun(Exception):
    """Rolls back a dry run after it has shown what it would do."""


def catalogue_load_starter(*, actor=None, path: Path | None = None) -> ImportReport:
    """Load the starter catalogue shipped in the repository: adds what is missing and leaves
    everything that exists alone (so superadmins' edits survive every restart). Idempotent."""
    source = path or STARTER_FILE
    report = catalogue_import(
        actor=actor,
        content=source.read_bytes(),
        filename=source.name,
        mode=ImportMode.CREATE_MISSING,
    )
    if not report.valid:
        raise ValidationError(
            [
                f"{e['section']} #{e['row']} {e['code']} {e['field']}: {e['message']}"
                for e in report.errors
            ]
        )
    # Services written before search documents existed get theirs now.
    missing = Service.objects.filter(search_document__isnull=True).values_list("pk", flat=True)
    search_refresh(list(missing))
    return report
