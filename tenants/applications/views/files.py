from django.http import FileResponse, Http404
from django.utils.translation import gettext as _


def serve_private(file_field, content_type: str, stem: str) -> FileResponse:
    """A private file, after the caller checked access. Never cached, never sniffed."""
    try:
        handle = file_field.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("Berkas tidak ditemukan.")) from exc
    ext = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(content_type, "")
    response = FileResponse(
        handle, content_type=content_type, as_attachment=False, filename=f"{stem}.{ext}"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'"
    return response
