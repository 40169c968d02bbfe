"""A catalogue file read and validated into an ``ImportPlan`` (nothing is written here)."""

import csv
import io
import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from kernel.csvfile import first_csv_error
from shared.catalogue.exchange.format import (
    _FALSE,
    _SLUG,
    _THOUSANDS,
    _TRUE,
    CSV_REQUIRED_COLUMNS,
    FORMAT_NAME,
    MAX_COMPLETION_DAYS,
    MAX_FEE,
    MAX_SERVICES,
    ImportPlan,
    RowError,
)
from shared.catalogue.models import (
    Agency,
    Category,
    Channel,
    DocumentType,
    FeeKind,
    LifeEvent,
)

# --- reading a file ------------------------------------------------------------------------------


def catalogue_parse(content: bytes, *, filename: str = "") -> ImportPlan:
    """Read a JSON or CSV catalogue file and validate every row against the file itself and the
    current catalogue. The plan is valid only when there is no error at all."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        plan = ImportPlan(format="?")
        plan.errors.append(
            RowError("file", 0, "", "", _("Berkas harus berupa teks UTF-8 (JSON atau CSV)."))
        )
        return plan
    looks_json = filename.lower().endswith(".json") or text.lstrip().startswith(("{", "["))
    plan = _parse_json(text) if looks_json else _parse_csv(text)
    _validate(plan)
    return plan


def _parse_json(text: str) -> ImportPlan:
    plan = ImportPlan(format="json")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        plan.errors.append(
            RowError(
                "file",
                exc.lineno,
                "",
                "",
                _("JSON tidak valid di baris %(line)s: %(msg)s")
                % {"line": exc.lineno, "msg": exc.msg},
            )
        )
        return plan
    if isinstance(data, list):
        data = {"services": data}
    if not isinstance(data, dict) or not isinstance(data.get("services", []), list):
        plan.errors.append(
            RowError(
                "file", 0, "", "", _('Berkas JSON harus berisi objek dengan daftar "services".')
            )
        )
        return plan
    if data.get("format") not in (None, FORMAT_NAME):
        plan.errors.append(
            RowError(
                "file", 0, "", "format", _("Format berkas tidak dikenal: %s.") % data.get("format")
            )
        )
    for section in ("agencies", "document_types", "categories", "life_events", "services"):
        items = data.get(section, [])
        if not isinstance(items, list):
            plan.errors.append(RowError("file", 0, "", section, _("Harus berupa daftar.")))
            continue
        rows = []
        for i, item in enumerate(items, start=1):
            if not isinstance(item, dict):
                plan.errors.append(
                    RowError(section, i, "", "", _("Setiap baris harus berupa objek."))
                )
                continue
            rows.append({"_row": i, **item})
        setattr(plan, section, rows)
    return plan


def _split_list(value: str) -> list[str]:
    return [v.strip() for v in re.split(r"[,;\n]", value or "") if v.strip()]


def _parse_csv(text: str) -> ImportPlan:
    plan = ImportPlan(format="csv")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    unreadable = first_csv_error(text, delimiter=delimiter)
    if unreadable is not None:
        line = unreadable[0]
        plan.errors.append(
            RowError(
                "file",
                line,
                "",
                "",
                _(
                    "Baris %(line)d tidak dapat dibaca: ada isian lebih dari 128 KB, karakter "
                    "NUL, atau tanda kutip yang tidak ditutup."
                )
                % {"line": line},
            )
        )
        return plan
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = CSV_REQUIRED_COLUMNS - set(header)
    if missing:
        plan.errors.append(
            RowError(
                "file",
                1,
                "",
                "",
                _("Kolom wajib tidak ada: %s.") % ", ".join(sorted(missing)),
            )
        )
        return plan
    for i, raw in enumerate(reader, start=2):
        row = {(k or "").strip(): (v if isinstance(v, str) else "") for k, v in raw.items()}
        if None in raw:
            plan.errors.append(
                RowError(
                    "services", i, row.get("code", ""), "", _("Baris memiliki kolom berlebih.")
                )
            )
        if not any(v.strip() for v in row.values()):
            continue  # a blank line in a spreadsheet export
        requirements = []
        for entry in (row.get("requirements") or "").splitlines():
            if not entry.strip():
                continue
            parts = [p.strip() for p in entry.split("|")]
            mandatory = parts[2].lower() if len(parts) > 2 else "wajib"
            requirements.append(
                {
                    "document_type": parts[0] or None,
                    "text": parts[1] if len(parts) > 1 else "",
                    "is_mandatory": mandatory,
                }
            )
        service = {
            "_row": i,
            "code": row.get("code", "").strip(),
            "name": row.get("name", "").strip(),
            "agency": row.get("agency", "").strip(),
            "category": row.get("category", "").strip() or None,
            "life_events": _split_list(row.get("life_events", "")),
            "channels": _split_list(row.get("channels", "")),
            "requirements": requirements,
            "steps": [s.strip() for s in (row.get("steps") or "").splitlines() if s.strip()],
        }
        for key in (
            "summary",
            "synonyms",
            "completion_note",
            "fee_basis",
            "product",
            "complaint_handling",
            "legal_basis",
        ):
            if key in row:
                service[key] = row[key].strip()
        for key in ("completion_days", "fee_kind", "fee_amount", "is_active"):
            if key in row and row[key].strip():
                service[key] = row[key].strip()
        plan.services.append(service)
    return plan


# --- validation ----------------------------------------------------------------------------------


class _Row:
    """Collects the clean values and errors of one row."""

    def __init__(self, plan: ImportPlan, section: str, raw: dict):
        self.plan = plan
        self.section = section
        self.raw = raw
        self.row = raw.get("_row", 0)
        self.code = str(raw.get("code") or "")
        self.clean: dict[str, Any] = {}
        self.ok = True

    def error(self, field_name: str, message: str) -> None:
        self.ok = False
        self.plan.errors.append(RowError(self.section, self.row, self.code, field_name, message))

    def text(self, key: str, *, max_length: int, required: bool = False) -> str:
        value = self.raw.get(key)
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.error(key, _("Harus berupa teks."))
            return ""
        value = value.strip()
        if required and not value:
            self.error(key, _("Wajib diisi."))
        elif len(value) > max_length:
            self.error(
                key,
                _("Paling banyak %(n)s karakter (sekarang %(len)s).")
                % {"n": max_length, "len": len(value)},
            )
        return value

    def slug(self, key: str = "code", *, max_length: int = 50) -> str:
        value = self.text(key, max_length=max_length, required=True)
        if value and not _SLUG.match(value):
            self.error(
                key, _('Kode hanya boleh huruf kecil, angka dan tanda hubung (mis. "ktp-el").')
            )
        return value


def _int(row: _Row, key: str, *, minimum: int, maximum: int) -> int | None:
    value = row.raw.get(key)
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        row.error(key, _("Harus berupa bilangan bulat."))
        return None
    text = str(value).strip().lower().removeprefix("rp").strip().replace(" ", "")
    if _THOUSANDS.fullmatch(text):  # "350.000": Indonesian thousands separators
        text = text.replace(".", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        row.error(key, _("Harus berupa bilangan bulat, mis. 350000."))
        return None
    if not number.is_finite() or number != number.to_integral_value():
        row.error(key, _("Harus berupa bilangan bulat, mis. 350000."))
        return None
    if not minimum <= number <= maximum:
        row.error(key, _("Harus antara %(min)s dan %(max)s.") % {"min": minimum, "max": maximum})
        return None
    return int(number)


def _bool(row: _Row, key: str, default: bool) -> bool:
    value = row.raw.get(key)
    if value in (None, ""):
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    row.error(key, _('Isi dengan "ya" atau "tidak".'))
    return default


def _codes(row: _Row, key: str) -> list[str]:
    value = row.raw.get(key) or []
    if isinstance(value, str):
        value = _split_list(value)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        row.error(key, _("Harus berupa daftar kode."))
        return []
    return [v.strip() for v in value if v.strip()]


def _validate(plan: ImportPlan) -> None:
    existing_agencies = set(Agency.objects.values_list("code", flat=True))
    existing_documents = set(DocumentType.objects.values_list("code", flat=True))
    existing_categories = set(Category.objects.values_list("code", flat=True))
    existing_events = set(LifeEvent.objects.values_list("code", flat=True))

    def simple(section: str, rows: list[dict], *, name_max: int, extra=None) -> list[dict]:
        seen: set[str] = set()
        clean = []
        for raw in rows:
            row = _Row(plan, section, raw)
            code = row.slug()
            name = row.text("name", max_length=name_max, required=True)
            if code in seen:
                row.error("code", _("Kode %s muncul lebih dari sekali dalam berkas.") % code)
            seen.add(code)
            row.clean.update(code=code, name=name)
            if extra:
                extra(row)
            if row.ok:
                clean.append(row.clean)
        return clean

    file_agencies = {a.get("code") for a in plan.agencies if isinstance(a.get("code"), str)}
    kinds = set(Agency.Kind.values)

    def agency_extra(row: _Row) -> None:
        row.clean["abbreviation"] = row.text("abbreviation", max_length=50)
        kind = row.raw.get("kind") or ""
        if kind not in kinds:
            row.error(
                "kind", _("Jenis instansi harus salah satu dari: %s.") % ", ".join(sorted(kinds))
            )
        row.clean["kind"] = kind
        parent = row.raw.get("parent") or None
        if parent is not None:
            if parent == row.clean["code"]:
                row.error("parent", _("Instansi tidak boleh menjadi induk dirinya sendiri."))
            elif parent not in existing_agencies and parent not in file_agencies:
                row.error("parent", _("Instansi induk %s tidak dikenal.") % parent)
        row.clean["parent"] = parent

    def document_extra(row: _Row) -> None:
        row.clean["description"] = row.text("description", max_length=2000)

    plan.agencies = simple("agencies", plan.agencies, name_max=200, extra=agency_extra)
    plan.document_types = simple(
        "document_types", plan.document_types, name_max=150, extra=document_extra
    )
    plan.categories = simple("categories", plan.categories, name_max=100)
    plan.life_events = simple("life_events", plan.life_events, name_max=100)

    agencies = existing_agencies | file_agencies
    documents = existing_documents | {d["code"] for d in plan.document_types}
    categories = existing_categories | {c["code"] for c in plan.categories}
    events = existing_events | {e["code"] for e in plan.life_events}
    channels_ok = set(Channel.values)

    if len(plan.services) > MAX_SERVICES:
        plan.errors.append(
            RowError("file", 0, "", "", _("Paling banyak %s layanan per berkas.") % MAX_SERVICES)
        )
        plan.services = []
        return
    seen: set[str] = set()
    clean_services = []
    for raw in plan.services:
        row = _Row(plan, "services", raw)
        code = row.slug(max_length=80)
        if code in seen:
            row.error("code", _("Kode %s muncul lebih dari sekali dalam berkas.") % code)
        seen.add(code)
        c = row.clean
        c["code"] = code
        c["name"] = row.text("name", max_length=200, required=True)
        agency = row.raw.get("agency") or ""
        if not agency:
            row.error("agency", _("Wajib diisi."))
        elif agency not in agencies:
            row.error("agency", _("Instansi %s tidak dikenal.") % agency)
        c["agency"] = agency
        category = row.raw.get("category") or None
        if category is not None and category not in categories:
            row.error("category", _("Kategori %s tidak dikenal.") % category)
        c["category"] = category
        life_events = _codes(row, "life_events")
        for code_ in life_events:
            if code_ not in events:
                row.error("life_events", _("Peristiwa hidup %s tidak dikenal.") % code_)
        c["life_events"] = sorted(set(life_events))
        for key, max_length in (
            ("summary", 2000),
            ("synonyms", 1000),
            ("fee_basis", 2000),
            ("legal_basis", 4000),
        ):
            c[key] = row.text(key, max_length=max_length)
        c["completion_note"] = row.text("completion_note", max_length=300)
        c["product"] = row.text("product", max_length=2000, required=True)
        c["complaint_handling"] = row.text("complaint_handling", max_length=2000, required=True)
        c["completion_days"] = _int(row, "completion_days", minimum=0, maximum=MAX_COMPLETION_DAYS)
        amount = _int(row, "fee_amount", minimum=0, maximum=MAX_FEE) or 0
        kind = row.raw.get("fee_kind") or (FeeKind.FIXED if amount > 0 else FeeKind.FREE)
        if kind not in FeeKind.values:
            row.error(
                "fee_kind", _("Jenis biaya harus salah satu dari: %s.") % ", ".join(FeeKind.values)
            )
        elif kind == FeeKind.FREE and amount:
            row.error("fee_amount", _("Layanan gratis tidak boleh memiliki tarif."))
        elif kind == FeeKind.FIXED and not amount:
            row.error("fee_amount", _("Tarif tetap harus lebih dari Rp0."))
        c["fee_kind"], c["fee_amount"] = kind, amount
        channels = _codes(row, "channels")
        for channel in channels:
            if channel not in channels_ok:
                row.error(
                    "channels",
                    _("Kanal %(c)s tidak dikenal (pilihan: %(ok)s).")
                    % {"c": channel, "ok": ", ".join(Channel.values)},
                )
        if not channels:
            row.error("channels", _("Pilih paling sedikit satu kanal."))
        c["channels"] = [ch for ch in Channel.values if ch in channels]
        c["is_active"] = _bool(row, "is_active", True)
        c["requirements"] = _requirements(row, documents)
        c["steps"] = _steps(row)
        if row.ok:
            clean_services.append(c)
    plan.services = clean_services


def _requirements(row: _Row, documents: set[str]) -> list[dict]:
    items = row.raw.get("requirements") or []
    if not isinstance(items, list):
        row.error("requirements", _("Harus berupa daftar persyaratan."))
        return []
    out = []
    for n, item in enumerate(items, start=1):
        if isinstance(item, str):
            item = {"document_type": None, "text": item}
        if not isinstance(item, dict):
            row.error("requirements", _("Persyaratan ke-%s tidak dapat dibaca.") % n)
            continue
        doc = item.get("document_type") or None
        text = item.get("text") or ""
        if not isinstance(text, str) or (doc is not None and not isinstance(doc, str)):
            row.error("requirements", _("Persyaratan ke-%s tidak dapat dibaca.") % n)
            continue
        text = text.strip()
        if doc is None and not text:
            row.error(
                "requirements", _("Persyaratan ke-%s: isi jenis dokumen atau keterangan.") % n
            )
        if doc is not None and doc not in documents:
            row.error(
                "requirements",
                _("Persyaratan ke-%(n)s: jenis dokumen %(doc)s tidak dikenal.")
                % {"n": n, "doc": doc},
            )
        if len(text) > 300:
            row.error(
                "requirements", _("Persyaratan ke-%s: keterangan paling banyak 300 karakter.") % n
            )
        mandatory = item.get("is_mandatory", True)
        if isinstance(mandatory, str):
            mandatory = mandatory.strip().lower()
            if mandatory in ("wajib", *_TRUE):
                mandatory = True
            elif mandatory in ("opsional", "pilihan", "tidak wajib", *_FALSE):
                mandatory = False
            else:
                row.error(
                    "requirements", _('Persyaratan ke-%s: tulis "wajib" atau "opsional".') % n
                )
                mandatory = True
        out.append({"document_type": doc, "text": text, "is_mandatory": bool(mandatory)})
    return out


def _steps(row: _Row) -> list[str]:
    items = row.raw.get("steps") or []
    if not isinstance(items, list) or not all(isinstance(s, str) for s in items):
        row.error("steps", _("Harus berupa daftar langkah (teks)."))
        return []
    steps = [s.strip() for s in items if s.strip()]
    for n, step in enumerate(steps, start=1):
        if len(step) > 500:
            row.error("steps", _("Langkah ke-%s paling banyak 500 karakter.") % n)
    return steps
