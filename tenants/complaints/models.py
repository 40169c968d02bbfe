"""Complaints and aspirations (SP4N-LAPOR!) of one region's MPP. Every table lives in the region's
schema; users live in ``public``, so references to them carry no database constraint.

Invariants the database holds:
- a complaint has a unique number and a unique tracking code;
- "not a complaint" always has its reason, a forwarded one its LAPOR! tracking number, a closed
  one its answer, an in-progress one a booth and a complexity;
- a rating is 1–5 and only on a closed complaint; a complaint is reopened at most once;
- an anonymous complaint stores no complainant identity at all (name, phone, e-mail empty).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kernel.files import extension_for, private_path, private_storage
from shared.complaints.models import ComplaintKind, ComplaintStatus
from tenants.complaints.tenancy import connection


class Channel(models.TextChoices):
    ONLINE = "online", _("Situs MPP")
    API = "api", _("Aplikasi (API)")
    COUNTER = "counter", _("Loket, dibantu petugas")
    KIOSK = "kiosk", _("Anjungan (kiosk)")


class Privacy(models.TextChoices):
    """Who may know who complained. *Confidential* hides the complainant from the booth's agency
    staff (only the MPP's complaint officer sees them); *anonymous* from everyone."""

    NORMAL = "normal", _("Biasa")
    CONFIDENTIAL = "confidential", _("Rahasia")
    ANONYMOUS = "anonymous", _("Anonim")


class Complexity(models.TextChoices):
    """Set at triage; decides the follow-up deadline in working days (PermenPANRB 62/2018)."""

    SIMPLE = "simple", _("Sederhana / permintaan informasi (5 hari kerja)")
    NO_FIELD_CHECK = "no_field_check", _("Tanpa peninjauan lapangan (14 hari kerja)")
    FIELD_CHECK = "field_check", _("Dengan peninjauan lapangan (60 hari kerja)")


#: Working days for a first response after receipt (verification included).
RESPONSE_DAYS = 3
#: Working days for the follow-up, counted from triage, by complexity.
RESOLUTION_DAYS = {
    Complexity.SIMPLE: 5,
    Complexity.NO_FIELD_CHECK: 14,
    Complexity.FIELD_CHECK: 60,
}
#: A closed complaint may be reopened once, within this many working days of closing.
REOPEN_DAYS = 10


class NumberSequence(models.Model):
    """The last complaint number of a year in this region (row locked while numbering)."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Complaint(models.Model):
    number = models.CharField(_("nomor pengaduan"), max_length=30, unique=True)
    # What the complainant keeps to follow the complaint without an account (kiosk, counter).
    # Random, never derived from the number; lookups by it are throttled.
    tracking_code = models.CharField(_("kode lacak"), max_length=16, unique=True)
    kind = models.CharField(_("jenis"), max_length=12, choices=ComplaintKind.choices)
    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices)
    privacy = models.CharField(
        _("kerahasiaan identitas"), max_length=12, choices=Privacy.choices, default=Privacy.NORMAL
    )
    status = models.CharField(
        max_length=20, choices=ComplaintStatus.choices, default=ComplaintStatus.RECEIVED
    )
    subject = models.CharField(_("judul"), max_length=150)
    description = models.TextField(_("uraian"))

    # What it is about (any may be empty). Snapshots keep the page right if the row goes.
    offering = models.ForeignKey(
        "mpp.Offering", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    application = models.ForeignKey(
        "applications.Application",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
    )
    ticket = models.ForeignKey(
        "queue.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    about = models.CharField(_("layanan yang diadukan"), max_length=200, blank=True)

    # Who complained. ``owner`` is the signed-in citizen who filed it (online or API); walk-ins
    # at a counter or kiosk have none and follow it with the tracking code.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    complainant_name = models.CharField(_("nama pelapor"), max_length=150, blank=True)
    complainant_phone = models.CharField(_("nomor HP pelapor"), max_length=20, blank=True)
    complainant_email = models.EmailField(_("email pelapor"), blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    client_key = models.UUIDField(null=True, blank=True, unique=True)  # idempotent API filing

    # Triage and handling.
    booth = models.ForeignKey(
        "mpp.Booth",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("gerai penanggung jawab"),
    )
    complexity = models.CharField(
        _("kompleksitas"), max_length=20, choices=Complexity.choices, blank=True
    )
    not_complaint_reason = models.TextField(_("alasan bukan pengaduan"), blank=True)
    resolution = models.TextField(_("jawaban / tindak lanjut"), blank=True)
    lapor_tracking_id = models.CharField(_("nomor tracking SP4N-LAPOR!"), max_length=40, blank=True)

    received_on = models.DateField(_("diterima"))
    response_due = models.DateField(_("batas tanggapan pertama"))
    resolution_due = models.DateField(_("batas tindak lanjut"), null=True, blank=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    triaged_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)  # any final status
    closed_on_time = models.BooleanField(null=True, blank=True)
    forwarded_at = models.DateTimeField(null=True, blank=True)
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(default=0)

    rating = models.PositiveSmallIntegerField(
        _("penilaian"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    rating_comment = models.TextField(_("komentar penilaian"), blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)

    # The daily sweep's memory: the due date last reminded about / escalated, so each is once.
    reminded_for = models.DateField(null=True, blank=True)
    escalated_for = models.DateField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("pengaduan")
        verbose_name_plural = _("pengaduan")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="not_complaint") | ~Q(not_complaint_reason=""),
                name="complaint_not_complaint_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="forwarded") | ~Q(lapor_tracking_id=""),
                name="complaint_forwarded_has_tracking",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(resolution=""),
                name="complaint_closed_has_answer",
            ),
            models.CheckConstraint(
                condition=~Q(status="in_progress") | (Q(booth__isnull=False) & ~Q(complexity="")),
                name="complaint_in_progress_is_routed",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True)
                | (Q(rating__gte=1) & Q(rating__lte=5) & Q(status="closed")),
                name="complaint_rating_when_closed",
            ),
            models.CheckConstraint(
                condition=Q(reopen_count__lte=1), name="complaint_reopened_at_most_once"
            ),
            models.CheckConstraint(
                condition=~Q(privacy="anonymous")
                | (Q(complainant_name="") & Q(complainant_phone="") & Q(complainant_email="")),
                name="complaint_anonymous_has_no_identity",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "response_due"]),
            models.Index(fields=["booth", "status"]),
            models.Index(fields=["owner", "-updated_at"]),
            models.Index(fields=["received_on"]),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def identity_hidden(self) -> bool:
        return self.privacy != Privacy.NORMAL

    @property
    def due_date(self):
        """The date the MPP owes its next step by (None once handling ended)."""
        if self.status == ComplaintStatus.RECEIVED:
            return self.response_due
        if self.status == ComplaintStatus.IN_PROGRESS:
            return self.resolution_due
        return None

    @property
    def is_open(self) -> bool:
        return self.status in (ComplaintStatus.RECEIVED, ComplaintStatus.IN_PROGRESS)


class Event(models.Model):
    """The complaint's history: status changes and triage decisions. Append-only. ``note`` is
    shown to the complainant, so it never carries the complainant's identity."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, choices=ComplaintStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ComplaintStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_role = models.CharField(max_length=20, blank=True)  # a Role value, "citizen" or ""
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status or '∅'} → {self.to_status}"


