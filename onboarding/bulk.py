"""Bulk onboarding from a CSV (a decree designates many regions at once: KepMenPANRB 457/2024
designated 199).

The whole file is validated first; every bad row is reported with its reason and nothing is
applied unless every row is valid. A decree may list regions already live (the 2023 pilots) or
already being provisioned: those rows are reported as "nothing to do" and the file applies to the
others, so applying the same file twice changes nothing the second time. Applying records each
region as designated (with its commitment, when the file has it) and starts its provisioning;
the regions then provision in the background, followed under one progress bar (the batch).

Columns (header row required; ``;`` or ``,`` separated; UTF-8):
``kode`` (Kemendagri code, e.g. 21.01), ``nomor_keputusan``, ``tanggal_keputusan``
(YYYY-MM-DD or DD/MM/YYYY), ``email_admin``; optional ``nama_admin``, ``penanda_tangan``,
``jabatan_penanda_tangan``, ``tanggal_komitmen``, ``acara``.
"""

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from kernel.audit import audit_log
from kernel.csvfile import first_csv_error
from kernel.errors import ConflictError
from onboarding.models import BulkBatch, Onboarding, Stage
from onboarding.provisioning.pipeline import PROVISION, steps_ensure
from shared.regions.models import Mpp, Region

MAX_BYTES = 1024 * 1024
MAX_ROWS = 600
REQUIRED = ("kode", "nomor_keputusan", "tanggal_keputusan", "email_admin")
OPTIONAL = (
    "nama_admin",
    "penanda_tangan",
    "jabatan_penanda_tangan",
    "tanggal_komitmen",
    "acara",
)
ALIASES = {
    "code": "kode",
    "kode_kemendagri": "kode",
    "kode_wilayah": "kode",
    "decree_number": "nomor_keputusan",
    "nomor_kepmen": "nomor_keputusan",
    "decree_date": "tanggal_keputusan",
    "tanggal_kepmen": "tanggal_keputusan",
    "admin_email": "email_admin",
    "admin_name": "nama_admin",
    "signer_name": "penanda_tangan",
    "signer_title": "jabatan_penanda_tangan",
    "signed_on": "tanggal_komitmen",
    "occasion": "acara",
}
OPEN_FOR_DESIGNATION = (Stage.COMMITTED, Stage.ASSESSED, Stage.DESIGNATED)
NOTHING_TO_DO = {
    Stage.LIVE: _lazy("%(region)s sudah live, tidak ada yang perlu dilakukan."),
    Stage.PROVISIONING: _lazy("%(region)s sedang disiapkan, tidak ada yang perlu dilakukan."),
}
TEMPLATE_CSV = (
    "kode;nomor_keputusan;tanggal_keputusan;email_admin;nama_admin;penanda_tangan;"
    "jabatan_penanda_tangan;tanggal_komitmen;acara\n"
    "21.01;457/2024;2024-06-03;admin.mpp@bintankab.go.id;Dewi Lestari;Roby Kurniawan;"
    "Bupati Bintan;2024-03-07;Penandatanganan komitmen MPP Digital\n"
)


@dataclass
class RowError:
    row: int  # the line in the file (the header is line 1)
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class BulkRow:
    line: int
    region: Region
    decree_number: str
    decree_date: dt.date
    admin_email: str
    admin_name: str = ""
    signer_name: str = ""
    signer_title: str = ""
    signed_on: dt.date | None = None
    occasion: str = ""


@dataclass
class SkippedRow:
    row: int
    code: str
    name: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "code": self.code, "name": self.name, "message": self.message}


@dataclass
class BulkValidation:
    rows: list[BulkRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # Regions already live or already being provisioned: nothing to do for them.
    skipped: list[SkippedRow] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows or self.skipped)


def _parse_date(text: str) -> dt.date | None:
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _normalise_code(text: str) -> str:
    text = text.strip()
    if re.fullmatch(r"[0-9]{4}", text):
        return f"{text[:2]}.{text[2:]}"
    return text


