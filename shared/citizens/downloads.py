"""Streaming a citizen's own file (the pages and the API use the same answer)."""

from django.http import FileResponse


def document_response(document) -> FileResponse:
    """A vault document streamed to its owner: never cached, never sniffed, never scripted."""
    response = FileResponse(
        document.file.open("rb"),
        content_type=document.content_type,
        as_attachment=False,
        filename=f"{document.document_type.code}-{document.pk}.{document.file.name[-3:]}",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'"
    return response
