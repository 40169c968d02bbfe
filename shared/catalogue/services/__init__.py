"""Writes to the national catalogue, by topic: the standard of a service (``standards``),
reference data (``reference``) and importing (``importing``). Import from here."""

from shared.catalogue.services.importing import (
    STARTER_FILE,
    ImportMode,
    ImportReport,
    catalogue_import,
    catalogue_load_starter,
)
from shared.catalogue.services.reference import (
    agency_create,
    agency_update,
    category_save,
    document_type_create,
    document_type_update,
    life_event_save,
)
from shared.catalogue.services.standards import (
    EDITABLE_FIELDS,
    SNAPSHOT_FIELDS,
    service_create,
    service_snapshot,
    service_update,
)

__all__ = [
    "EDITABLE_FIELDS",
    "SNAPSHOT_FIELDS",
    "STARTER_FILE",
    "ImportMode",
    "ImportReport",
    "agency_create",
    "agency_update",
    "catalogue_import",
    "catalogue_load_starter",
    "category_save",
    "document_type_create",
    "document_type_update",
    "life_event_save",
    "service_create",
    "service_snapshot",
    "service_update",
]
