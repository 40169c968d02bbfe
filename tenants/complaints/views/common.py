"""Helpers of the complaint pages."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from tenants.applications.views.files import serve_private
from tenants.complaints.models import Attachment, Complaint
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


def serve_attachment(complaint: Complaint, attachment_id):
    """One evidence file of a complaint the caller may already see."""
    try:
        attachment = Attachment.objects.get(complaint=complaint, pk=int(attachment_id))
    except (Attachment.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404(_("Tidak ditemukan.")) from exc
    return serve_private(attachment.file, attachment.content_type, f"bukti-{attachment.pk}")
