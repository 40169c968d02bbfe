"""The region admin's form definition: extra fields per offering (text, number, date, choice,
file; required or not). Runs inside a region's schema."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kernel.audit import audit_log
from kernel.errors import DomainError
from tenants.applications.models import FormField
from tenants.mpp.models import Offering

MAX_FIELDS = 30
MAX_CHOICES = 50


def _choices(value) -> list[str]:
    if isinstance(value, str):
        value = value.splitlines()
    out = []
    for item in value or []:
        text = " ".join(str(item).split())[:200]
        if text and text not in out:
            out.append(text)
    return out


def form_fields_save(*, actor, offering: Offering, fields: list[dict]) -> list[FormField]:
    """Replace the offering's extra fields with ``fields`` (in order). A field keeps its key
    (and so earlier answers) while it stays; one taken out is deactivated, not deleted, so
    submitted applications still show what was asked. Raises DomainError with ``errors`` keyed
    ``<index>.<name>``."""
    errors: dict[str, list[str]] = {}
    if len(fields) > MAX_FIELDS:
        raise DomainError(_("Paling banyak %(n)s isian tambahan.") % {"n": MAX_FIELDS})
    cleaned = []
    used: set[str] = set()
    for index, raw in enumerate(fields):
        label = " ".join(str(raw.get("label") or "").split())[:200]
        kind = raw.get("kind") or ""
        choices = _choices(raw.get("choices"))
        if not label:
            errors[f"{index}.label"] = [_("Tulis pertanyaannya.")]
        if kind not in FormField.Kind.values:
            errors[f"{index}.kind"] = [_("Pilih jenis isian.")]
        if kind == FormField.Kind.CHOICE and not choices:
            errors[f"{index}.choices"] = [_("Tulis pilihan, satu per baris.")]
        if len(choices) > MAX_CHOICES:
            errors[f"{index}.choices"] = [_("Terlalu banyak pilihan.")]
        key = slugify(str(raw.get("key") or label))[:40].strip("-") or f"isian-{index + 1}"
        base, n = key, 2
        while key in used:
            key = f"{base[:36]}-{n}"
            n += 1
        used.add(key)
        cleaned.append(
            {
                "key": key,
                "label": label,
                "kind": kind,
                "choices": choices if kind == FormField.Kind.CHOICE else [],
                "is_required": bool(raw.get("is_required")),
                "help_text": " ".join(str(raw.get("help_text") or "").split())[:300],
            }
        )
    if errors:
        raise DomainError(
            _("Periksa isian yang ditandai."), code="invalid", extra={"errors": errors}
        )
    with transaction.atomic():
        existing = {
            f.key: f for f in FormField.objects.select_for_update().filter(offering=offering)
        }
        kept = []
        for position, item in enumerate(cleaned):
            key = str(item["key"])
            field = existing.pop(key, None) or FormField(offering=offering, key=key)
            for name, value in item.items():
                setattr(field, name, value)
            field.position = position
            field.is_active = True
            field.save()
            kept.append(field)
        FormField.objects.filter(pk__in=[f.pk for f in existing.values()]).update(is_active=False)
        audit_log(
            actor=actor,
            action="applications.form.updated",
            target=offering,
            data={"fields": [f.key for f in kept]},
        )
    return kept
