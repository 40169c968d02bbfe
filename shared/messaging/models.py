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
    """How an account wants to be told: e-mail, WhatsApp or SMS (blank: every channel it has),
    and in which language its messages are written. Kept per account, so it holds on every
    region's site; an account without a row gets every channel, in Bahasa Indonesia."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        WHATSAPP = "whatsapp", _("WhatsApp")
        SMS = "sms", _("SMS")

    class Language(models.TextChoices):
        INDONESIAN = "id", "Bahasa Indonesia"
        ENGLISH = "en", "English"

    user = models.OneToOneField(
        "accounts.User", on_delete=models.CASCADE, related_name="notification_channel"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices, blank=True)
    language = models.CharField(max_length=5, choices=Language.choices, default=Language.INDONESIAN)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.channel or '*'} ({self.language})"


class SentNotice(models.Model):
    """A notice that goes out once per subject (a booking's reminder the day before, an
    application's due-tomorrow alert to staff, the citizen's notice of one status change, the
    notices of one step or one message of a complaint). The unique row is the claim: a second
    beat run, a retried task or two workers racing find it taken and send nothing."""

    class Kind(models.TextChoices):
        BOOKING_REMINDER = "booking_reminder", _("Pengingat booking")
        APPLICATION_DUE_TOMORROW = "application_due_tomorrow", _("Permohonan jatuh tempo besok")
        APPLICATION_STATUS = "application_status", _("Perubahan status permohonan")
        COMPLAINT_EVENT = "complaint_event", _("Langkah pengaduan")
        COMPLAINT_MESSAGE = "complaint_message", _("Pesan pengaduan")

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    # the booking's, application's, status change's, complaint event's or message's id in the
    # region schema
    subject_id = models.BigIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["region", "kind", "subject_id"], name="sent_notice_once_per_subject"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_id}/{self.kind}/{self.subject_id}"
