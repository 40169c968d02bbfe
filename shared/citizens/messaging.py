"""The messaging adapter: WhatsApp/SMS gateways behind one small interface.

A real gateway (a WhatsApp Business provider, an SMS aggregator) implements ``MessagingGateway``
and is chosen with ``settings.MPP_MESSAGING_GATEWAY`` (a dotted path). What ships is
``OutboxGateway``: it writes each message to ``OutboxMessage`` with status *pending*, inside the
caller's transaction, where admins read it and where a relay for a real gateway would pick it
up. Nothing is pretended to be delivered, and nothing is lost when the status change rolls back
(neither is the message).
"""

from typing import Protocol, runtime_checkable

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from kernel.errors import DomainError
from shared.citizens.models import OutboxMessage

#: WhatsApp allows 4096 characters; SMS gateways split long text. Keep notifications short.
MAX_BODY = 1000


class MessagingError(DomainError):
    code = "messaging_invalid"


@runtime_checkable
class MessagingGateway(Protocol):
    """Send one short text to one Indonesian phone number.

    Contract (tests/shared/citizens/test_messaging.py runs it against every implementation):
    - ``to`` is any common spelling of an Indonesian number; it is normalised to E.164, and a
      number that is not one raises ``MessagingError`` before anything is stored or sent;
    - an empty body, or one longer than ``MAX_BODY``, raises ``MessagingError``;
    - the return value is the ``OutboxMessage`` that records the message (every gateway keeps
      the record, so admins see the same list whichever gateway is configured);
    - it is safe to call inside a transaction: a rollback removes the record and sends nothing.
    """

    name: str

    def send(
        self,
        *,
        to: str,
        body: str,
        channel: str = OutboxMessage.Channel.WHATSAPP,
        region=None,
        profile=None,
        reference: str = "",
    ) -> OutboxMessage: ...


def _checked(to: str, body: str, channel: str) -> tuple[str, str]:
    from lokal import parse_phone

    if channel not in (OutboxMessage.Channel.WHATSAPP, OutboxMessage.Channel.SMS):
        raise MessagingError(_("Kanal pesan tidak dikenal."))
    info = parse_phone(to or "")
    if not info.valid:
        raise MessagingError(_("Nomor HP tujuan tidak valid."))
    body = (body or "").strip()
    if not body:
        raise MessagingError(_("Isi pesan kosong."))
    if len(body) > MAX_BODY:
        raise MessagingError(_("Isi pesan terlalu panjang."))
    return info.e164 or "", body


class OutboxGateway:
    """The shipped gateway: the outbox table is the delivery queue. Rows stay *pending* until a
    real gateway relays them; admins see every one."""

    name = "outbox"

    def send(
        self,
        *,
        to: str,
        body: str,
        channel: str = OutboxMessage.Channel.WHATSAPP,
        region=None,
        profile=None,
        reference: str = "",
    ) -> OutboxMessage:
        recipient, body = _checked(to, body, channel)
        return OutboxMessage.objects.create(
            channel=channel,
            gateway=self.name,
            recipient=recipient,
            body=body,
            region=region,
            profile=profile,
            reference=reference[:40],
            status=OutboxMessage.Status.PENDING,
        )


def get_gateway() -> MessagingGateway:
    path = getattr(settings, "MPP_MESSAGING_GATEWAY", "shared.citizens.messaging.OutboxGateway")
    gateway = import_string(path)()
    if not isinstance(gateway, MessagingGateway):
        raise TypeError(f"{path} does not implement MessagingGateway")
    return gateway
