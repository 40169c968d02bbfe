"""The public side of complaints (SP4N-LAPOR!): the vocabulary shared with every region's
complaint app, and ``ComplaintIndex``, one small row per complaint filed by a signed-in citizen,
so "Pengaduan saya" lists them across every region without querying any region's schema.

The index holds what the citizen's own list shows and nothing about other people: no
complainant identity beyond the owning account (an anonymous complaint is still listed for its
own author, who alone sees the list).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ComplaintKind(models.TextChoices):
    """The three kinds of report SP4N-LAPOR! knows."""

    COMPLAINT = "pengaduan", pgettext_lazy("complaint kind", "Pengaduan")
    ASPIRATION = "aspirasi", _("Aspirasi")
    INFORMATION = "informasi", _("Permintaan informasi")


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("Menunggu verifikasi")
    IN_PROGRESS = "in_progress", _("Ditindaklanjuti")
    CLOSED = "closed", _("Selesai")
    NOT_COMPLAINT = "not_complaint", _("Bukan pengaduan")
    FORWARDED = "forwarded", _("Diteruskan ke SP4N-LAPOR!")


#: Statuses in which the MPP still owes the complainant an answer (a due date runs).
OPEN_COMPLAINT_STATUSES: tuple[str, ...] = (
    ComplaintStatus.RECEIVED,
    ComplaintStatus.IN_PROGRESS,
)
#: Statuses in which the MPP's handling has ended.
FINAL_COMPLAINT_STATUSES: tuple[str, ...] = (
    ComplaintStatus.CLOSED,
    ComplaintStatus.NOT_COMPLAINT,
    ComplaintStatus.FORWARDED,
)


class ComplaintIndex(models.Model):
    """The public shadow of one complaint in a region's schema, for its author's "Pengaduan
    saya". Written by the regional complaint services in the same transaction as the change."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    complaint_id = models.BigIntegerField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="complaint_index"
    )
    number = models.CharField(max_length=30)
    kind = models.CharField(max_length=12, choices=ComplaintKind.choices)
    subject = models.CharField(max_length=150)
    status = models.CharField(max_length=20, choices=ComplaintStatus.choices)
    due_date = models.DateField(null=True, blank=True)
    lapor_tracking_id = models.CharField(max_length=40, blank=True)
    rated = models.BooleanField(default=False)
    timeline = models.JSONField(default=list, blank=True)  # [{"status", "at"}], oldest first
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("indeks pengaduan")
        verbose_name_plural = _("indeks pengaduan")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "complaint_id"], name="complaint_index_unique"
            ),
        ]
        indexes = [models.Index(fields=["owner", "-updated_at"])]

    def __str__(self) -> str:
        return self.number
