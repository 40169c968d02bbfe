"""What the WhatsApp/SMS provider did with each outbox message (the HTTP gateway's record)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProviderMessage(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("Menunggu dikirim ke penyedia")
        ACCEPTED = "accepted", _("Diterima penyedia")
        DELIVERED = "delivered", _("Sampai di ponsel")
        READ = "read", _("Dibaca")
        FAILED = "failed", _("Gagal")

    outbox = models.OneToOneField(
        "citizens.OutboxMessage", on_delete=models.CASCADE, related_name="provider"
    )
    provider_id = models.CharField(max_length=100, null=True, blank=True, unique=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.outbox_id}: {self.state}"


class ChannelPreference(models.Model):
    """How an account wants to be told: e-mail, WhatsApp or SMS (default: every channel it has).
    Kept per account, so it holds on every region's site."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        WHATSAPP = "whatsapp", _("WhatsApp")
        SMS = "sms", _("SMS")

    user = models.OneToOneField(
        "accounts.User", on_delete=models.CASCADE, related_name="notification_channel"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.channel}"