class Message(models.Model):
    """A message on the complaint: from the complainant, or from staff (to the complainant, or an
    internal note between the complaint officer and the booth)."""

    class Side(models.TextChoices):
        CITIZEN = "citizen", _("Pelapor")
        STAFF = "staff", _("Petugas")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="messages")
    side = models.CharField(max_length=10, choices=Side.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    author_role = models.CharField(max_length=20, blank=True)
    is_internal = models.BooleanField(_("catatan internal"), default=False)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(side="staff") | Q(is_internal=False),
                name="complaint_message_internal_is_staff",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.side} #{self.pk}"


def attachment_path(instance: Attachment, filename: str) -> str:
    """Under the region's own prefix: offboarding archives and removes it with the schema."""
    return private_path(
        connection.schema_name,
        "complaints",
        instance.complaint_id,
        suffix=extension_for(instance.content_type),
    )


class Attachment(models.Model):
    """Evidence: checked with the vault's file rules (type by content, size limit), stored
    privately under the region's prefix and served only through access-checked views."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    side = models.CharField(max_length=10, choices=Message.Side.choices)
    file = models.FileField(storage=private_storage, upload_to=attachment_path, max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(content_type__in=["application/pdf", "image/jpeg", "image/png"]),
                name="complaint_attachment_allowed_type",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id}/{self.pk}"


class LaporOutbox(models.Model):
    """What the local SP4N-LAPOR! gateway recorded: the report as it would be sent, and the
    tracking number handed back. A relay to the real LAPOR! API would pick *pending* rows up."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu relai")
        SENT = "sent", _("Terkirim")

    complaint = models.OneToOneField(
        Complaint, on_delete=models.CASCADE, related_name="lapor_submission"
    )
    gateway = models.CharField(max_length=50)
    tracking_id = models.CharField(max_length=40, unique=True)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    lapor_status = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kiriman SP4N-LAPOR!")
        verbose_name_plural = _("kiriman SP4N-LAPOR!")

    def __str__(self) -> str:
        return self.tracking_id


class DailyFigure(models.Model):
    """One day's complaint figures of this MPP, kept for the national roll-up (the keys of
    ``tenants.complaints.figures.daily_figures``)."""

    date = models.DateField(unique=True)
    complaints_received = models.PositiveIntegerField(default=0)
    complaints_closed = models.PositiveIntegerField(default=0)
    complaints_closed_on_time = models.PositiveIntegerField(default=0)
    complaints_overdue = models.PositiveIntegerField(default=0)
    complaints_forwarded = models.PositiveIntegerField(default=0)
    complaints_rating_sum = models.PositiveIntegerField(default=0)
    complaints_rating_count = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["-date"]
        verbose_name = _("angka harian pengaduan")
        verbose_name_plural = _("angka harian pengaduan")

    def __str__(self) -> str:
        return str(self.date)
