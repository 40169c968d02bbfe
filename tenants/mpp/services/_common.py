"""Helpers shared by the services of this app."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import connection, models

from kernel.errors import DomainError


def current_region_id() -> int:
    """The region whose schema this connection is in. No query when the tenant is an ``Mpp``."""
    schema_name = getattr(connection, "schema_name", "public")
    region_id = getattr(getattr(connection, "tenant", None), "region_id", None)
    if region_id is None:
        from shared.regions.models import Mpp

        region_id = (
            Mpp.objects.filter(schema_name=schema_name).values_list("region_id", flat=True).first()
        )
    if region_id is None or schema_name == "public":
        raise RuntimeError("tenants.mpp services run inside a region's schema")
    return region_id


def full_clean_or_error(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    """Model validation as a DomainError carrying the per-field messages (for forms and API)."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise validation_to_domain(exc) from exc


def validation_to_domain(exc: ValidationError) -> DomainError:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    first = next(iter(errors.values()))[0]
    return DomainError(first, code="invalid", extra={"errors": errors})


def field_error(field: str, message: str) -> DomainError:
    return DomainError(message, code="invalid", extra={"errors": {field: [str(message)]}})
