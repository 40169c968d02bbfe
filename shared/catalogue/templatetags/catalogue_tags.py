from django import template
from django.utils.translation import gettext as _

from shared.catalogue.models import Channel, FeeKind

register = template.Library()

_CHANNEL_LABELS = dict(Channel.choices)


@register.filter
def rupiah(value) -> str:
    """350000 → "Rp350.000" (Indonesian thousands separators)."""
    try:
        amount = int(value)
    except (TypeError, ValueError):
        return ""
    return "Rp" + f"{amount:,}".replace(",", ".")


@register.filter
def fee_label(service) -> str:
    """What a citizen pays, in one short phrase."""
    if service.fee_kind == FeeKind.FREE:
        return _("Gratis")
    if service.fee_kind == FeeKind.FIXED:
        return rupiah(service.fee_amount)
    if service.fee_amount:
        return _("mulai %s, sesuai ketentuan") % rupiah(service.fee_amount)
    return _("Sesuai ketentuan")


@register.filter
def channel_label(code: str) -> str:
    return str(_CHANNEL_LABELS.get(code, code))
