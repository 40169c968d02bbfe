"""The signed commitment and the onboarding's private documents."""

import hashlib
from datetime import date

import filetype
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.audit import audit_log
from kernel.errors import ConflictError, DomainError
from onboarding.models import (
    Onboarding,
    OnboardingDocument,
    Stage,
)
from onboarding.services.transitions import MAX_DOCUMENT_BYTES
from shared.regions.models import Mpp, Region

# --- commitment and documents -------------------------------------------------------------------


def document_validate_pdf(uploaded) -> bytes:
    """The upload's bytes if it really is a PDF (by content, not by name) within the size limit."""
    size = getattr(uploaded, "size", None)
    if size is not None and size > MAX_DOCUMENT_BYTES:
        raise DomainError(
            _("Berkas terlalu besar (maksimal %(mb)d MB).") % {"mb": MAX_DOCUMENT_BYTES >> 20},
            code="file_too_large",
        )
    uploaded.seek(0)
    content = uploaded.read(MAX_DOCUMENT_BYTES + 1)
    if len(content) > MAX_DOCUMENT_BYTES:
        raise DomainError(
            _("Berkas terlalu besar (maksimal %(mb)d MB).") % {"mb": MAX_DOCUMENT_BYTES >> 20},
            code="file_too_large",
        )
    kind = filetype.guess(content[:8192]) if content else None
    if kind is None or kind.mime != "application/pdf":
        raise DomainError(_("Berkas harus PDF."), code="not_pdf")
    return content


def document_attach(*, actor, onboarding: Onboarding, kind: str, uploaded) -> OnboardingDocument:
    from django.core.files.base import ContentFile

    content = document_validate_pdf(uploaded)
    name = getattr(uploaded, "name", "") or "dokumen.pdf"
    document = OnboardingDocument(
        onboarding=onboarding,
        kind=kind,
        original_name=name.rsplit("/", 1)[-1][:255],
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=actor,
    )
    document.file.save(name, ContentFile(content), save=False)
    try:
        document.save()
    except Exception:
        document.file.delete(save=False)
        raise
    audit_log(
        actor=actor,
        action="onboarding.document.uploaded",
        target=onboarding,
        data={"document_id": document.pk, "kind": kind, "sha256": document.sha256},
        region=onboarding.region,
    )
    return document


@transaction.atomic
def onboarding_commit(
    *,
    actor,
    region: Region,
    signer_name: str,
    signer_title: str,
    signed_on: date,
    occasion: str = "",
    document=None,
) -> Onboarding:
    """Record a region's signed commitment: the first stage of onboarding."""
    Region.objects.select_for_update().get(pk=region.pk)
    if Onboarding.objects.filter(region=region).exclude(stage=Stage.OFFBOARDED).exists():
        raise ConflictError(
            _("%(region)s sudah dalam proses onboarding.") % {"region": region.name},
            code="already_onboarding",
        )
    if Mpp.objects.filter(region=region).exists():
        raise ConflictError(
            _("%(region)s sudah memiliki MPP.") % {"region": region.name}, code="already_live"
        )
    if not (signer_name or "").strip() or not (signer_title or "").strip():
        raise DomainError(_("Nama dan jabatan penanda tangan wajib diisi."))
    if signed_on > timezone.localdate():
        raise DomainError(_("Tanggal penandatanganan tidak boleh di masa depan."))
    onboarding = Onboarding.objects.create(
        region=region,
        stage=Stage.COMMITTED,
        signer_name=signer_name.strip(),
        signer_title=signer_title.strip(),
        signed_on=signed_on,
        occasion=(occasion or "").strip(),
        created_by=actor,
    )
    audit_log(
        actor=actor,
        action="onboarding.region.committed",
        target=onboarding,
        data={"to": Stage.COMMITTED, "signer": onboarding.signer_name, "signed_on": str(signed_on)},
        region=region,
    )
    if document is not None:
        document_attach(
            actor=actor,
            onboarding=onboarding,
            kind=OnboardingDocument.Kind.COMMITMENT,
            uploaded=document,
        )
    return onboarding
