"""Where the platform agrees to POST: HTTPS to a public address (in production).

Checked when a subscriber is registered and again before every delivery (a name may be
re-pointed at an internal address after registration: DNS rebinding)."""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from kernel.errors import DomainError


class SubscriberURLRefused(DomainError):
    code = "url_refused"


def check_subscriber_url(url: str) -> None:
    """Raise SubscriberURLRefused unless ``url`` may receive deliveries here."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise SubscriberURLRefused(_("Alamat webhook harus URL http(s) yang lengkap."))
    if settings.WEBHOOKS_ALLOW_PRIVATE_URLS:
        return  # dev and tests: the subscriber runs on this machine
    if parts.scheme != "https":
        raise SubscriberURLRefused(_("Alamat webhook harus memakai HTTPS."))
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise SubscriberURLRefused(_("Nama host webhook tidak dapat ditemukan.")) from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise SubscriberURLRefused(
                _("Alamat webhook menunjuk ke alamat jaringan privat atau lokal.")
            )
