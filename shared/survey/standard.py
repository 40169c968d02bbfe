"""The wording of the regulation's sample questionnaire (PermenPANRB 14/2017, annex), with an
English rendering: version 1 of the national questionnaire, loaded by a data migration."""

from __future__ import annotations

TITLE = "Survei Kepuasan Masyarakat (SKM)"
LEGAL_BASIS = "Peraturan Menteri PANRB Nomor 14 Tahun 2017"
INTRO_ID = (
    "Bantu kami meningkatkan pelayanan. Jawaban Anda anonim dan hanya dipakai untuk menghitung "
    "Indeks Kepuasan Masyarakat (IKM)."
)
INTRO_EN = (
    "Help us improve our service. Your answers are anonymous and only used to compute the "
    "Community Satisfaction Index (IKM)."
)

# code: (question id, question en, four options id (1 → 4), four options en)
QUESTIONS: dict[str, tuple[str, str, tuple[str, ...], tuple[str, ...]]] = {
    "u1": (
        "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis "
        "pelayanannya?",
        "How well did the service requirements fit the kind of service?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
        ("Not appropriate", "Somewhat appropriate", "Appropriate", "Very appropriate"),
    ),
    "u2": (
        "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
        "How easy was the service procedure at this unit?",
        ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
        ("Not easy", "Not very easy", "Easy", "Very easy"),
    ),
    "u3": (
        "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
        "How fast was the service delivered?",
        ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
        ("Not fast", "Not very fast", "Fast", "Very fast"),
    ),
    "u4": (
        "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
        "How fair was the fee/tariff of the service?",
        ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
        ("Very expensive", "Rather expensive", "Cheap", "Free"),
    ),
    "u5": (
        "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum "
        "dalam standar pelayanan dengan hasil yang diberikan?",
        "Did the result you received match the product stated in the service standard?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
        ("Does not match", "Partly matches", "Matches", "Fully matches"),
    ),
    "u6": (
        "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
        "How competent were the staff who served you?",
        ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
        ("Not competent", "Somewhat competent", "Competent", "Very competent"),
    ),
    "u7": (
        "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan "
        "dan keramahan?",
        "How polite and friendly were the staff?",
        (
            "Tidak sopan dan ramah",
            "Kurang sopan dan ramah",
            "Sopan dan ramah",
            "Sangat sopan dan ramah",
        ),
        (
            "Not polite and friendly",
            "Somewhat polite and friendly",
            "Polite and friendly",
            "Very polite and friendly",
        ),
    ),
    "u8": (
        "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
        "How are complaints from service users handled?",
        (
            "Tidak ada",
            "Ada tetapi tidak berfungsi",
            "Berfungsi kurang maksimal",
            "Dikelola dengan baik",
        ),
        ("There is none", "Exists but does not work", "Works, but not fully", "Well managed"),
    ),
    "u9": (
        "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
        "How good are the facilities and infrastructure?",
        ("Buruk", "Cukup", "Baik", "Sangat baik"),
        ("Poor", "Fair", "Good", "Very good"),
    ),
}
