"""Defaults of a new evaluation period, from ../shared/reference/evaluation.md: PEKPPP's six
aspects and weights (24/25/18/11/10/12), indicators measured by the platform or answered with
evidence, and the IPP categories on the 0–5 scale. Every period copies them and stays editable.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# (code, aspect, kind, measure, weight, name, guidance)
DEFAULT_INDICATORS = [
    ("sp_published", "kebijakan", "measured", "offerings_published", 6,
     _("Standar pelayanan setiap layanan dipublikasikan"),
     _("Diukur: layanan aktif dengan standar pelayanan terbit di situs MPP.")),
    ("community_involvement", "kebijakan", "answered", "", 4,
     _("Masyarakat dilibatkan dalam penyusunan standar pelayanan"),
     _("Unggah berita acara forum konsultasi publik.")),
    ("maklumat", "kebijakan", "answered", "", 4,
     _("Maklumat pelayanan ditetapkan dan dipublikasikan"),
     _("Unggah maklumat bertanda tangan dan foto pemasangannya.")),
    ("skm_done", "kebijakan", "measured", "skm_respondents", 4,
     _("SKM dilaksanakan sesuai PermenPANRB 14/2017"),
     _("Diukur: jumlah responden SKM pada periode data (100 responden = nilai 5).")),
    ("skm_result", "kebijakan", "measured", "ikm", 6,
     _("Hasil SKM (IKM)"),
     _("Diukur: IKM periode data dibagi 20.")),
    ("sla", "sdm", "measured", "sla_compliance", 10,
     _("Ketepatan waktu penyelesaian permohonan"),
     _("Diukur: persentase permohonan selesai sesuai standar waktu, dibagi 20.")),
    ("service_hours", "sdm", "answered", "", 5,
     _("Jam layanan sesuai kebutuhan pengguna"),
     _("Jelaskan jam layanan dan unggah buktinya.")),
    ("ethics_code", "sdm", "answered", "", 5,
     _("Kode etik dan kode perilaku pelaksana diterapkan"),
     _("Unggah kode etik dan bukti penerapannya.")),
    ("motivation", "sdm", "answered", "", 5,
     _("Mekanisme pemberian motivasi dan penghargaan pegawai"),
     _("Unggah keputusan atau dokumentasi penghargaan.")),
    ("facilities", "sarpras", "answered", "", 10,
     _("Sarana parkir, ruang tunggu, toilet dan ruang layanan"),
     _("Unggah foto sarana.")),
    ("vulnerable_facilities", "sarpras", "answered", "", 8,
     _("Sarana bagi kelompok rentan (lansia, disabilitas, ibu hamil, anak)"),
     _("Unggah foto sarana kelompok rentan.")),
    ("service_days", "sipp", "measured", "service_days", 6,
     _("Sistem informasi pelayanan dipakai setiap hari kerja"),
     _("Diukur: persentase hari kerja dengan permohonan atau antrean yang dilayani, dibagi 20.")),
    ("online_share", "sipp", "measured", "online_share", 5,
     _("Permohonan daring dan dibantu petugas melalui platform"),
     _("Diukur: persentase permohonan yang diajukan daring, dibagi 20.")),
    ("complaints_on_time", "pengaduan", "measured", "complaints_on_time", 6,
     _("Pengaduan ditindaklanjuti tepat waktu"),
     _("Diukur: persentase pengaduan selesai tepat waktu, dibagi 20.")),
    ("complaint_channel", "pengaduan", "answered", "", 4,
     _("Sarana pengaduan terhubung dengan SP4N-LAPOR!"),
     _("Unggah bukti keterhubungan dengan SP4N-LAPOR!.")),
    ("innovation", "inovasi", "answered", "", 12,
     _("Inovasi pelayanan dan pemanfaatannya"),
     _("Uraikan inovasi dan unggah bukti pemanfaatannya.")),
]  # fmt: skip

# IPP categories (reference/evaluation.md; verify against the Pedoman), highest first.
DEFAULT_GRADE_BANDS = [
    {"min": 4.51, "grade": "A", "label": "Pelayanan Prima"},
    {"min": 4.01, "grade": "A-", "label": "Sangat Baik"},
    {"min": 3.51, "grade": "B", "label": "Baik"},
    {"min": 3.01, "grade": "B-", "label": "Baik (dengan catatan)"},
    {"min": 2.51, "grade": "C", "label": "Cukup"},
    {"min": 2.01, "grade": "C-", "label": "Cukup (dengan catatan)"},
    {"min": 1.51, "grade": "D", "label": "Buruk"},
    {"min": 1.01, "grade": "E", "label": "Sangat Buruk"},
    {"min": 0.0, "grade": "F", "label": "Gagal"},
]

#: Days a region gets to resubmit after a return for revision.
REVISION_DAYS = 7
