"""Fixtures for the citizen's side: document types, real files of each kind, and citizens with a
complete profile. (Private storage is in a temporary folder for every test: tests/conftest.py.)"""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

# Kabupaten Banyuwangi (35.10), kecamatan Pesanggaran (35.10.01).
NIK_SITI = "3510014101900001"  # perempuan, lahir 1 Januari 1990
NIK_BUDI = "3510011508850002"  # laki-laki, lahir 15 Agustus 1985
NIK_PROBOLINGGO = "3574012003920003"  # Kota Probolinggo, laki-laki, lahir 20 Maret 1992
# Issued in Kabupaten Merauke when it was 91.01 (Papua), before the 2022 split made it 93.01.
NIK_MERAUKE = "9101011706880004"  # laki-laki, lahir 17 Juni 1988


def pdf_bytes(text: str = "MPP") -> bytes:
    body = (
        "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
        f"% {text}\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return body.encode()


def png_bytes() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = b"\x00\xff\x00\x00"  # one red pixel
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def jpeg_bytes(*, gps: bool = False) -> bytes:
    """A real JPEG photo; with ``gps`` it carries EXIF like a phone's (location, device)."""
    import io

    from PIL import Image

    image = Image.new("RGB", (24, 16), (200, 30, 30))
    exif = Image.Exif()
    if gps:
        exif[0x010F] = "PhoneMaker"  # Make
        exif[0x0110] = "PhoneModel X"  # Model
        exif[0x8825] = {1: "S", 2: (7.0, 49.0, 12.0), 3: "E", 4: (112.0, 0.0, 30.0)}  # GPS
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes() if gps else b"", quality=90)
    return out.getvalue()


def walk_in(nik: str, **overrides) -> dict:
    """What counter staff type from a KTP-el (the NIK's encoded birth date) and the address the
    citizen gives (Kota Probolinggo: not where the NIK was issued)."""
    from lokal import parse_nik

    info = parse_nik(nik)
    data = {
        "nik": nik,
        "full_name": "Warga Loket",
        "birth_place": "Banyuwangi",
        "birth_date": dt.date.fromisoformat(info.birth_date) if info.valid else None,
        "address_line": "Jl. Panglima Sudirman 5",
        "regency_code": "35.74",
        "phone": "",
    }
    data.update(overrides)
    return data


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def doc_types(db):
    from shared.catalogue.models import DocumentType

    ktp, _ = DocumentType.objects.get_or_create(code="ktp-el", defaults={"name": "KTP-el"})
    kk, _ = DocumentType.objects.get_or_create(code="kk", defaults={"name": "Kartu Keluarga"})
    foto, _ = DocumentType.objects.get_or_create(code="pas-foto", defaults={"name": "Pas foto"})
    return {"ktp": ktp, "kk": kk, "foto": foto}


@pytest.fixture
def make_citizen(db, make_user):
    """make_citizen(nik=..., complete=True) → (user, profile)."""
    from shared.citizens.models import CitizenProfile

    def _make(*, nik=NIK_SITI, complete=True, **user_fields):
        user = make_user(**user_fields)
        profile = CitizenProfile.objects.create(user=user, full_name=user.full_name)
        if complete:
            from lokal import parse_nik

            info = parse_nik(nik)
            profile.nik = nik
            profile.birth_date = dt.date.fromisoformat(info.birth_date)
            profile.gender = info.gender
            profile.birth_place = "Banyuwangi"
            profile.address_line = "Jl. Ahmad Yani 1, RT 01/RW 02"
            profile.regency_code = info.regency_code
            profile.province_code = info.province_code
            profile.district_code = info.district_code
            profile.phone = "+6281234567890"
            profile.save()
        return user, profile

    return _make


@pytest.fixture
def pdf_upload():
    return lambda name="ktp.pdf": upload(name, pdf_bytes(), "application/pdf")


@pytest.fixture
def fake_pdf():
    """A text file named like a PDF and claiming to be one."""
    return upload("ktp.pdf", b"bukan pdf, hanya teks" * 10, "application/pdf")
