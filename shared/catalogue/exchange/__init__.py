"""The catalogue as a file (``format``, ``export``, ``parse``): export to JSON or CSV, and read
and validate a file for import.

Nothing here writes to the database; ``catalogue.services.catalogue_import`` applies a validated
plan. The JSON form is the whole catalogue (agencies, document types, categories, life events and
services); the starter catalogue in ``data/starter.json`` is a file in this same form. The CSV form
is one row per service, for spreadsheets; it refers to agencies and other references by code.

CSV cells that hold lists: ``requirements`` has one requirement per line as
``document-type-code | text | wajib/opsional`` (the code may be empty for a free-text requirement);
``steps`` has one step per line; ``life_events`` and ``channels`` are comma-separated codes.
"""

from shared.catalogue.exchange.export import (
    catalogue_export_csv,
    catalogue_export_data,
    catalogue_export_json,
    service_as_dict,
)
from shared.catalogue.exchange.format import (
    CSV_COLUMNS,
    CSV_REQUIRED_COLUMNS,
    FORMAT_NAME,
    FORMAT_VERSION,
    MAX_COMPLETION_DAYS,
    MAX_FEE,
    MAX_SERVICES,
    ImportPlan,
    RowError,
)
from shared.catalogue.exchange.parse import (
    catalogue_parse,
)

__all__ = [
    "CSV_COLUMNS",
    "CSV_REQUIRED_COLUMNS",
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "MAX_COMPLETION_DAYS",
    "MAX_FEE",
    "MAX_SERVICES",
    "ImportPlan",
    "RowError",
    "catalogue_export_csv",
    "catalogue_export_data",
    "catalogue_export_json",
    "catalogue_parse",
    "service_as_dict",
]
