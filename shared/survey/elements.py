"""The nine elements (*unsur*) of PermenPANRB 14/2017, in the one fixed order this platform
uses everywhere (``u1`` … ``u9``). The regulation's sample questionnaire and published reports
put the last two either way round; equal weights make the order irrelevant to the index, and
every report labels each element by its name.

A questionnaire version may reword a question and its four answers, never add, drop or reorder
the nine: reports, the national roll-up (``skm_sum_u1`` … ``skm_sum_u9``) and every stored
response rely on the codes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ElementDef:
    code: str  # u1 … u9
    key: str  # a stable English-free slug
    name: Promise  # the element's name as the regulation gives it


ELEMENTS: tuple[ElementDef, ...] = (
    ElementDef("u1", "persyaratan", _("Persyaratan")),
    ElementDef("u2", "prosedur", _("Sistem, mekanisme, dan prosedur")),
    ElementDef("u3", "waktu", _("Waktu penyelesaian")),
    ElementDef("u4", "biaya", _("Biaya/tarif")),
    ElementDef("u5", "produk", _("Produk spesifikasi jenis pelayanan")),
    ElementDef("u6", "kompetensi", _("Kompetensi pelaksana")),
    ElementDef("u7", "perilaku", _("Perilaku pelaksana")),
    ElementDef("u8", "pengaduan", _("Penanganan pengaduan, saran dan masukan")),
    ElementDef("u9", "sarana", _("Sarana dan prasarana")),
)
ELEMENT_CODES: tuple[str, ...] = tuple(e.code for e in ELEMENTS)
ELEMENT_BY_CODE = {e.code: e for e in ELEMENTS}


# --- the respondent profile the regulation's form asks for --------------------------------------
class Choice:
    """A (value, label) list with a label lookup, like Django's choices but plain."""

    def __init__(self, *pairs: tuple[str, Promise]):
        self.choices = list(pairs)
        self.values = [v for v, _l in pairs]

    def label(self, value: str) -> str:
        return str(dict(self.choices).get(value, value))


SEX = Choice(("L", _("Laki-laki")), ("P", _("Perempuan")))
EDUCATION = Choice(
    ("sd", _("SD ke bawah")),
    ("smp", _("SMP")),
    ("sma", _("SMA/SMK")),
    ("d3", _("D1–D3")),
    ("s1", _("D4/S1")),
    ("s2", _("S2")),
    ("s3", _("S3")),
)
OCCUPATION = Choice(
    ("pns", _("PNS")),
    ("tni", _("TNI")),
    ("polri", _("Polri")),
    ("swasta", _("Pegawai swasta")),
    ("wirausaha", _("Wirausaha")),
    ("pelajar", _("Pelajar/mahasiswa")),
    ("lainnya", _("Lainnya")),
)
AGE_MIN, AGE_MAX = 15, 100
# Age bands for the report's profile table.
AGE_BANDS: tuple[tuple[int, int, str], ...] = (
    (15, 20, "≤ 20"),
    (21, 30, "21–30"),
    (31, 40, "31–40"),
    (41, 50, "41–50"),
    (51, 60, "51–60"),
    (61, 100, "> 60"),
)


def age_band(age: int | None) -> str:
    for low, high, label in AGE_BANDS:
        if age is not None and low <= age <= high:
            return label
    return "—"
