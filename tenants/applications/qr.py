"""The receipt's QR code (kernel.qr): an inline SVG, no image request, prints sharp."""

from kernel.qr import qr_svg

__all__ = ["qr_svg"]
