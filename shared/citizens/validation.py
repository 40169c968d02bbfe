"""Checks on what a citizen types or uploads. Messages are for the citizen (Bahasa Indonesia);
none of them repeats the NIK."""

import datetime as dt
import hashlib
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: What the vault accepts, decided by the file's content (magic bytes), never its name.
ALLOWED_TYPES: dict[str, str] = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
}
DEFAULT_MAX_BYTES = 5 * 1024 * 1024


def max_document_bytes() -> int:
    return int(getattr(settings, "CITIZEN_DOCUMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def normalize_nik(value: str) -> str:
    return "".join(ch for ch in str(value or "") if ch.isdigit())


def check_nik(
    nik: str,
    *,
    birth_date: dt.date | None,
    regency_code: str | None,
    gender: str | None = None,
) -> dict:
    """Validate a NIK against the rest of the profile. Returns what the NIK encodes.

    Raises ValidationError with a message per field: ``nik`` for the number itself, ``birth_date``
    and ``regency_code`` when the profile disagrees with what the NIK encodes. A NIK keeps the
    code of the kabupaten/kota where it was issued, which is where the KTP-el address is for a
    citizen whose KTP-el is current; the profile asks for the address as written on the KTP-el.
    """
    from lokal import parse_nik

    info = parse_nik(nik)
    if not info.valid:
        messages = {
            "format": _("NIK harus 16 digit angka."),
            "province": _("Dua digit pertama NIK bukan kode provinsi yang dikenal."),
            "wilayah": _("Kode kabupaten/kota dan kecamatan pada NIK tidak boleh 00."),
            "birth_date": _("Tanggal lahir yang tersandi di NIK tidak valid."),
            "serial": _("Nomor urut NIK (4 digit terakhir) tidak boleh 0000."),
        }
        raise ValidationError(
            {"nik": [messages.get(issue.code, _("NIK tidak valid.")) for issue in info.errors]}
        )
    errors: dict[str, list[str]] = {}
    encoded_birth = dt.date.fromisoformat(info.birth_date or "")
    if birth_date is not None and birth_date != encoded_birth:
        # The century of a NIK is inferred; a 1925 birth and a 2025 birth share digits.
        same_day = (birth_date.day, birth_date.month, birth_date.year % 100) == (
            encoded_birth.day,
            encoded_birth.month,
            encoded_birth.year % 100,
        )
        if not same_day:
            errors["birth_date"] = [
                _(
                    "Tanggal lahir tidak sesuai dengan NIK. Digit ke-7 sampai ke-12 NIK "
                    "menyandikan tanggal lahir (untuk perempuan tanggal ditambah 40)."
                )
            ]
    if regency_code and regency_code != info.regency_code:
        errors["regency_code"] = [
            _(
                "Kabupaten/kota alamat (%(address)s) tidak sesuai dengan kode wilayah pada NIK "
                "(%(nik)s). Isi alamat sesuai KTP-el."
            )
            % {"address": regency_code, "nik": info.regency_code}
        ]
    if gender and info.gender and gender != info.gender:
        errors["gender"] = [_("Jenis kelamin tidak sesuai dengan NIK.")]
    if errors:
        raise ValidationError(errors)
    return {
        "nik": info.nik,
        "birth_date": encoded_birth,
        "gender": info.gender,
        "province_code": info.province_code,
        "regency_code": info.regency_code,
        "district_code": info.district_code,
    }


def normalize_phone_or_error(value: str) -> str:
    """E.164 (+62…) of an Indonesian phone number; ValidationError with lokal's reason."""
    from lokal import parse_phone

    info = parse_phone(value)
    if not info.valid:
        raise ValidationError(
            _("Nomor HP tidak valid: gunakan nomor Indonesia, misalnya 0812-3456-7890.")
        )
    return info.e164 or ""


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    size: int
    sha256: str


def check_upload(upload) -> CheckedUpload:
    """Type by content (magic bytes), not by name or the browser's claim; size limited."""
    size = upload.size or 0
    if size <= 0:
        raise ValidationError(_("Berkas kosong. Pilih berkas PDF, JPEG, atau PNG."))
    limit = max_document_bytes()
    if size > limit:
        raise ValidationError(
            _("Berkas terlalu besar (%(size)s MB). Batas ukuran %(limit)s MB.")
            % {"size": f"{size / 1048576:.1f}", "limit": f"{limit / 1048576:.0f}"}
        )
    upload.seek(0)
    head = upload.read(8192)
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime not in ALLOWED_TYPES:
        raise ValidationError(
            _(
                "Jenis berkas tidak didukung. Unggah PDF, JPEG, atau PNG "
                "(isi berkas diperiksa, bukan hanya namanya)."
            )
        )
    digest = hashlib.sha256(head)
    for chunk in iter(lambda: upload.read(65536), b""):
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(content_type=mime, size=size, sha256=digest.hexdigest())
