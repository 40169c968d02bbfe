"""Kemendagri regency codes a NIK may carry that are no longer current.

A NIK never changes (UU 24/2013): it keeps the code of the kabupaten/kota that issued it, even
after that kabupaten moves to a new province and is given a new code. The 2022 split of Papua
into Papua, Papua Selatan (93), Papua Tengah (94) and Papua Pegunungan (95) (UU 14, 15 and
16/2022) and of Papua Barat into Papua Barat and Papua Barat Daya (96) (UU 29/2022) recoded the
regencies below; Kepmendagri 100.1.1-6117/2022 gives the new codes. Merauke was 91.01 and is
93.01: a Merauke resident's NIK still starts 9101.
"""

#: former code -> current code
FORMER_REGENCY_CODES: dict[str, str] = {
    # Papua -> Papua Selatan
    "91.01": "93.01",  # Kabupaten Merauke
    "91.16": "93.02",  # Kabupaten Boven Digoel
    "91.17": "93.03",  # Kabupaten Mappi
    "91.18": "93.04",  # Kabupaten Asmat
    # Papua -> Papua Tengah
    "91.04": "94.01",  # Kabupaten Nabire
    "91.07": "94.02",  # Kabupaten Puncak Jaya
    "91.08": "94.03",  # Kabupaten Paniai
    "91.09": "94.04",  # Kabupaten Mimika
    "91.25": "94.05",  # Kabupaten Puncak
    "91.26": "94.06",  # Kabupaten Dogiyai
    "91.27": "94.07",  # Kabupaten Intan Jaya
    "91.28": "94.08",  # Kabupaten Deiyai
    # Papua -> Papua Pegunungan
    "91.02": "95.01",  # Kabupaten Jayawijaya
    "91.12": "95.02",  # Kabupaten Pegunungan Bintang
    "91.13": "95.03",  # Kabupaten Yahukimo
    "91.14": "95.04",  # Kabupaten Tolikara
    "91.21": "95.05",  # Kabupaten Mamberamo Tengah
    "91.22": "95.06",  # Kabupaten Yalimo
    "91.23": "95.07",  # Kabupaten Lanny Jaya
    "91.24": "95.08",  # Kabupaten Nduga
    # Papua Barat -> Papua Barat Daya
    "92.01": "96.01",  # Kabupaten Sorong
    "92.04": "96.02",  # Kabupaten Sorong Selatan
    "92.05": "96.03",  # Kabupaten Raja Ampat
    "92.09": "96.04",  # Kabupaten Tambrauw
    "92.10": "96.05",  # Kabupaten Maybrat
    "92.71": "96.71",  # Kota Sorong
}


def current_regency_code(code: str) -> str:
    """The code a NIK's regency has today (itself when it was never recoded)."""
    return FORMER_REGENCY_CODES.get(code, code)
