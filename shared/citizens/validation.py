"""Checks on what a citizen types or uploads. Messages are for the citizen (Bahasa Indonesia);
none of them repeats the NIK."""

import datetime as dt
import hashlib
import io
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
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


def check_nik(nik: str, *, birth_date: dt.date | None, gender: str | None = None) -> dict:
    """Check a NIK's structure and compare it with the birth date. Returns what the NIK encodes.

    Raises ValidationError (``nik``) when the number itself is malformed. The address is not
    compared: a NIK is lifelong and keeps the code of the regency that issued it (UU 24/2013), so
    a citizen who moved, or whose regency was recoded (``regency_codes``), lives elsewhere.
    A birth date that differs from the encoded one is *not* an error: the result carries
    ``birth_date_mismatch`` and the caller asks the citizen to confirm (a wrongly encoded NIK is
    rarely reissued).
    """
    from lokal import parse_nik

    from shared.citizens.regency_codes import current_regency_code

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
    encoded_birth = dt.date.fromisoformat(info.birth_date or "")
    mismatch = False
    if birth_date is not None and birth_date != encoded_birth:
        # The century of a NIK is inferred; a 1925 birth and a 2025 birth share digits.
        mismatch = (birth_date.day, birth_date.month, birth_date.year % 100) != (
            encoded_birth.day,
            encoded_birth.month,
            encoded_birth.year % 100,
        )
    return {
        "nik": info.nik,
        "birth_date": encoded_birth,
        "birth_date_mismatch": mismatch,
        "gender": info.gender,
        "gender_mismatch": bool(gender and info.gender and gender != info.gender),
        "province_code": info.province_code,
        "issued_regency_code": info.regency_code,
        "regency_code": current_regency_code(info.regency_code or ""),
        "district_code": info.district_code,
    }


def birth_date_mismatch_message() -> str:
    return _(
        "Tanggal lahir berbeda dengan yang tersandi di NIK (digit ke-7 sampai ke-12; untuk "
        "perempuan tanggal ditambah 40). Jika tanggal lahir sudah sesuai KTP-el, centang "
        "konfirmasi: perbedaan ini dicatat di profil."
    )


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
    file: File  # what to store: the upload itself, or the image without its metadata


def strip_image_metadata(data: bytes, content_type: str) -> bytes:
    """The image re-encoded without EXIF, XMP or text chunks (a phone photo of a KTP-el
    carries the location and the device). The orientation EXIF described is applied first, so
    the picture still stands upright; JPEG keeps its quantisation tables (no visible loss)."""
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as image:
        image.load()
        upright = ImageOps.exif_transpose(image)
        out = io.BytesIO()
        if content_type == "image/jpeg":
            keep = {"quality": "keep"} if upright is image else {"quality": 92}
            if "icc_profile" in image.info:
                keep["icc_profile"] = image.info["icc_profile"]
            upright.save(out, format="JPEG", **keep)
        else:
            upright.save(out, format="PNG", optimize=False)
    return out.getvalue()


def check_upload(upload) -> CheckedUpload:
    """Type by content (magic bytes), not by name or the browser's claim; size limited. Images
    lose their metadata (EXIF: location, device); the hash is of what is stored."""
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
    if mime.startswith("image/"):
        from PIL import UnidentifiedImageError

        upload.seek(0)
        try:
            cleaned = strip_image_metadata(upload.read(), mime)
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise ValidationError(
                _("Gambar rusak atau tidak dapat dibaca. Unggah ulang foto/pindaian dokumen.")
            ) from exc
        upload.seek(0)
        name = getattr(upload, "name", "") or "gambar"
        return CheckedUpload(
            content_type=mime,
            size=len(cleaned),
            sha256=hashlib.sha256(cleaned).hexdigest(),
            file=ContentFile(cleaned, name=name),
        )
    digest = hashlib.sha256(head)
    for chunk in iter(lambda: upload.read(65536), b""):
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(content_type=mime, size=size, sha256=digest.hexdigest(), file=upload)
