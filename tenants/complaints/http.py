"""What the complaint pages and the API both answer with (no view lives here, so both may
import it): the evidence file stream, the CSV export, the client address for the tracking-code
throttle, and the service list of the forms."""

from __future__ import annotations

import csv

from django.http import FileResponse, Http404, HttpResponse
from django.utils.translation import gettext as _

from kernel.files import extension_for
from shared.citizens.models import AccessAction
from tenants.complaints import selectors, services
from tenants.complaints.models import Attachment, Complaint, Privacy
from tenants.mpp.models import Offering
from tenants.mpp.selectors import offering_effective_standard, offerings_for_standard


def client_address(request) -> str:
    """Who is guessing tracking codes: the address the request came from (the proxy in front
    sets REMOTE_ADDR; see the deployment's trusted-proxy settings)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def offering_choices() -> list[tuple[str, str]]:
    """The MPP's active services for a select, by name (a fixed number of queries)."""
    rows = [
        (str(o.pk), offering_effective_standard(o).name)
        for o in offerings_for_standard(Offering.objects.active())
    ]
    return sorted(rows, key=lambda row: row[1].lower())


def serve_attachment(
    complaint: Complaint, attachment_id, *, viewer=None, via: str = "web"
) -> FileResponse:
    """One evidence file of a complaint the caller may already see: never cached, never
    sniffed, never scripted, under a neutral name. ``viewer``: staff, whose read goes in the
    complainant's access log; without one (the complainant) files of internal notes do not
    exist."""
    files = Attachment.objects.filter(complaint=complaint)
    if viewer is None:
        files = files.exclude(message__is_internal=True)
    try:
        attachment = files.get(pk=int(attachment_id))
    except (Attachment.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404(_("Tidak ditemukan.")) from exc
    if viewer is not None:
        services.complaint_read_log(
            viewer=viewer, complaint=complaint, action=AccessAction.DOCUMENT_VIEWED, via=via
        )
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("Berkas tidak ditemukan.")) from exc
    response = FileResponse(
        handle,
        content_type=attachment.content_type,
        as_attachment=False,
        filename=f"bukti-{attachment.pk}{extension_for(attachment.content_type)}",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'"
    return response


def safe_cell(value) -> str:
    """A spreadsheet must not run what a complainant typed (CSV formula injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_response(viewer, *, status: str, via: str = "web") -> HttpResponse:
    """CSV of the complaints ``viewer`` may see; identity by the same rule as every answer.
    Each citizen whose complaint is in it finds the export in their access log."""
    services.complaint_export_log(
        viewer=viewer,
        complaints=selectors.worklist(viewer, status=status)
        .filter(owner__isnull=False)
        .exclude(privacy=Privacy.ANONYMOUS),
        via=via,
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="pengaduan.csv"'
    response["Cache-Control"] = "private, no-store"
    writer = csv.writer(response)
    writer.writerow(selectors.EXPORT_COLUMNS)
    for row in selectors.export_rows(viewer, status=status):
        writer.writerow([safe_cell(v) for v in row])
    return response
