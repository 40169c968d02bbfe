"""Streaming a citizen's own file (the pages and the API use the same answer)."""

from django.http import FileResponse
from django.utils.translation import gettext as _

from kernel.errors import NotFoundError


def document_response(document) -> FileResponse:
    """A vault document streamed to its owner: never cached, never sniffed, never scripted."""
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        # The row outlived its file (a restore, a failed move): say so, never a 500.
        raise NotFoundError(
            _("Berkas dokumen ini tidak ditemukan di penyimpanan. Unggah ulang dokumennya.")
        ) from exc
    response = FileResponse(
        handle,
        content_type=document.content_type,
        as_attachment=False,
        filename=f"{document.document_type.code}-{document.pk}.{document.file.name[-3:]}",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'"
    return response
