"""Booking codes and their QR images.

A code is eight characters from an alphabet without look-alikes (no 0/O, 1/I/L, 2/Z, 5/S, 8/B, 9),
so a citizen can read it out or type it at the kiosk; 24⁸ ≈ 1.1 × 10¹¹ codes. The kiosk also
accepts the code with a dash, spaces or lower case. The QR holds the code only, so any barcode
scanner that types into the kiosk's field works.
"""

from __future__ import annotations

import re
import secrets

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

ALPHABET = "ACDEFGHJKMNPQRTUVWXY3467"
CODE_LENGTH = 8
_STRIP = re.compile(r"[\s\-_.]")
_SVG_SIZE = re.compile(r'\s(width|height)="[^"]*"')


def new_booking_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(raw: str | None) -> str:
    """What a person typed or a scanner sent, as stored: upper case, no separators."""
    return _STRIP.sub("", (raw or "").strip().upper())[:32]


def display_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}" if len(code) == CODE_LENGTH else code


def qr_svg(data: str, *, label: str) -> SafeString:
    """An inline, scalable SVG QR code (no Pillow needed) with an accessible label."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg = image.to_string(encoding="unicode")
    svg = _SVG_SIZE.sub("", svg, count=2)
    head = format_html('<svg role="img" aria-label="{}" class="qr"', label)
    return mark_safe(svg.replace("<svg", head, 1))  # noqa: S308 - qrcode's own SVG, label escaped
