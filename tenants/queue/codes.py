"""Booking codes and their QR images.

A code is eight characters from an alphabet without look-alikes (no 0/O, 1/I/L, 2/Z, 5/S, 8/B, 9),
so a citizen can read it out or type it at the kiosk; 24⁸ ≈ 1.1 × 10¹¹ codes. The kiosk also
accepts the code with a dash, spaces or lower case. The QR holds the code only, so any barcode
scanner that types into the kiosk's field works.
"""

from __future__ import annotations

import re
import secrets

from kernel.qr import qr_svg  # noqa: F401 - re-exported for the queue's pages

ALPHABET = "ACDEFGHJKMNPQRTUVWXY3467"
CODE_LENGTH = 8
_STRIP = re.compile(r"[\s\-_.]")


def new_booking_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(raw: str | None) -> str:
    """What a person typed or a scanner sent, as stored: upper case, no separators."""
    return _STRIP.sub("", (raw or "").strip().upper())[:32]


def display_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}" if len(code) == CODE_LENGTH else code
