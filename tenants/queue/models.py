"""The queue of a region's MPP: capacity per offering and day, online bookings, tickets, kiosk
devices and the daily figures. Every table lives in the region's own schema.

Invariants the database holds (so that no code path, however concurrent, can break them):
- a slot never holds more bookings than its capacity, a day never more online bookings than its
  online quota and never more walk-in tickets than its walk-in quota (check constraints; the
  services increment with conditional ``UPDATE … WHERE booked < capacity``);
- ticket numbers are unique per prefix and day (``TicketSequence`` hands them out with one
  atomic ``INSERT … ON CONFLICT DO UPDATE … RETURNING``);
- a booking is checked in at most once (one-to-one ticket), and a counter handles at most one
  ticket at a time (partial unique index).

Users live in ``public``: references to them carry no database constraint (as in ``tenants.mpp``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class QueueSettings(models.Model):
    """The region's queue rules: one row per region schema (``key`` is always 1)."""

    key = models.PositiveSmallIntegerField(default=1, unique=True, editable=False)
    booking_days_ahead = models.PositiveSmallIntegerField(
        _("booking paling jauh (hari ke depan)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("panjang slot (menit)"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
    )
    online_per_slot = models.PositiveSmallIntegerField(
        _("kuota booking per slot"),
        default=4,
        validators=[MaxValueValidator(500)],
        help_text=_("Dipakai bila layanan tidak menetapkan kuota booking harian."),
    )
    service_minutes = models.PositiveSmallIntegerField(
        _("perkiraan lama layanan (menit)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text=_("Untuk perkiraan waktu tunggu sebelum ada data hari ini."),
    )
    max_bookings_per_day = models.PositiveSmallIntegerField(
        _("booking per warga per hari"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    max_bookings_per_service_day = models.PositiveSmallIntegerField(
        _("booking per warga per layanan per hari"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    max_upcoming_per_service = models.PositiveSmallIntegerField(
        _("booking aktif per warga per layanan"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("Mencegah calo menimbun slot di banyak hari."),
    )
    checkin_early_minutes = models.PositiveSmallIntegerField(
        _("check-in paling awal (menit sebelum slot)"),
        default=60,
        validators=[MaxValueValidator(480)],
    )
    checkin_late_minutes = models.PositiveSmallIntegerField(
        _("batas terlambat (menit setelah slot berakhir)"),
        default=30,
        validators=[MaxValueValidator(480)],
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pengaturan antrean")
        verbose_name_plural = _("pengaturan antrean")
        constraints = [
            models.CheckConstraint(condition=Q(key=1), name="queue_settings_singleton"),
        ]

    def __str__(self) -> str:
        return str(_("Pengaturan antrean"))


class OfferingQueueConfig(models.Model):
    """An offering's own slot length, booking capacity per slot and service-time estimate;
    empty fields follow ``QueueSettings``. Daily quotas are the offering's own
    (``Offering.quota_queue`` for online bookings, ``Offering.quota_walk_in`` for walk-ins)."""

    offering = models.OneToOneField(
        "mpp.Offering", on_delete=models.CASCADE, related_name="queue_config"
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("panjang slot (menit)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
    )
    online_per_slot = models.PositiveSmallIntegerField(
        _("kuota booking per slot"), null=True, blank=True, validators=[MaxValueValidator(500)]
    )
    service_minutes = models.PositiveSmallIntegerField(
        _("perkiraan lama layanan (menit)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
    )

    class Meta:
        verbose_name = _("pengaturan antrean layanan")
        verbose_name_plural = _("pengaturan antrean layanan")

    def __str__(self) -> str:
        return f"{self.offering_id}"


class QueueDay(models.Model):
    """Capacity of one offering on one day, materialised from its opening intervals the first
    time someone looks at that day. ``fingerprint`` is the plan it was built from; a changed
    plan (new hours, a closure, another quota) is merged in without dropping bookings."""

    offering = models.ForeignKey("mpp.Offering", on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("tanggal"))
    online_quota = models.PositiveIntegerField(_("kuota booking daring"), default=0)
    online_booked = models.PositiveIntegerField(_("terpesan daring"), default=0)
    walk_in_quota = models.PositiveIntegerField(
        _("kuota datang langsung"), null=True, blank=True, help_text=_("Kosong = tanpa batas.")
    )
    walk_in_issued = models.PositiveIntegerField(_("tiket datang langsung"), default=0)
    fingerprint = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date", "offering_id"]
        verbose_name = _("kapasitas harian")
        verbose_name_plural = _("kapasitas harian")
        constraints = [
            models.UniqueConstraint(fields=["offering", "date"], name="queue_day_unique"),
            models.CheckConstraint(
                condition=Q(online_booked__lte=F("online_quota")), name="queue_day_online_quota"
            ),
            models.CheckConstraint(
                condition=Q(walk_in_quota__isnull=True) | Q(walk_in_issued__lte=F("walk_in_quota")),
                name="queue_day_walk_in_quota",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offering_id} {self.date}"

    @property
    def online_left(self) -> int:
        return max(self.online_quota - self.online_booked, 0)

    @property
    def walk_in_left(self) -> int | None:
        if self.walk_in_quota is None:
            return None
        return max(self.walk_in_quota - self.walk_in_issued, 0)


class Slot(models.Model):
    """A time window of a day that online bookings are made into (local time of the region)."""

    day = models.ForeignKey(QueueDay, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.TimeField(_("mulai"))
    ends_at = models.TimeField(_("selesai"))
    capacity = models.PositiveIntegerField(_("kapasitas"))
    booked = models.PositiveIntegerField(_("terpesan"), default=0)

    class Meta:
        ordering = ["day", "starts_at"]
        verbose_name = _("slot")
        verbose_name_plural = _("slot")
        constraints = [
            models.UniqueConstraint(fields=["day", "starts_at"], name="queue_slot_unique"),
            models.CheckConstraint(
                condition=Q(booked__lte=F("capacity")), name="queue_slot_not_overbooked"
            ),
            models.CheckConstraint(
                condition=Q(starts_at__lt=F("ends_at")), name="queue_slot_starts_before_end"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%H:%M}–{self.ends_at:%H:%M}"

    @property
    def left(self) -> int:
        return max(self.capacity - self.booked, 0)


class Booking(models.Model):
    """A citizen's online booking of a slot. The code (with its QR) is what the kiosk reads."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("Terpesan")
        CHECKED_IN = "checked_in", _("Sudah check-in")
        CANCELLED = "cancelled", _("Dibatalkan")
        RESCHEDULED = "rescheduled", _("Dijadwalkan ulang")
        MISSED = "missed", _("Tidak datang")

    ACTIVE = (Status.BOOKED, Status.CHECKED_IN)

    code = models.CharField(_("kode booking"), max_length=12, unique=True)
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,  # the user table lives in public; no cross-schema FK
        related_name="+",
    )
    offering = models.ForeignKey("mpp.Offering", on_delete=models.PROTECT, related_name="+")
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    date = models.DateField(_("tanggal"))
    starts_at = models.TimeField(_("mulai"))
    ends_at = models.TimeField(_("selesai"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.BOOKED
    )
    rescheduled_to = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rescheduled_from",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["date", "starts_at", "id"]
        verbose_name = _("booking antrean")
        verbose_name_plural = _("booking antrean")
        indexes = [
            models.Index(fields=["citizen", "date"]),
            models.Index(fields=["offering", "date", "status"]),
            models.Index(fields=["date", "status"]),
        ]

    def __str__(self) -> str:
        return self.display_code

    @property
    def display_code(self) -> str:
        return f"{self.code[:4]}-{self.code[4:]}" if len(self.code) == 8 else self.code

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


class TicketSequence(models.Model):
    """The last ticket number handed out per prefix and day."""

    prefix = models.CharField(max_length=1)
    date = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("urutan nomor antrean")
        verbose_name_plural = _("urutan nomor antrean")
        constraints = [
            models.UniqueConstraint(fields=["prefix", "date"], name="queue_sequence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix} {self.date}: {self.last}"


class TicketQuerySet(models.QuerySet):
    def on(self, day):
        return self.filter(date=day)

    def waiting(self):
        return self.filter(status=Ticket.Status.WAITING)

    def active_at_counter(self):
        return self.filter(status__in=Ticket.AT_COUNTER)


class Ticket(models.Model):
    """A queue number of one day (``A-001``), for a walk-in or a checked-in booking."""

    class Kind(models.TextChoices):
        BOOKED = "booked", _("Booking daring")
        WALK_IN = "walk_in", _("Datang langsung")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Menunggu")
        CALLED = "called", _("Dipanggil")
        SERVING = "serving", _("Sedang dilayani")
        DONE = "done", _("Selesai")
        NO_SHOW = "no_show", _("Tidak hadir")

    AT_COUNTER = (Status.CALLED, Status.SERVING)

    date = models.DateField(_("tanggal"))
    prefix = models.CharField(_("huruf antrean"), max_length=1)
    seq = models.PositiveIntegerField(_("nomor urut"))
    offering = models.ForeignKey("mpp.Offering", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    booking = models.OneToOneField(
        Booking, null=True, blank=True, on_delete=models.PROTECT, related_name="ticket"
    )
    appointment_at = models.DateTimeField(_("jadwal booking"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    counter = models.ForeignKey(
        "mpp.Counter",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("loket"),
    )
    target_counter = models.ForeignKey(
        "mpp.Counter",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dialihkan ke loket"),
    )
    issued_at = models.DateTimeField(_("diambil"), default=timezone.now)
    called_at = models.DateTimeField(_("pertama dipanggil"), null=True, blank=True)
    last_called_at = models.DateTimeField(_("terakhir dipanggil"), null=True, blank=True)
    call_count = models.PositiveSmallIntegerField(default=0)
    serving_started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    transfer_count = models.PositiveSmallIntegerField(default=0)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )

    objects = TicketQuerySet.as_manager()

    class Meta:
        ordering = ["date", "issued_at", "id"]
        verbose_name = _("tiket antrean")
        verbose_name_plural = _("tiket antrean")
        constraints = [
            models.UniqueConstraint(fields=["date", "prefix", "seq"], name="queue_ticket_number"),
            models.UniqueConstraint(
                fields=["counter"],
                condition=Q(status__in=["called", "serving"]),
                name="queue_ticket_one_per_counter",
            ),
            models.CheckConstraint(
                condition=Q(kind="walk_in", booking__isnull=True)
                | Q(kind="booked", booking__isnull=False, appointment_at__isnull=False),
                name="queue_ticket_kind_matches_booking",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["called", "serving"]) | Q(counter__isnull=False),
                name="queue_ticket_called_at_a_counter",
            ),
        ]
        indexes = [
            models.Index(fields=["date", "status"]),
            models.Index(fields=["date", "prefix", "status"]),
            models.Index(fields=["date", "last_called_at"]),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"{self.prefix}-{self.seq:03d}"


class KioskDevice(models.Model):
    """A registered kiosk (anjungan) of this MPP. The device holds a random token in a cookie for
    this region's host only; the database keeps its SHA-256, never the token."""

    name = models.CharField(_("nama perangkat"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("kiosk")
        verbose_name_plural = _("kiosk")

    def __str__(self) -> str:
        return self.name


class DailyFigure(models.Model):
    """One day's queue figures for the whole MPP, an offering or a counter: the rollup that the
    national monitoring reads later (never the tickets themselves)."""

    class Scope(models.TextChoices):
        TOTAL = "total", _("Seluruh MPP")
        OFFERING = "offering", _("Layanan")
        COUNTER = "counter", _("Loket")

    date = models.DateField(_("tanggal"))
    scope = models.CharField(max_length=10, choices=Scope.choices)
    offering = models.ForeignKey(
        "mpp.Offering", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    counter = models.ForeignKey(
        "mpp.Counter", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    tickets_issued = models.PositiveIntegerField(_("tiket"), default=0)
    walk_ins = models.PositiveIntegerField(_("datang langsung"), default=0)
    booked_tickets = models.PositiveIntegerField(_("dari booking"), default=0)
    served = models.PositiveIntegerField(_("dilayani"), default=0)
    no_shows = models.PositiveIntegerField(_("tidak hadir"), default=0)
    unserved = models.PositiveIntegerField(_("tidak terlayani"), default=0)
    bookings = models.PositiveIntegerField(_("booking"), default=0)
    bookings_missed = models.PositiveIntegerField(_("booking tidak datang"), default=0)
    wait_median_s = models.PositiveIntegerField(_("median tunggu (detik)"), null=True, blank=True)
    wait_p90_s = models.PositiveIntegerField(_("P90 tunggu (detik)"), null=True, blank=True)
    service_median_s = models.PositiveIntegerField(
        _("median layanan (detik)"), null=True, blank=True
    )
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "scope", "offering_id", "counter_id"]
        verbose_name = _("angka harian antrean")
        verbose_name_plural = _("angka harian antrean")
        constraints = [
            models.UniqueConstraint(
                fields=["date"], condition=Q(scope="total"), name="queue_figure_total_unique"
            ),
            models.UniqueConstraint(
                fields=["date", "offering"],
                condition=Q(scope="offering"),
                name="queue_figure_offering_unique",
            ),
            models.UniqueConstraint(
                fields=["date", "counter"],
                condition=Q(scope="counter"),
                name="queue_figure_counter_unique",
            ),
            models.CheckConstraint(
                condition=Q(scope="total", offering__isnull=True, counter__isnull=True)
                | Q(scope="offering", offering__isnull=False, counter__isnull=True)
                | Q(scope="counter", offering__isnull=True, counter__isnull=False),
                name="queue_figure_scope_matches",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.scope}"
