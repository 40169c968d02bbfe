"""The SP4N-LAPOR! adapter: forwarding a report outside the MPP to the national complaint system.

The real LAPOR! API cannot be reached from here, so what ships is ``LocalLaporGateway``: it
checks the report exactly as the contract says, records it in ``LaporOutbox`` (inside the
caller's transaction, so a rollback leaves no trace) and hands back a tracking number of its
own, marked as local (``LOKAL-…``) so nobody mistakes it for a number LAPOR! issued. A gateway
for the real API implements ``LaporGateway`` and is chosen with ``settings.MPP_LAPOR_GATEWAY``.

Contract (tests/tenants/complaints/test_lapor.py runs it against every implementation):
- ``submit`` refuses a report without a reference, a title (≤ 150 characters) or a body
  (≤ 4000), or of an unknown kind, with ``LaporError`` and stores nothing;
- an anonymous report carries no reporter at all; a confidential one carries the reporter with
  ``is_confidential`` set (LAPOR!'s *rahasia* flag);
- the return value carries a non-empty tracking number of at most 40 characters;
- submitting the same reference twice answers the same tracking number (retries are safe);
- ``status(tracking_id)`` answers the report's state for a number it issued and ``None`` for
  one it does not know.
"""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass, field
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from kernel.errors import DomainError
from shared.complaints.models import ComplaintKind
from tenants.complaints.tenancy import connection

MAX_TITLE = 150
MAX_BODY = 4000


class LaporError(DomainError):
    code = "lapor_invalid"


@dataclass(frozen=True)
class LaporReporter:
    name: str
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class LaporReport:
    reference: str  # our complaint number: LAPOR! keeps it as the source reference
    kind: str  # a ComplaintKind value
    title: str
    body: str
    region_code: str  # Kemendagri code of the region whose MPP forwards it
    agency_hint: str = ""  # the agency the report is about, when known
    reporter: LaporReporter | None = None  # None: anonymous
    is_confidential: bool = False
    attachments: list[str] = field(default_factory=list)  # sha256 of the evidence files


@dataclass(frozen=True)
class LaporReceipt:
    tracking_id: str
    status: str


@runtime_checkable
class LaporGateway(Protocol):
    name: str

    def submit(self, report: LaporReport) -> LaporReceipt: ...

    def status(self, tracking_id: str) -> str | None: ...


def check_report(report: LaporReport) -> None:
    """The checks every gateway makes before anything is stored or sent."""
    if not report.reference.strip():
        raise LaporError(_("Laporan ke SP4N-LAPOR! tanpa nomor rujukan."))
    if report.kind not in ComplaintKind.values:
        raise LaporError(_("Jenis laporan tidak dikenal SP4N-LAPOR!."))
    if not report.title.strip() or len(report.title) > MAX_TITLE:
        raise LaporError(
            _("Judul laporan kosong atau lebih dari %(n)s karakter.") % {"n": MAX_TITLE}
        )
    if not report.body.strip() or len(report.body) > MAX_BODY:
        raise LaporError(_("Isi laporan kosong atau lebih dari %(n)s karakter.") % {"n": MAX_BODY})
    if report.is_confidential and report.reporter is None:
        raise LaporError(_("Laporan rahasia memerlukan identitas pelapor."))


class LocalLaporGateway:
    """Records the report for a relay; issues ``LOKAL-<kode wilayah>-<acak>`` tracking numbers.
    Runs inside the region's schema (``LaporOutbox`` lives there)."""

    name = "local"

    def submit(self, report: LaporReport) -> LaporReceipt:
        from tenants.complaints.models import Complaint, LaporOutbox

        check_report(report)
        existing = LaporOutbox.objects.filter(complaint__number=report.reference).first()
        if existing is not None:
            return LaporReceipt(tracking_id=existing.tracking_id, status=existing.lapor_status)
        complaint = Complaint.objects.filter(number=report.reference).first()
        if complaint is None:
            raise LaporError(_("Pengaduan rujukan tidak ditemukan."))
        region = report.region_code.replace(".", "")
        tracking_id = f"LOKAL-{region}-{secrets.token_hex(5).upper()}"
        row = LaporOutbox.objects.create(
            complaint=complaint,
            gateway=self.name,
            tracking_id=tracking_id,
            payload={**asdict(report), "schema": connection.schema_name},
            lapor_status="diterima",
        )
        return LaporReceipt(tracking_id=row.tracking_id, status=row.lapor_status)

    def status(self, tracking_id: str) -> str | None:
        from tenants.complaints.models import LaporOutbox

        row = LaporOutbox.objects.filter(tracking_id=tracking_id).first()
        return row.lapor_status if row is not None else None


def get_lapor_gateway() -> LaporGateway:
    path = getattr(settings, "MPP_LAPOR_GATEWAY", "tenants.complaints.lapor.LocalLaporGateway")
    gateway = import_string(path)()
    if not isinstance(gateway, LaporGateway):
        raise TypeError(f"{path} does not implement LaporGateway")
    return gateway
