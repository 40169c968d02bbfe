"""Writes of the catalogue's reference data: agencies, document types, categories, life events."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from kernel.audit import audit_log
from shared.catalogue.models import (
    Agency,
    Category,
    DocumentType,
    LifeEvent,
    Service,
)
from shared.catalogue.search import search_refresh
from shared.catalogue.services.standards import _by_code

# --- reference data: agencies, document types, categories, life events ---------------------------


def _services_touching(instance) -> list[int]:
    if isinstance(instance, Agency):
        query = Q(agency=instance) | Q(agency__parent=instance)
    elif isinstance(instance, DocumentType):
        query = Q(requirements__document_type=instance)
    elif isinstance(instance, Category):
        query = Q(category=instance)
    else:
        query = Q(life_events=instance)
    return list(Service.objects.filter(query).values_list("pk", flat=True).distinct())


def _reference_save(*, actor, model, instance, changes: dict, action: str, refresh_search=True):
    """Create (instance None) or change one reference row; refresh the search documents of the
    services that mention it. Returns (instance, changed?)."""
    creating = instance is None
    if creating:
        instance = model(**changes)
        changed = list(changes)
    else:
        instance = model.objects.select_for_update(of=("self",)).get(pk=instance.pk)
        changed = [k for k, v in changes.items() if getattr(instance, k) != v]
        if not changed:
            return instance, False
        for key in changed:
            setattr(instance, key, changes[key])
    instance.full_clean()
    instance.save()
    if refresh_search and not creating:
        search_refresh(_services_touching(instance))
    label = model._meta.model_name
    audit_log(
        actor=actor,
        action=f"catalogue.{label}.{'created' if creating else action}",
        target=instance,
        data={"code": instance.code, "changed_fields": changed},
    )
    return instance, True


@transaction.atomic
def agency_create(*, actor, code: str, name: str, kind: str, abbreviation: str = "", parent=None):
    parent = _by_code(Agency, parent, "parent")
    agency, _changed = _reference_save(
        actor=actor,
        model=Agency,
        instance=None,
        changes={
            "code": code,
            "name": name,
            "kind": kind,
            "abbreviation": abbreviation,
            "parent": parent,
        },
        action="created",
    )
    return agency


@transaction.atomic
def agency_update(*, actor, agency: Agency, refresh_search: bool = True, **changes) -> Agency:
    if "parent" in changes:
        changes["parent"] = _by_code(Agency, changes["parent"], "parent")
        if changes["parent"] is not None and changes["parent"].pk == agency.pk:
            raise ValidationError(
                {"parent": _("Instansi tidak boleh menjadi induk dirinya sendiri.")}
            )
    agency, _changed = _reference_save(
        actor=actor,
        model=Agency,
        instance=agency,
        changes=changes,
        action="updated",
        refresh_search=refresh_search,
    )
    return agency


@transaction.atomic
def document_type_create(*, actor, code: str, name: str, description: str = "") -> DocumentType:
    doc, _changed = _reference_save(
        actor=actor,
        model=DocumentType,
        instance=None,
        changes={"code": code, "name": name, "description": description},
        action="created",
    )
    return doc


@transaction.atomic
def document_type_update(
    *, actor, document_type: DocumentType, refresh_search: bool = True, **changes
) -> DocumentType:
    doc, _changed = _reference_save(
        actor=actor,
        model=DocumentType,
        instance=document_type,
        changes=changes,
        action="updated",
        refresh_search=refresh_search,
    )
    return doc


@transaction.atomic
def category_save(*, actor, code: str, name: str, refresh_search: bool = True) -> Category:
    """Create the category with this code, or rename it."""
    existing = Category.objects.filter(code=code).first()
    category, _changed = _reference_save(
        actor=actor,
        model=Category,
        instance=existing,
        changes={"code": code, "name": name},
        action="updated",
        refresh_search=refresh_search,
    )
    return category


@transaction.atomic
def life_event_save(*, actor, code: str, name: str, refresh_search: bool = True) -> LifeEvent:
    """Create the life event with this code, or rename it."""
    existing = LifeEvent.objects.filter(code=code).first()
    event, _changed = _reference_save(
        actor=actor,
        model=LifeEvent,
        instance=existing,
        changes={"code": code, "name": name},
        action="updated",
        refresh_search=refresh_search,
    )
    return event