def _decode(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def unreadable_line_message(line: int) -> str:
    return _(
        "Baris %(line)d tidak dapat dibaca: ada isian lebih dari 128 KB, karakter NUL, atau tanda "
        "kutip yang tidak ditutup. Perbaiki baris itu lalu unggah lagi."
    ) % {"line": line}


def bulk_validate(raw: bytes) -> BulkValidation:
    """Check a whole CSV; every problem is reported with its line and column."""
    result = BulkValidation()
    errors = result.errors
    if len(raw) > MAX_BYTES:
        errors.append(RowError(0, "", _("Berkas terlalu besar (maksimal 1 MB).")))
        return result
    text = _decode(raw)
    if text is None:
        errors.append(RowError(0, "", _("Berkas harus teks CSV dengan pengodean UTF-8.")))
        return result
    if not text.strip():
        errors.append(RowError(0, "", _("Berkas kosong.")))
        return result
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    unreadable = first_csv_error(text, delimiter=delimiter)
    if unreadable is not None:
        errors.append(RowError(unreadable[0], "", unreadable_line_message(unreadable[0])))
        return result
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header_raw = next(reader, [])
    header = [
        ALIASES.get(h.strip().lower().replace(" ", "_"), h.strip().lower().replace(" ", "_"))
        for h in header_raw
    ]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        errors.append(
            RowError(
                1,
                ", ".join(missing),
                _("Kolom wajib tidak ada: %(cols)s.") % {"cols": ", ".join(missing)},
            )
        )
        return result
    records: list[tuple[int, dict[str, str]]] = []
    for line_no, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(records) >= MAX_ROWS:
            errors.append(
                RowError(line_no, "", _("Terlalu banyak baris (maksimal %(n)d).") % {"n": MAX_ROWS})
            )
            return result
        records.append((line_no, dict(zip(header, (v.strip() for v in values), strict=False))))
    if not records:
        errors.append(RowError(0, "", _("Tidak ada baris data.")))
        return result

    codes = [_normalise_code(r.get("kode", "")) for _line, r in records]
    regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
    open_onboardings = {
        o.region.code: o
        for o in Onboarding.objects.filter(region__code__in=codes)
        .exclude(stage=Stage.OFFBOARDED)
        .select_related("region")
    }
    with_mpp = set(
        Mpp.objects.filter(region__code__in=codes).values_list("region__code", flat=True)
    )
    seen_codes: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    today = timezone.localdate()
    for (line, record), code in zip(records, codes, strict=True):
        row_errors: list[RowError] = []
        skip = ""

        def bad(column: str, message: str, line=line, row_errors=row_errors) -> None:
            row_errors.append(RowError(line, column, message))

        region = regions.get(code)
        if not code:
            bad("kode", _("Kode wilayah wajib diisi."))
        elif region is None:
            bad("kode", _("Kode wilayah %(code)s tidak dikenal.") % {"code": code})
        elif code in seen_codes:
            bad(
                "kode",
                _("Kode %(code)s ganda (juga di baris %(line)d).")
                % {
                    "code": code,
                    "line": seen_codes[code],
                },
            )
        else:
            seen_codes[code] = line
            existing = open_onboardings.get(code)
            if existing is not None and existing.stage in NOTHING_TO_DO:
                skip = NOTHING_TO_DO[Stage(existing.stage)] % {"region": region.name}
            elif existing is not None and existing.stage not in OPEN_FOR_DESIGNATION:
                bad(
                    "kode",
                    _("%(region)s sudah pada tahap “%(stage)s”.")
                    % {"region": region.name, "stage": existing.get_stage_display()},
                )
            elif existing is None and code in with_mpp:
                bad("kode", _("%(region)s sudah memiliki MPP.") % {"region": region.name})

        decree_number = record.get("nomor_keputusan", "")
        if not decree_number:
            bad("nomor_keputusan", _("Nomor keputusan wajib diisi."))
        elif len(decree_number) > 100:
            bad("nomor_keputusan", _("Nomor keputusan terlalu panjang."))
        decree_date = _parse_date(record.get("tanggal_keputusan", ""))
        if decree_date is None:
            bad("tanggal_keputusan", _("Tanggal tidak valid (pakai YYYY-MM-DD atau DD/MM/YYYY)."))
        elif decree_date > today:
            bad("tanggal_keputusan", _("Tanggal keputusan tidak boleh di masa depan."))
        signed_on = None
        if record.get("tanggal_komitmen"):
            signed_on = _parse_date(record["tanggal_komitmen"])
            if signed_on is None:
                bad(
                    "tanggal_komitmen", _("Tanggal tidak valid (pakai YYYY-MM-DD atau DD/MM/YYYY).")
                )
            elif decree_date is not None and signed_on > decree_date:
                bad("tanggal_komitmen", _("Tanggal komitmen tidak boleh sesudah keputusan."))

        email = record.get("email_admin", "").lower()
        try:
            validate_email(email)
        except ValidationError:
            bad("email_admin", _("Email admin tidak valid."))
        else:
            if email in seen_emails:
                bad(
                    "email_admin",
                    _("Email admin ganda (juga di baris %(line)d).") % {"line": seen_emails[email]},
                )
            else:
                seen_emails[email] = line
        for column, limit in (
            ("nama_admin", 150),
            ("penanda_tangan", 150),
            ("jabatan_penanda_tangan", 150),
            ("acara", 255),
        ):
            if len(record.get(column, "")) > limit:
                bad(column, _("Terlalu panjang (maksimal %(n)d karakter).") % {"n": limit})

        if row_errors or region is None or decree_date is None:
            errors.extend(row_errors)
            continue
        if skip:
            result.skipped.append(SkippedRow(line, region.code, region.name, skip))
            continue
        result.rows.append(
            BulkRow(
                line=line,
                region=region,
                decree_number=decree_number,
                decree_date=decree_date,
                admin_email=email,
                admin_name=record.get("nama_admin", ""),
                signer_name=record.get("penanda_tangan", ""),
                signer_title=record.get("jabatan_penanda_tangan", ""),
                signed_on=signed_on,
                occasion=record.get("acara", ""),
            )
        )
    return result


def _default_title(region: Region) -> str:
    return _("Wali Kota") if region.kind == Region.Kind.KOTA else _("Bupati")


@transaction.atomic
def bulk_apply(
    *, actor, validation: BulkValidation, file_name: str = "", enqueue: bool = True
) -> BulkBatch | None:
    """Designate every row's region and start its provisioning; all or nothing. Rows with
    nothing to do were set aside by validation; when no row is left, nothing is written and
    None is returned."""
    if not validation.ok:
        raise ConflictError(_("Berkas belum valid; tidak ada yang diterapkan."), code="invalid")
    if not validation.rows:
        return None
    region_ids = [row.region.pk for row in validation.rows]
    list(Region.objects.select_for_update().filter(pk__in=region_ids))
    existing = {
        o.region_id: o
        for o in Onboarding.objects.select_for_update()
        .filter(region_id__in=region_ids)
        .exclude(stage=Stage.OFFBOARDED)
    }
    with_mpp = set(Mpp.objects.filter(region_id__in=region_ids).values_list("region_id", flat=True))
    batch = BulkBatch.objects.create(
        created_by=actor, file_name=file_name[:255], row_count=len(validation.rows)
    )
    now = timezone.now()
    started = []
    for row in validation.rows:
        onboarding = existing.get(row.region.pk)
        if (onboarding is not None and onboarding.stage not in OPEN_FOR_DESIGNATION) or (
            onboarding is None and row.region.pk in with_mpp
        ):
            raise ConflictError(
                _("%(region)s berubah sejak berkas diperiksa; unggah ulang.")
                % {"region": row.region.name}
            )
        previous = onboarding.stage if onboarding is not None else ""
        if onboarding is None:
            onboarding = Onboarding(
                region=row.region,
                signer_name=row.signer_name or _("Kepala daerah"),
                signer_title=row.signer_title or _default_title(row.region),
                signed_on=row.signed_on or row.decree_date,
                occasion=row.occasion,
                created_by=actor,
            )
        onboarding.stage = Stage.PROVISIONING
        onboarding.stage_changed_at = now
        onboarding.decree_number = row.decree_number
        onboarding.decree_date = row.decree_date
        onboarding.admin_email = row.admin_email
        onboarding.admin_name = row.admin_name
        onboarding.batch = batch
        onboarding.save()
        audit_log(
            actor=actor,
            action="onboarding.region.designated",
            target=onboarding,
            data={
                "from": previous,
                "to": Stage.DESIGNATED,
                "decree_number": row.decree_number,
                "decree_date": str(row.decree_date),
                "batch": batch.pk,
            },
            region=row.region,
        )
        audit_log(
            actor=actor,
            action="onboarding.region.provisioning_started",
            target=onboarding,
            data={"from": Stage.DESIGNATED, "to": Stage.PROVISIONING, "batch": batch.pk},
            region=row.region,
        )
        steps_ensure(onboarding, PROVISION)
        started.append(onboarding.pk)
    audit_log(
        actor=actor,
        action="onboarding.bulk.applied",
        target=batch,
        data={"rows": len(started), "file": file_name},
    )
    if enqueue:
        from shared.outbox.services import task_enqueue

        actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
        # Through the outbox, in this transaction: a broker outage loses no region.
        for onboarding_id in started:
            task_enqueue(
                "onboarding.run_pipeline",
                kwargs={
                    "onboarding_id": onboarding_id,
                    "pipeline": PROVISION,
                    "actor_id": actor_id,
                },
            )
    return batch
