"""The application form page, shared by the citizen (online) and counter staff (assisted).

The form is dynamic (requirements from the offering's standard, extra fields from the admin's
definition), so it is read from the POST here and rendered from plain context, not a Django Form.
Input names: ``req-<key>`` (chosen vault document), ``req-<key>-file`` (new upload),
``req-<key>-ok`` (confirmation of a requirement without a document), ``field-<key>`` (extra
field), ``client_key`` (idempotency), ``action`` (``draft`` or ``submit``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.http import QueryDict

from shared.citizens.models import CitizenProfile, Document
from tenants.applications.common import requirement_slots
from tenants.applications.models import Application, FormField
from tenants.applications.selectors import form_fields


@dataclass
class PostedForm:
    choices: dict = field(default_factory=dict)
    uploads: dict = field(default_factory=dict)
    confirmations: set = field(default_factory=set)
    answers: dict = field(default_factory=dict)
    field_uploads: dict = field(default_factory=dict)
    client_key: uuid.UUID | None = None
    action: str = "draft"


def read_post(post: QueryDict, files, *, standard, fields: list[FormField]) -> PostedForm:
    form = PostedForm(action="submit" if post.get("action") == "submit" else "draft")
    try:
        form.client_key = uuid.UUID(post.get("client_key", ""))
    except ValueError:
        form.client_key = None
    for slot in requirement_slots(standard):
        name = f"req-{slot.key}"
        if slot.document_type_id:
            upload = files.get(f"{name}-file") if files else None
            if upload is not None:
                form.uploads[slot.key] = upload
            elif name in post:
                form.choices[slot.key] = post.get(name) or None
        elif post.get(f"{name}-ok"):
            form.confirmations.add(slot.key)
    for item in fields:
        name = f"field-{item.key}"
        if item.kind == FormField.Kind.FILE:
            upload = files.get(name) if files else None
            if upload is not None:
                form.field_uploads[item.key] = upload
        else:
            form.answers[item.key] = post.get(name, "")
    return form


def form_context(
    *,
    offering,
    standard,
    citizen: CitizenProfile,
    application: Application | None,
    errors: dict | None = None,
    client_key: uuid.UUID | None = None,
) -> dict:
    """What the form template needs: the profile summary, each requirement with the citizen's
    vault documents of its type (the one already chosen, else the newest, preselected), and each
    extra field with its current answer and messages."""
    errors = errors or {}
    rows = {r.key: r for r in application.requirements.all()} if application else {}
    type_ids = {r.document_type_id for r in standard.requirements if r.document_type_id}
    by_type: dict[int, list[Document]] = {}
    for document in (
        Document.objects.filter(
            profile=citizen, document_type_id__in=type_ids, archived_at__isnull=True
        )
        .select_related("document_type")
        .order_by("-uploaded_at", "-id")
    ):
        by_type.setdefault(document.document_type_id, []).append(document)
    requirements = []
    for slot in requirement_slots(standard):
        row = rows.get(slot.key)
        options = list(by_type.get(slot.document_type_id, [])) if slot.document_type_id else []
        chosen = row.document_id if row and row.document_id else None
        if chosen and row and all(d.pk != chosen for d in options) and row.document is not None:
            options.insert(0, row.document)  # archived since, still what this draft uses
        if chosen is None and options and application is None:
            chosen = options[0].pk
        requirements.append(
            {
                "slot": slot,
                "name": f"req-{slot.key}",
                "options": options,
                "chosen": chosen,
                "confirmed": bool(row and row.confirmed),
                "errors": errors.get(f"req-{slot.key}", []),
            }
        )
    data = application.data if application else {}
    extra = []
    for item in form_fields(offering):
        value = data.get(item.key)
        extra.append(
            {
                "field": item,
                "name": f"field-{item.key}",
                "value": value if not isinstance(value, dict) else "",
                "file": value if isinstance(value, dict) else None,
                "errors": errors.get(f"field-{item.key}", []),
            }
        )
    return {
        "offering": offering,
        "standard": standard,
        "citizen": citizen,
        "application": application,
        "requirements": requirements,
        "extra_fields": extra,
        "profile_errors": errors.get("profile", []),
        "has_errors": bool(errors),
        "client_key": client_key or uuid.uuid4(),
    }
