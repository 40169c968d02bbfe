from django.db import IntegrityError, transaction

from kernel.audit import audit_log
from shared.messaging.models import ChannelPreference, SentNotice


def channel_preference_set(*, actor, channel: str | None) -> str | None:
    """Choose how ``actor`` is told (None: every channel the account has)."""
    ChannelPreference.objects.update_or_create(user=actor, defaults={"channel": channel or ""})
    audit_log(
        actor=actor, action="messaging.channel.chosen", target=actor, data={"channel": channel}
    )
    return channel


def language_preference_set(*, actor, language: str) -> str:
    """Choose the language of ``actor``'s messages (Bahasa Indonesia or English)."""
    ChannelPreference.objects.update_or_create(user=actor, defaults={"language": language})
    audit_log(
        actor=actor, action="messaging.language.chosen", target=actor, data={"language": language}
    )
    return language


def notice_claim(*, region, kind: str, subject_id: int) -> bool:
    """Claim the one notice of ``kind`` about ``subject_id`` in ``region``: True for the first
    caller only. Call it inside the transaction that records the notice, so a failure releases
    the claim with it."""
    try:
        with (
            transaction.atomic()
        ):  # a savepoint: a lost race leaves the caller's transaction usable
            SentNotice.objects.create(region=region, kind=kind, subject_id=subject_id)
    except IntegrityError:
        return False
    return True
