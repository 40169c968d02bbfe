"""A region's MPP: booths (gerai), offerings, counters (loket), staff scoping and general
information. Every table here lives in the region's own schema.

Foreign keys to the national catalogue (``public``) use ``on_delete=DO_NOTHING`` on purpose:
Django's delete collector would otherwise query these tenant tables while running in ``public``,
where they do not exist. The database constraint (deferred, cross-schema) still refuses to leave a
dangling reference, so a national row that some region uses cannot be deleted (deactivate it).
The catalogue tables they point at are declared Citus reference tables
(``onboarding/provisioning/citus.py``), so these constraints survive schema-based sharding.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shared.catalogue.models import Channel

CHANNEL_VALUES: tuple[str, ...] = tuple(Channel.values)


class FeeKind(models.TextChoices):
    """The same values as the national catalogue's fee kinds."""

    FREE = "free", _("Gratis")
    FIXED = "fixed", _("Tarif tetap")
    VARIABLE = "variable", _("Dihitung sesuai ketentuan")


class Weekday(models.IntegerChoices):
    """Python's ``date.weekday()``: Monday is 0."""

    MONDAY = 0, _("Senin")
    TUESDAY = 1, _("Selasa")
    WEDNESDAY = 2, _("Rabu")
    THURSDAY = 3, _("Kamis")
    FRIDAY = 4, _("Jumat")
    SATURDAY = 5, _("Sabtu")
    SUNDAY = 6, _("Minggu")


class LocalAgency(models.Model):
    """An agency that is not on the national list (a regional UPT, a local BUMD …)."""

    name = models.CharField(_("nama"), max_length=200, unique=True)
    abbreviation = models.CharField(_("singkatan"), max_length=50, blank=True)
    description = models.TextField(_("keterangan"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("instansi lokal")
        verbose_name_plural = _("instansi lokal")

    def __str__(self) -> str:
        return self.abbreviation or self.name


class Booth(models.Model):
    """A booth (gerai) of one agency inside the MPP: national agency or local one."""

    agency = models.ForeignKey(
        "catalogue.Agency",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,  # see module docstring
        related_name="+",
        verbose_name=_("instansi nasional"),
    )
    local_agency = models.ForeignKey(
        LocalAgency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="booths",
        verbose_name=_("instansi lokal"),
    )
    number = models.CharField(_("nomor gerai"), max_length=20, unique=True)
    name = models.CharField(
        _("nama gerai"),
        max_length=200,
        blank=True,
        help_text=_("Kosongkan untuk memakai nama instansi."),
    )
    location = models.CharField(_("lokasi"), max_length=200, blank=True)
    description = models.TextField(_("keterangan"), blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["number", "id"]
        verbose_name = _("gerai")
        verbose_name_plural = _("gerai")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(agency__isnull=False, local_agency__isnull=True)
                    | Q(agency__isnull=True, local_agency__isnull=False)
                ),
                name="mpp_booth_one_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.display_name}"

    @property
    def agency_name(self) -> str:
        agency = self.agency if self.agency_id else self.local_agency
        return agency.name if agency is not None else ""

    @property
    def display_name(self) -> str:
        return self.name or self.agency_name


class OpeningHours(models.Model):
    """One opening interval on a weekday. Several rows per day allow a midday break.

    Scope: neither booth nor offering → the MPP building; booth → that booth; offering → that
    offering (an override narrower than its booth). Lookups fall back offering → booth → MPP.
    """

    booth = models.ForeignKey(
        Booth, null=True, blank=True, on_delete=models.CASCADE, related_name="hours"
    )
    offering = models.ForeignKey(
        "mpp.Offering", null=True, blank=True, on_delete=models.CASCADE, related_name="hours"
    )
    weekday = models.PositiveSmallIntegerField(_("hari"), choices=Weekday.choices)
    opens_at = models.TimeField(_("buka"))
    closes_at = models.TimeField(_("tutup"))

    class Meta:
        ordering = ["weekday", "opens_at"]
        verbose_name = _("jam layanan")
        verbose_name_plural = _("jam layanan")
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__lt=models.F("closes_at")), name="mpp_hours_open_before_close"
            ),
            models.CheckConstraint(
                condition=Q(booth__isnull=True) | Q(offering__isnull=True),
                name="mpp_hours_one_scope",
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="mpp_hours_weekday_range"
            ),
        ]
        indexes = [models.Index(fields=["booth", "weekday"])]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"


