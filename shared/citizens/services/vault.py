"""The document vault: private, type checked by content, size limited."""

from django.db import transaction
from django.utils import timezone

from kernel.audit import audit_log
from shared.citizens.models import (
    CitizenProfile,
    Document,
)
from shared.citizens.validation import check_upload


def document_upload(
    *,
    actor,
    profile: CitizenProfile,
    document_type,
    upload,
    source: str = Document.Source.VAULT,
) -> Document:
    """Store one document in the citizen's vault, privately. Type by content, size limited.
    Raises ValidationError with the reason."""
    checked = check_upload(upload)
    name = (getattr(upload, "name", "") or "dokumen")[-200:]
    document = Document(
        profile=profile,
        document_type=document_type,
        original_name=name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        source=source,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    document.file.save(name, checked.file, save=False)
    try:
        with transaction.atomic():
            document.save()
            audit_log(
                actor=actor,
                action="citizens.document.uploaded",
                target=document,
                data={"type": document_type.code, "bytes": checked.size},
            )
    except Exception:
        document.file.delete(save=False)  # no orphan file when the row did not make it
        raise
    return document


def document_archive(*, actor, document: Document) -> Document:
    """Hide a document from the vault. The file stays: applications may still refer to it."""
    if document.archived_at is None:
        document.archived_at = timezone.now()
        document.save(update_fields=["archived_at"])
        audit_log(actor=actor, action="citizens.document.archived", target=document)
    return document
