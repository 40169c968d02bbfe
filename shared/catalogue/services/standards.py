"""Writes of a national service's published standard: ``service_create`` / ``service_update``.

Every change to a service goes through them — the API, the Django admin, the import and the
starter loader alike — so that every change is one new ``ServiceVersion`` (who, when, a snapshot of
the whole standard and the fields that changed), one audit entry, and a fresh search document, all
in the same transaction.
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kernel.audit import audit_log
from shared.catalogue.models import (
    Agency,
    Category,
    Channel,
    DocumentType,
    FeeKind,
    LifeEvent,
    ProcedureStep,
    Requirement,
    Service,
    ServiceVersion,
)
from shared.catalogue.search import search_refresh

# The published standard, in the order pages and diffs show it.
SNAPSHOT_FIELDS: tuple[str, ...] = (
    "code",
    "name",
    "agency",
    "category",
    "life_events",
    "summary",
    "synonyms",
    "requirements",
    "steps",
    "completion_days",
    "completion_note",
    "fee_kind",
    "fee_amount",
    "fee_basis",
    "product",
    "complaint_handling",
    "legal_basis",
    "channels",
    "is_active",
)
_TEXT_FIELDS = (
    "code",
    "name",
    "summary",
    "synonyms",
    "completion_note",
    "fee_basis",
    "product",
    "complaint_handling",
    "legal_basis",
)
_SCALAR_FIELDS = (
    *_TEXT_FIELDS,
    "completion_days",
    "fee_kind",
    "fee_amount",
    "channels",
    "is_active",
)
EDITABLE_FIELDS = frozenset(SNAPSHOT_FIELDS)


def _user_or_none(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


# --- snapshots -----------------------------------------------------------------------------------


def service_snapshot(service: Service) -> dict[str, Any]:
    """The whole published standard of a service as plain data (what a version stores)."""
    requirements = service.requirements.select_related("document_type").order_by("position", "id")
    return {
        "code": service.code,
        "name": service.name,
        "agency": service.agency.code,
        "category": service.category.code if service.category else None,
        "life_events": sorted(service.life_events.values_list("code", flat=True)),
        "summary": service.summary,
        "synonyms": service.synonyms,
        "requirements": [
            {
                "document_type": r.document_type.code if r.document_type else None,
                "text": r.text,
                "is_mandatory": r.is_mandatory,
            }
            for r in requirements
        ],
        "steps": list(service.steps.order_by("position", "id").values_list("text", flat=True)),
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
    }


# --- resolving inputs ----------------------------------------------------------------------------


def _by_code(model, value, field_name: str):
    if value is None or value == "":
        return None
    if isinstance(value, model):
        return value
    obj = model.objects.filter(code=value).first()
    if obj is None:
        raise ValidationError({field_name: _("Kode %s tidak dikenal.") % value})
    return obj


def _channels(value) -> list[str]:
    chosen = list(value or [])
    unknown = [c for c in chosen if c not in Channel.values]
    if unknown:
        raise ValidationError(
            {"channels": _("Kanal tidak dikenal: %s.") % ", ".join(str(c) for c in unknown)}
        )
    if not chosen:
        raise ValidationError({"channels": _("Pilih paling sedikit satu kanal.")})
    return [c for c in Channel.values if c in chosen]


def _requirements(items: Iterable) -> list[dict]:
    """Requirement inputs → [{"id", "document_type" (object or None), "text", "is_mandatory"}].

    Accepts dicts (document_type as object or code) and ``Requirement`` instances."""
    rows = []
    codes = set()
    for item in items:
        if isinstance(item, Requirement):
            item = {
                "id": item.pk,
                "document_type": item.document_type,
                "text": item.text,
                "is_mandatory": item.is_mandatory,
            }
        doc = item.get("document_type") or None
        if isinstance(doc, str):
            codes.add(doc)
        rows.append(
            {
                "id": item.get("id"),
                "document_type": doc,
                "text": (item.get("text") or "").strip(),
                "is_mandatory": bool(item.get("is_mandatory", True)),
            }
        )
    known = {d.code: d for d in DocumentType.objects.filter(code__in=codes)} if codes else {}
    errors = []
    for n, row in enumerate(rows, start=1):
        if isinstance(row["document_type"], str):
            doc = known.get(row["document_type"])
            if doc is None:
                errors.append(
                    _("Persyaratan ke-%(n)s: jenis dokumen %(code)s tidak dikenal.")
                    % {"n": n, "code": row["document_type"]}
                )
            row["document_type"] = doc
        if row["document_type"] is None and not row["text"]:
            errors.append(_("Persyaratan ke-%s: isi jenis dokumen atau keterangan.") % n)
        if len(row["text"]) > 300:
            errors.append(_("Persyaratan ke-%s: keterangan paling banyak 300 karakter.") % n)
    if errors:
        raise ValidationError({"requirements": errors})
    return rows


def _steps(items: Iterable) -> list[str]:
    steps = [(s.text if isinstance(s, ProcedureStep) else str(s)).strip() for s in items]
    steps = [s for s in steps if s]
    too_long = [n for n, s in enumerate(steps, start=1) if len(s) > 500]
    if too_long:
        raise ValidationError(
            {
                "steps": _("Langkah ke-%s paling banyak 500 karakter.")
                % ", ".join(map(str, too_long))
            }
        )
    return steps


def _resolve(changes: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Inputs → (objects to write, the same values in snapshot form)."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"unknown service fields: {sorted(unknown)}")
    objects: dict[str, Any] = {}
    snap: dict[str, Any] = {}
    for key, value in changes.items():
        if key in _TEXT_FIELDS:
            objects[key] = snap[key] = (value or "").strip()
        elif key == "completion_days":
            objects[key] = snap[key] = None if value in (None, "") else int(value)
        elif key == "fee_amount":
            objects[key] = snap[key] = int(value or 0)
        elif key == "fee_kind":
            objects[key] = snap[key] = value
        elif key == "is_active":
            objects[key] = snap[key] = bool(value)
        elif key == "channels":
            objects[key] = snap[key] = _channels(value)
        elif key == "agency":
            agency = _by_code(Agency, value, "agency")
            if agency is None:
                raise ValidationError({"agency": _("Instansi wajib diisi.")})
            objects[key], snap[key] = agency, agency.code
        elif key == "category":
            category = _by_code(Category, value, "category")
            objects[key], snap[key] = category, category.code if category else None
        elif key == "life_events":
            events = [_by_code(LifeEvent, v, "life_events") for v in (value or [])]
            objects[key], snap[key] = events, sorted({e.code for e in events})
        elif key == "requirements":
            rows = _requirements(value or [])
            objects[key] = rows
            snap[key] = [
                {
                    "document_type": r["document_type"].code if r["document_type"] else None,
                    "text": r["text"],
                    "is_mandatory": r["is_mandatory"],
                }
                for r in rows
            ]
        elif key == "steps":
            objects[key] = snap[key] = _steps(value or [])
    return objects, snap


def _check_fee(kind: str, amount: int) -> None:
    if kind not in FeeKind.values:
        raise ValidationError({"fee_kind": _("Jenis biaya tidak dikenal.")})
    if kind == FeeKind.FREE and amount:
        raise ValidationError({"fee_amount": _("Layanan gratis tidak boleh memiliki tarif.")})
    if kind == FeeKind.FIXED and amount <= 0:
        raise ValidationError({"fee_amount": _("Tarif tetap harus lebih dari Rp0.")})


def _clean(service: Service) -> None:
    _check_fee(service.fee_kind, int(service.fee_amount or 0))
    service.full_clean(exclude=["life_events"])


# --- writing child rows, keeping their ids where the content is the same -------------------------


def _write_requirements(service: Service, wanted: list[dict]) -> None:
    """Make the service's requirements exactly ``wanted`` (in order), reusing existing rows —
    first by id, then by the same document and text, then by the same document — so that rows
    regions refer to keep their ids across edits and imports."""
    existing = list(service.requirements.order_by("position", "id"))
    free = {r.pk: r for r in existing}
    matched: list[Requirement | None] = [None] * len(wanted)

    def take(i: int, predicate) -> None:
        if matched[i] is not None:
            return
        for pk, row in free.items():
            if predicate(row):
                matched[i] = free.pop(pk)
                return

    def doc_id(w):
        return w["document_type"].pk if w["document_type"] else None

    for i, w in enumerate(wanted):
        if w.get("id") in free:
            matched[i] = free.pop(w["id"])
    for i, w in enumerate(wanted):
        take(i, lambda r, w=w: r.document_type_id == doc_id(w) and r.text == w["text"])
    for i, w in enumerate(wanted):
        take(i, lambda r, w=w: r.document_type_id is not None and r.document_type_id == doc_id(w))
    if free:
        Requirement.objects.filter(pk__in=list(free)).delete()
    to_update, to_create = [], []
    for position, (w, row) in enumerate(zip(wanted, matched, strict=True)):
        if row is None:
            to_create.append(
                Requirement(
                    service=service,
                    position=position,
                    document_type=w["document_type"],
                    text=w["text"],
                    is_mandatory=w["is_mandatory"],
                )
            )
            continue
        row.position, row.document_type, row.text = position, w["document_type"], w["text"]
        row.is_mandatory = w["is_mandatory"]
        to_update.append(row)
    Requirement.objects.bulk_update(
        to_update, ["position", "document_type", "text", "is_mandatory"]
    )
    Requirement.objects.bulk_create(to_create)


def _write_steps(service: Service, wanted: list[str]) -> None:
    existing = list(service.steps.order_by("position", "id"))
    for position, (row, text) in enumerate(zip(existing, wanted, strict=False)):
        row.position, row.text = position, text
    ProcedureStep.objects.bulk_update(existing[: len(wanted)], ["position", "text"])
    if len(existing) > len(wanted):
        ProcedureStep.objects.filter(pk__in=[r.pk for r in existing[len(wanted) :]]).delete()
    ProcedureStep.objects.bulk_create(
        [
            ProcedureStep(service=service, position=position, text=text)
            for position, text in enumerate(wanted)
            if position >= len(existing)
        ]
    )


# --- services ------------------------------------------------------------------------------------


@transaction.atomic
def service_create(
    *,
    actor,
    code: str,
    name: str,
    agency,
    product: str,
    complaint_handling: str,
    note: str = "",
    refresh_search: bool = True,
    **fields: Any,
) -> Service:
    """Create a standard service with its requirements and steps as version 1."""
    fields = {
        "code": code,
        "name": name,
        "agency": agency,
        "product": product,
        "complaint_handling": complaint_handling,
        **fields,
    }
    fields.setdefault("channels", [Channel.QUEUE, Channel.WALK_IN])
    if "fee_kind" not in fields:
        fields["fee_kind"] = (
            FeeKind.FIXED if int(fields.get("fee_amount") or 0) > 0 else FeeKind.FREE
        )
    objects, _snap = _resolve(fields)
    relations = {
        k: objects.pop(k) for k in ("life_events", "requirements", "steps") if k in objects
    }
    service = Service(**objects, version=1)
    _clean(service)
    service.save()
    if relations.get("life_events"):
        service.life_events.set(relations["life_events"])
    _write_requirements(service, relations.get("requirements", []))
    _write_steps(service, relations.get("steps", []))
    snapshot = service_snapshot(service)
    ServiceVersion.objects.create(
        service=service,
        number=1,
        snapshot=snapshot,
        changed_fields=list(SNAPSHOT_FIELDS),
        changed_by=_user_or_none(actor),
        note=note[:300],
    )
    if refresh_search:
        search_refresh([service.pk])
    audit_log(
        actor=actor,
        action="catalogue.service.created",
        target=service,
        data={"code": service.code, "version": 1},
    )
    return service


@transaction.atomic
def service_update(
    *, actor, service: Service, note: str = "", refresh_search: bool = True, **changes: Any
) -> Service:
    """Change a service. A change that changes nothing writes nothing; any real change becomes the
    next version, with the fields that changed, who changed them and a snapshot of the result.

    ``changes`` may hold any of ``SNAPSHOT_FIELDS``: plain values, ``agency``/``category`` as
    objects or codes, ``life_events`` as objects or codes, ``requirements`` as dicts
    (``document_type`` object or code, ``text``, ``is_mandatory``, optional ``id``) and ``steps``
    as texts. The row is locked, so concurrent edits get consecutive version numbers.
    """
    locked = (
        Service.objects.select_for_update(of=("self",))
        .select_related("agency", "category")
        .get(pk=service.pk)
    )
    before = service_snapshot(locked)
    objects, snap = _resolve(changes)
    if "fee_amount" in snap and "fee_kind" not in snap and locked.fee_kind != FeeKind.VARIABLE:
        # A new amount on a free/fixed service says which of the two it now is.
        objects["fee_kind"] = snap["fee_kind"] = (
            FeeKind.FIXED if snap["fee_amount"] > 0 else FeeKind.FREE
        )
    proposed = {**before, **snap}
    changed = [f for f in SNAPSHOT_FIELDS if proposed[f] != before[f]]
    if not changed:
        return locked
    for key in (*_SCALAR_FIELDS, "agency", "category"):
        if key in objects:
            setattr(locked, key, objects[key])
    _clean(locked)
    locked.version += 1
    locked.save()
    if "life_events" in changed:
        locked.life_events.set(objects["life_events"])
    if "requirements" in changed:
        _write_requirements(locked, objects["requirements"])
    if "steps" in changed:
        _write_steps(locked, objects["steps"])
    ServiceVersion.objects.create(
        service=locked,
        number=locked.version,
        snapshot=service_snapshot(locked),
        changed_fields=changed,
        changed_by=_user_or_none(actor),
        note=note[:300],
    )
    if refresh_search:
        search_refresh([locked.pk])
    audit_log(
        actor=actor,
        action="catalogue.service.updated",
        target=locked,
        data={"code": locked.code, "version": locked.version, "changed_fields": changed},
    )
    return locked