class Closure(models.Model):
    """A local closure (a date range, inclusive) of the whole MPP or of one booth.

    National holidays and cuti bersama are not stored: they come from lokal-id at read time
    (``tenants.mpp.selectors``), so a new SKB year never needs a data migration.
    """

    booth = models.ForeignKey(
        Booth,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="closures",
        help_text=_("Kosongkan bila seluruh MPP tutup."),
    )
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("sampai"))
    reason = models.CharField(_("alasan"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start_date", "id"]
        verbose_name = _("penutupan")
        verbose_name_plural = _("penutupan")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="mpp_closure_range"
            ),
        ]
        indexes = [models.Index(fields=["end_date", "start_date"])]

    def __str__(self) -> str:
        return f"{self.start_date}–{self.end_date}: {self.reason}"


class OfferingQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def adopted(self):
        return self.filter(service__isnull=False)

    def local(self):
        return self.filter(service__isnull=True)


# The standard's fields a region may override on an adopted service, and which a local-only
# service fills in itself. ``None`` on the offering means "follow the national service".
OVERRIDABLE_FIELDS: tuple[str, ...] = ("fee_kind", "fee_amount", "fee_basis", "channels")


class Offering(models.Model):
    """A service offered in this MPP.

    Adopted (``service`` set): reads the *current* national ``Service`` for every field it has not
    overridden, so national changes follow automatically; ``acknowledged_version`` is the national
    version the admin last reviewed. Local-only (``service`` empty): carries the six standard
    components itself (requirements and steps as child rows).
    """

    service = models.ForeignKey(
        "catalogue.Service",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,  # see module docstring
        related_name="+",
        verbose_name=_("layanan nasional"),
    )
    code = models.SlugField(_("kode"), max_length=80, unique=True)
    booth = models.ForeignKey(
        Booth,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="offerings",
        verbose_name=_("gerai"),
    )
    # Local-only services: who provides it (adopted ones take the national agency).
    agency = models.ForeignKey(
        "catalogue.Agency",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        verbose_name=_("instansi nasional"),
    )
    local_agency = models.ForeignKey(
        LocalAgency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offerings",
        verbose_name=_("instansi lokal"),
    )
    life_event_ids = ArrayField(
        models.BigIntegerField(), default=list, blank=True, verbose_name=_("peristiwa hidup")
    )

    # Local-only standard (null on adopted offerings).
    name = models.CharField(_("nama layanan"), max_length=200, blank=True)
    summary = models.TextField(_("ringkasan"), blank=True)
    completion_days = models.PositiveSmallIntegerField(
        _("jangka waktu (hari kerja)"), null=True, blank=True
    )
    completion_note = models.CharField(_("keterangan jangka waktu"), max_length=300, blank=True)
    product = models.TextField(_("produk layanan"), blank=True)
    complaint_handling = models.TextField(_("penanganan pengaduan"), blank=True)
    legal_basis = models.TextField(_("dasar hukum"), blank=True)

    # What a region may set locally: null = follow the national standard.
    fee_kind = models.CharField(
        _("jenis biaya daerah"), max_length=10, choices=FeeKind.choices, null=True, blank=True
    )
    fee_amount = models.DecimalField(
        _("biaya daerah (Rp)"),
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    fee_basis = models.TextField(_("dasar biaya/tarif daerah"), null=True, blank=True)
    channels = ArrayField(
        models.CharField(max_length=10, choices=Channel.choices),
        null=True,
        blank=True,
        verbose_name=_("kanal"),
    )
    local_notes = models.TextField(
        _("catatan daerah"), blank=True, help_text=_("Keterangan tambahan khusus MPP ini.")
    )
    quota_online = models.PositiveIntegerField(
        _("kuota daring per hari"), null=True, blank=True, help_text=_("Kosong = tanpa batas.")
    )
    quota_queue = models.PositiveIntegerField(
        _("kuota booking antrean per hari"),
        null=True,
        blank=True,
        help_text=_("Kosong = tanpa batas."),
    )
    quota_walk_in = models.PositiveIntegerField(
        _("kuota datang langsung per hari"),
        null=True,
        blank=True,
        help_text=_("Kosong = tanpa batas."),
    )

    is_active = models.BooleanField(_("ditawarkan"), default=True)
    acknowledged_version = models.PositiveIntegerField(
        _("versi nasional yang sudah ditinjau"), null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OfferingQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("layanan MPP")
        verbose_name_plural = _("layanan MPP")
        constraints = [
            models.UniqueConstraint(
                fields=["service"],
                condition=Q(service__isnull=False),
                name="mpp_offering_one_per_service",
            ),
            # A local-only service names itself and its provider.
            models.CheckConstraint(
                condition=Q(service__isnull=False)
                | (~Q(name="") & (Q(agency__isnull=False) | Q(local_agency__isnull=False))),
                name="mpp_offering_local_complete",
            ),
            models.CheckConstraint(
                condition=Q(agency__isnull=True) | Q(local_agency__isnull=True),
                name="mpp_offering_one_agency",
            ),
            models.CheckConstraint(
                condition=Q(fee_amount__isnull=True) | Q(fee_amount__gte=0),
                name="mpp_offering_fee_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(fee_kind="free") | Q(fee_amount__isnull=True) | Q(fee_amount=0),
                name="mpp_offering_free_has_no_amount",
            ),
        ]
        indexes = [models.Index(fields=["is_active", "code"])]

    def __str__(self) -> str:
        service = self.service if self.service_id else None
        return self.name or (service.name if service is not None else self.code)

    @property
    def is_local(self) -> bool:
        return self.service_id is None


class OfferingRequirement(models.Model):
    """A requirement this MPP adds (adopted offering) or the requirement list of a local service."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="requirements")
    position = models.PositiveSmallIntegerField(default=0)
    document_type = models.ForeignKey(
        "catalogue.DocumentType",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        verbose_name=_("jenis dokumen"),
    )
    text = models.CharField(_("keterangan"), max_length=300, blank=True)
    is_mandatory = models.BooleanField(_("wajib"), default=True)

    class Meta:
        ordering = ["offering", "position", "id"]
        verbose_name = _("persyaratan daerah")
        verbose_name_plural = _("persyaratan daerah")
        constraints = [
            models.CheckConstraint(
                condition=Q(document_type__isnull=False) | ~Q(text=""),
                name="mpp_requirement_has_document_or_text",
            ),
        ]

    def __str__(self) -> str:
        return self.text or str(self.document_type_id)


class OfferingStep(models.Model):
    """A procedure step of a local-only service (adopted ones follow the national procedure)."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("langkah"), max_length=500)

    class Meta:
        ordering = ["offering", "position", "id"]
        verbose_name = _("langkah prosedur daerah")
        verbose_name_plural = _("langkah prosedur daerah")

    def __str__(self) -> str:
        return self.text


class Counter(models.Model):
    """A counter (loket) in a booth and the offerings it serves. Tickets for it are numbered
    ``<ticket_prefix><n>`` by the queue."""

    booth = models.ForeignKey(
        Booth, on_delete=models.PROTECT, related_name="counters", verbose_name=_("gerai")
    )
    number = models.CharField(_("nomor loket"), max_length=20, unique=True)
    name = models.CharField(_("nama loket"), max_length=100, blank=True)
    ticket_prefix = models.CharField(
        _("huruf antrean"),
        max_length=1,
        validators=[RegexValidator(r"^[A-Z]$", _("Satu huruf kapital A–Z."))],
    )
    offerings = models.ManyToManyField(
        Offering, blank=True, related_name="counters", verbose_name=_("layanan dilayani")
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number", "id"]
        verbose_name = _("loket")
        verbose_name_plural = _("loket")
        constraints = [
            models.CheckConstraint(
                condition=Q(ticket_prefix__regex=r"^[A-Z]$"), name="mpp_counter_prefix_letter"
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Loket')} {self.number}" + (f" · {self.name}" if self.name else "")


class StaffAssignment(models.Model):
    """Scopes a supervisor or operator (a ``shared.accounts.Membership`` of this region) to a
    booth. A staff member without assignments is not limited to particular booths."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,  # the user table lives in public; no cross-schema FK
        related_name="+",
    )
    booth = models.ForeignKey(Booth, on_delete=models.CASCADE, related_name="staff_assignments")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("penugasan staf")
        verbose_name_plural = _("penugasan staf")
        constraints = [
            models.UniqueConstraint(fields=["user", "booth"], name="mpp_assignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.booth_id}"


class Facility(models.TextChoices):
    ACCESSIBLE_ENTRANCE = "accessible_entrance", _("Akses masuk ramah disabilitas")
    WHEELCHAIR = "wheelchair", _("Kursi roda")
    DISABLED_PARKING = "disabled_parking", _("Parkir khusus disabilitas")
    DISABLED_TOILET = "disabled_toilet", _("Toilet disabilitas")
    PRIORITY_SEATING = "priority_seating", _("Kursi prioritas (lansia, ibu hamil)")
    NURSING_ROOM = "nursing_room", _("Ruang laktasi")
    CHILDREN_AREA = "children_area", _("Ruang bermain anak")
    PRAYER_ROOM = "prayer_room", _("Musala")
    WIFI = "wifi", _("Wi-Fi gratis")
    PARKING = "parking", _("Area parkir")
    CANTEEN = "canteen", _("Kantin")
    SELF_SERVICE = "self_service", _("Anjungan layanan mandiri")
    CONSULTATION = "consultation", _("Ruang konsultasi")
    SIGN_LANGUAGE = "sign_language", _("Layanan bahasa isyarat")


class GeneralInfo(models.Model):
    """Informasi umum: one row per region schema (``key`` is always 1)."""

    key = models.PositiveSmallIntegerField(default=1, unique=True, editable=False)
    about = models.TextField(_("tentang MPP"), blank=True)
    address = models.TextField(_("alamat"), blank=True)
    latitude = models.DecimalField(
        _("lintang"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("bujur"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    whatsapp = models.CharField(_("WhatsApp"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("situs web"), blank=True)
    facilities = ArrayField(
        models.CharField(max_length=30, choices=Facility.choices),
        default=list,
        blank=True,
        verbose_name=_("fasilitas"),
    )
    facilities_note = models.TextField(_("fasilitas lain"), blank=True)
    open_on_cuti_bersama = models.BooleanField(
        _("buka saat cuti bersama"),
        default=False,
        help_text=_("Libur nasional selalu tutup; cuti bersama tutup kecuali dicentang."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("informasi umum")
        verbose_name_plural = _("informasi umum")
        constraints = [
            models.CheckConstraint(condition=Q(key=1), name="mpp_general_info_singleton"),
            models.CheckConstraint(
                condition=(
                    Q(latitude__isnull=True, longitude__isnull=True)
                    | Q(latitude__isnull=False, longitude__isnull=False)
                ),
                name="mpp_general_info_coordinates_pair",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Informasi umum"))


class AnnouncementQuerySet(models.QuerySet):
    def published(self, at=None):
        at = at or timezone.now()
        return self.filter(publish_from__lte=at).filter(
            Q(publish_until__isnull=True) | Q(publish_until__gt=at)
        )


class Announcement(models.Model):
    """An announcement on the region's site, shown within its publish window."""

    title = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"))
    publish_from = models.DateTimeField(_("tampil mulai"), default=timezone.now)
    publish_until = models.DateTimeField(
        _("tampil sampai"), null=True, blank=True, help_text=_("Kosongkan bila tanpa batas.")
    )
    is_important = models.BooleanField(_("penting"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        ordering = ["-is_important", "-publish_from", "-id"]
        verbose_name = _("pengumuman")
        verbose_name_plural = _("pengumuman")
        constraints = [
            models.CheckConstraint(
                condition=Q(publish_until__isnull=True)
                | Q(publish_until__gt=models.F("publish_from")),
                name="mpp_announcement_window",
            ),
        ]
        indexes = [models.Index(fields=["publish_from", "publish_until"])]

    def __str__(self) -> str:
        return self.title
