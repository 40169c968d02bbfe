"""Notifying a citizen (or a staff member): e-mail and the messaging gateway, both recorded in
the outbox inside the caller's transaction. E-mail leaves the process only after commit."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from shared.citizens.messaging import MessagingError, get_gateway
from shared.citizens.models import CitizenProfile, OutboxMessage

logger = logging.getLogger(__name__)


def _deliver_email(message_id: int) -> None:
    message = OutboxMessage.objects.filter(pk=message_id).first()
    if message is None or message.status != OutboxMessage.Status.PENDING:
        return
    try:
        send_mail(
            message.subject,
            message.body,
            settings.DEFAULT_FROM_EMAIL,
            [message.recipient],
            fail_silently=False,
        )
    except Exception as exc:  # an SMTP outage must not lose the record: admins see "failed"
        logger.warning("email %s failed: %s", message.pk, type(exc).__name__)
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=OutboxMessage.Status.FAILED, error=type(exc).__name__[:300]
        )
        return
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.SENT, sent_at=timezone.now()
    )


def email_queue(
    *, to: str, subject: str, body: str, region=None, profile=None, reference: str = ""
) -> OutboxMessage:
    """Record an e-mail in the outbox and send it once the transaction commits."""
    message = OutboxMessage.objects.create(
        channel=OutboxMessage.Channel.EMAIL,
        gateway="django-email",
        recipient=to,
        subject=subject[:200],
        body=body,
        region=region,
        profile=profile,
        reference=reference[:40],
    )
    transaction.on_commit(lambda: _deliver_email(message.pk))
    return message


def _preferred_channel(user) -> str | None:
    """The account's chosen channel (shared.messaging), or None: every channel it has."""
    if user is None or not getattr(user, "pk", None):
        return None
    from shared.messaging.models import ChannelPreference

    chosen = (
        ChannelPreference.objects.filter(user_id=user.pk).values_list("channel", flat=True).first()
    )
    return chosen or None


def _notify(
    *,
    email: str,
    phone: str,
    subject: str,
    body: str,
    region,
    profile,
    reference: str,
    user=None,
) -> list[OutboxMessage]:
    sent: list[OutboxMessage] = []
    # A chosen channel is used alone when the account can be reached on it; otherwise fall back
    # to what it has, so a preference never silences a notification.
    preferred = _preferred_channel(user if user is not None else getattr(profile, "user", None))
    channel: str = OutboxMessage.Channel.WHATSAPP
    if preferred == OutboxMessage.Channel.EMAIL and email:
        phone = ""
    elif preferred in (OutboxMessage.Channel.WHATSAPP, OutboxMessage.Channel.SMS) and phone:
        email = ""
        channel = OutboxMessage.Channel(preferred)
    if email:
        sent.append(
            email_queue(
                to=email,
                subject=subject,
                body=body,
                region=region,
                profile=profile,
                reference=reference,
            )
        )
    if phone:
        try:
            sent.append(
                get_gateway().send(
                    to=phone,
                    body=f"{subject}\n{body}"[:1000],
                    channel=channel,
                    region=region,
                    profile=profile,
                    reference=reference,
                )
            )
        except MessagingError:
            logger.warning("no valid phone for a notification (%s)", reference)
    return sent


def citizen_notify(
    *,
    profile: CitizenProfile,
    subject: str,
    body: str,
    region=None,
    reference: str = "",
) -> list[OutboxMessage]:
    """Tell a citizen by e-mail (when the account has one) and by WhatsApp/SMS (when there is a
    phone). A citizen registered at a counter without either is told at the counter."""
    return _notify(
        email=profile.contact_email,
        phone=profile.contact_phone,
        subject=subject,
        body=body,
        region=region,
        profile=profile,
        reference=reference,
    )


def staff_notify(
    *, user, subject: str, body: str, region=None, reference: str = ""
) -> list[OutboxMessage]:
    return _notify(
        email=user.email or "",
        phone=user.phone or "",
        subject=subject,
        body=body,
        region=region,
        profile=None,
        reference=reference,
        user=user,
    )
