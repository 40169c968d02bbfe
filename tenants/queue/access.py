"""The kiosk as a device credential for the public audience (``shared.access.policy.Device``).

A kiosk page or endpoint serves a device registered by this region's admin (its token in the
``mpp_kiosk`` cookie for this host, or the ``X-Kiosk-Token`` header) or this region's staff; a
suspended region's kiosks are refused like its staff.
"""

from __future__ import annotations

from typing import Any

from shared.access.policy import Device
from tenants.queue.services.kiosk import COOKIE_NAME, HEADER_NAME, kiosk_for_token, kiosk_touch


def _identify_kiosk(request: Any) -> Any:
    token = request.META.get(HEADER_NAME) or request.COOKIES.get(COOKIE_NAME)
    device = kiosk_for_token(token)
    if device is not None:
        kiosk_touch(device)
    request.kiosk = device
    return device


KIOSK = Device(
    name="kiosk", identify=_identify_kiosk, refused_template="queue/kiosk/not_a_kiosk.html"
)
