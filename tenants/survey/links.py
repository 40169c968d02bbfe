"""Invitation tokens and the absolute links (and QR codes) that carry them.

The token is derived from the source (an HMAC of region schema, source kind and id under the
project's secret key), not drawn at random: the kiosk prints a ticket's survey QR when the
ticket is *issued*, and the invitation row with the same token appears when the ticket is
*finished*. Nobody can forge a token without the secret key; a token of another region is not
found in this region's schema.
"""

from __future__ import annotations

import base64

from django.db import connection
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from kernel.qr import qr_svg
from kernel.routing import region_url

TOKEN_LENGTH = 24  # base32 characters: 120 bits


def invitation_token(source_kind: str, source_id: int, *, schema_name: str | None = None) -> str:
    schema_name = schema_name or getattr(connection, "schema_name", "public")
    digest = salted_hmac(
        "mpp.survey.invitation", f"{schema_name}:{source_kind}:{int(source_id)}", algorithm="sha256"
    ).digest()
    return base64.b32encode(digest).decode()[:TOKEN_LENGTH].lower()


def _region_slug() -> str:
    region = getattr(getattr(connection, "tenant", None), "region", None)
    if region is None:
        raise RuntimeError("survey links are built inside a region's schema")
    return region.slug


def survey_path(token: str) -> str:
    return reverse("survey:respond", kwargs={"token": token})


def survey_url(token: str) -> str:
    """The absolute link to the survey on this region's site (for prints and messages)."""
    return region_url(_region_slug(), survey_path(token))


def survey_url_for(source_kind: str, source_id: int) -> str:
    return survey_url(invitation_token(source_kind, source_id))


def survey_qr(url: str) -> SafeString:
    return qr_svg(url, label=_("Kode QR survei kepuasan"))
