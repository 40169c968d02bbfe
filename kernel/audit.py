"""One call for every mutating service: ``audit_log(actor=..., action="app.entity.verb", ...)``.

Writes to the region's own log when running in a region's schema, else to the national log.
"""

from typing import Any

from django.apps import apps
from django.db import models

from kernel.tenancy import Actor, connection


def audit_log(
    *,
    actor: Actor | None,
    action: str,
    target: models.Model | None = None,
    data: dict | None = None,
    region: Any = None,
) -> models.Model:
    in_region = connection.schema_name != "public"
    model = apps.get_model("region_audit" if in_region else "national_audit", "AuditEntry")
    fields = {
        "actor": actor if (actor is not None and actor.is_authenticated) else None,
        "action": action,
        "target_type": target._meta.label_lower if target is not None else "",
        "target_id": str(target.pk) if target is not None else "",
        "data": data or {},
    }
    if not in_region:
        fields["region_code"] = region.code if region is not None else ""
    return model.objects.create(**fields)
