"""The OpenAPI document of each host, and what every operation shares (errors, versioning).

Each host serves exactly its own API: the schema is generated from the URL configuration the
routing chose for this request (``request.urlconf``: national or regional), not from
ROOT_URLCONF, which is the regional one.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView

from kernel.errors import PROBLEM_CONTENT_TYPE

DESCRIPTION = _(
    "API Mal Pelayanan Publik Digital. Situs nasional (domain dasar) melayani katalog nasional, "
    "pendaftaran MPP daerah dan akun; situs tiap daerah (<slug>.<domain dasar>) melayani layanan, "
    "permohonan, antrean dan petugas daerah itu. Setiap host menerbitkan skemanya sendiri di "
    "/api/schema/ dan hanya berisi jalur yang benar-benar dilayaninya.\n\n"
    "## Versi dan penghentian\n"
    "Versi API ada di jalur (/api/v1/). Dalam satu versi perubahan hanya menambah: jalur, "
    "parameter opsional, kolom jawaban dan nilai enum baru; klien harus mengabaikan kolom yang "
    "tidak dikenalnya. Perubahan yang memutus klien hanya terbit sebagai versi baru (/api/v2/). "
    "Versi lama tetap dilayani sekurang-kurangnya 12 bulan setelah versi penggantinya terbit; "
    "operasi yang akan dihentikan ditandai deprecated di skema dan menjawab dengan header "
    "Deprecation dan Sunset (RFC 8594) beserta tautan ke penggantinya.\n\n"
    "## Galat\n"
    "Setiap galat dijawab dalam satu bentuk, problem details (RFC 9457, application/problem+json):"
    " type (URN per jenis galat), title, status, detail (pesan untuk manusia, bahasa Indonesia "
    "atau Inggris menurut Accept-Language), code (kode mesin) dan, untuk isian yang salah, errors "
    "({kolom: [pesan]}).\n\n"
    "## Halaman\n"
    "Daftar berhalaman memakai page dan page_size; page_size dibatasi (100, katalog 200), "
    "permintaan yang lebih besar dipotong ke batas itu. Umpan peristiwa memakai kursor."
)

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details",
    "required": ["type", "title", "status", "detail", "code"],
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
}

_ERROR_RESPONSES = {
    "400": _("Data tidak valid"),
    "401": _("Perlu masuk"),
    "403": _("Tidak diizinkan"),
    "404": _("Tidak ditemukan"),
}


def add_problem_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: the Problem component and the error responses every
    operation may give, so a generated client knows the one error shape."""
    result.setdefault("info", {})["description"] = str(DESCRIPTION)
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    ref = {"$ref": "#/components/schemas/Problem"}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status_code, description in _ERROR_RESPONSES.items():
                operation["responses"].setdefault(
                    status_code,
                    {
                        "description": str(description),
                        "content": {PROBLEM_CONTENT_TYPE: {"schema": ref}},
                    },
                )
    return result


class HostSchemaView(SpectacularAPIView):
    """``/api/schema/``: the OpenAPI document of this host's URL configuration only."""

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        self.urlconf = getattr(request, "urlconf", None) or settings.ROOT_URLCONF
        return super().get(request, *args, **kwargs)
