from kernel.audit import audit_log
from shared.messaging.models import ChannelPreference


def channel_preference_set(*, actor, channel: str | None) -> str | None:
    """Choose how ``actor`` is told (None: every channel the account has)."""
    if channel is None:
        ChannelPreference.objects.filter(user=actor).delete()
    else:
        ChannelPreference.objects.update_or_create(user=actor, defaults={"channel": channel})
    audit_log(
        actor=actor, action="messaging.channel.chosen", target=actor, data={"channel": channel}
    )
    return channel
