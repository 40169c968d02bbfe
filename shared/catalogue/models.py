"""The national catalogue: agencies, document types and standard services with their published
service standard (UU 25/2009 art. 21; PermenPANRB 15/2014). Lives in ``public``; every region's
offerings point at it.
"""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class Agency(models.Model):
    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Kementerian/Lembaga")
        REGIONAL_OFFICE = "regional_office", _("Perangkat daerah")
        ENTERPRISE = "enterprise", _("BUMN/BUMD")
        BANK = "bank", _("Bank")
        OTHER = "other", _("Lainnya")

    code = models.SlugField(_("kode"), max_length=50, unique=True)  # "dukcapil", "imigrasi"
    name = models.CharField(_("nama"), max_length=200)
    abbreviation = models.CharField(_("singkatan"), max_length=50, blank=True)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("instansi induk"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")

    def __str__(self) -> str:
        return self.abbreviation or self.name


class DocumentType(models.Model):
    code = models.SlugField(_("kode"), max_length=50, unique=True)  # "ktp-el", "kk"
    name = models.CharField(_("nama"), max_length=150)
    description = models.TextField(_("penjelasan"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("jenis dokumen")
        verbose_name_plural = _("jenis dokumen")

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    code = models.SlugField(_("kode"), max_length=50, unique=True)
    name = models.CharField(_("nama"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kategori")
        verbose_name_plural = _("kategori")

    def __str__(self) -> str:
        return self.name


class LifeEvent(models.Model):
    code = models.SlugField(_("kode"), max_length=50, unique=True)  # "kelahiran", "pindah-rumah"
    name = models.CharField(_("nama"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("peristiwa hidup")
        verbose_name_plural = _("peristiwa hidup")

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    ONLINE = "online", _("Permohonan daring")
    QUEUE = "queue", _("Booking antrean")
    WALK_IN = "walk_in", _("Datang langsung")


class FeeKind(models.TextChoices):
    FREE = "free", _("Gratis")
    FIXED = "fixed", _("Tarif tetap")
    VARIABLE = "variable", _("Dihitung sesuai ketentuan")


class Service(models.Model):
    """A standard service and its *current* published standard.

    Every change is also kept as a ``ServiceVersion`` (who, when, what), written by
    ``catalogue.services``; regions read this row."""

    code = models.SlugField(_("kode"), max_length=80, unique=True)  # "dukcapil-ktp-el"
    name = models.CharField(_("nama layanan"), max_length=200)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="services", verbose_name=_("instansi")
    )
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="services",
        verbose_name=_("kategori"),
    )
    life_events = models.ManyToManyField(
        LifeEvent, blank=True, related_name="services", verbose_name=_("peristiwa hidup")
    )
    summary = models.TextField(_("ringkasan"), blank=True)
    synonyms = models.TextField(
        _("sinonim"), blank=True, help_text=_("Kata lain yang dipakai warga, dipisah koma.")
    )
    # The six components of the published standard (requirements and steps are child rows).
    completion_days = models.PositiveSmallIntegerField(
        _("jangka waktu (hari kerja)"), null=True, blank=True
    )
    completion_note = models.CharField(
        _("keterangan jangka waktu"),
        max_length=300,
        blank=True,
        help_text=_('Mis. "paling lama 1 jam setelah persyaratan lengkap".'),
    )
    fee_kind = models.CharField(
        _("jenis biaya"), max_length=10, choices=FeeKind.choices, default=FeeKind.FREE
    )
    fee_amount = models.DecimalField(
        _("biaya (Rp)"),
        max_digits=14,
        decimal_places=0,
        default=0,
        help_text=_(
            "Tarif tetap dalam Rupiah; untuk biaya yang dihitung, tarif dasar atau 0. "
            "Gratis berarti 0."
        ),
    )
    fee_basis = models.TextField(_("dasar biaya/tarif"), blank=True)
    product = models.TextField(_("produk layanan"))
    complaint_handling = models.TextField(_("penanganan pengaduan"))
    legal_basis = models.TextField(_("dasar hukum"), blank=True)
    channels = models.JSONField(_("kanal"), default=list, help_text=_("online, queue, walk_in"))
    is_active = models.BooleanField(_("aktif"), default=True)
    version = models.PositiveIntegerField(_("versi"), default=1)
    updated_at = models.DateTimeField(auto_now=True)

    # Set by ``catalogue.selectors`` for display, never stored.
    live_mpps: list
    live_mpp_count: int
    search_hit: object

    class Meta:
        ordering = ["name"]
        verbose_name = _("layanan standar")
        verbose_name_plural = _("layanan standar")
        indexes = [
            GinIndex(fields=["name"], name="service_name_trgm", opclasses=["gin_trgm_ops"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(fee_kind="free") | models.Q(fee_amount=0),
                name="service_free_has_no_amount",
                violation_error_message=_("Layanan gratis tidak boleh memiliki tarif."),
            ),
            models.CheckConstraint(
                condition=~models.Q(fee_kind="fixed") | models.Q(fee_amount__gt=0),
                name="service_fixed_fee_has_amount",
                violation_error_message=_("Tarif tetap harus lebih dari Rp0."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_free(self) -> bool:
        return self.fee_kind == FeeKind.FREE


class Requirement(models.Model):
    """A requirement (persyaratan): a document type with a note, or free text."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="requirements")
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)
    document_type = models.ForeignKey(
        DocumentType,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("jenis dokumen"),
    )
    text = models.CharField(_("keterangan"), max_length=300, blank=True)
    is_mandatory = models.BooleanField(_("wajib"), default=True)

    class Meta:
        ordering = ["service", "position", "id"]
        verbose_name = _("persyaratan")
        verbose_name_plural = _("persyaratan")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(document_type__isnull=False) | ~models.Q(text=""),
                name="requirement_has_document_or_text",
                violation_error_message=_("Isi jenis dokumen atau keterangan persyaratan."),
            ),
        ]

    def __str__(self) -> str:
        return self.text or str(self.document_type)


class ProcedureStep(models.Model):
    """One ordered step of the procedure (sistem, mekanisme, prosedur)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)
    text = models.CharField(_("langkah"), max_length=500)

    class Meta:
        ordering = ["service", "position", "id"]
        verbose_name = _("langkah prosedur")
        verbose_name_plural = _("langkah prosedur")

    def __str__(self) -> str:
        return self.text


class ServiceVersion(models.Model):
    """A snapshot of a service's whole standard after each change: who, when, and what changed."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="versions", verbose_name=_("layanan")
    )
    number = models.PositiveIntegerField(_("nomor versi"))
    snapshot = models.JSONField(_("isi standar"))
    changed_fields = models.JSONField(_("yang berubah"), default=list)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("diubah oleh"),
    )
    note = models.CharField(_("catatan perubahan"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        ordering = ["service", "-number"]
        verbose_name = _("versi layanan")
        verbose_name_plural = _("versi layanan")
        constraints = [
            models.UniqueConstraint(fields=["service", "number"], name="service_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.service} v{self.number}"


class ServiceAvailability(models.Model):
    """Which live MPPs offer which service: the public index the national search reads.

    Written by the regions' own offering changes (on commit), never by querying region schemas.
    ``offering_id`` is the id of the offering in the region's schema.
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="availability")
    region = models.ForeignKey(
        "regions.Region", on_delete=models.CASCADE, related_name="service_availability"
    )
    offering_id = models.BigIntegerField()
    channels = models.JSONField(default=list)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ketersediaan layanan")
        verbose_name_plural = _("ketersediaan layanan")
        constraints = [
            models.UniqueConstraint(fields=["service", "region"], name="availability_unique"),
        ]
        indexes = [models.Index(fields=["region"])]

    def __str__(self) -> str:
        return f"{self.service} @ {self.region}"


SEARCH_CONFIG = "indonesian"


class ServiceSearchDocument(models.Model):
    """The denormalised search document of one service, rewritten by ``catalogue.search`` whenever
    the service, its agency, requirements, category or life events change.

    Kept apart from ``Service`` so that ordinary reads of services never carry the index columns.
    The vector is a generated column: it can never disagree with the texts it is built from.
    """

    service = models.OneToOneField(
        Service, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    is_active = models.BooleanField(default=True)  # the service's, so a search needs no join
    name_norm = models.CharField(max_length=300)  # normalised name, for the exact-name tier
    aliases = models.TextField(blank=True)  # "|alias one|alias two|": normalised synonyms
    trigram_text = models.TextField(blank=True)  # name + synonyms + agency, for typo matching
    weight_a = models.TextField(blank=True)  # name, synonyms
    weight_b = models.TextField(blank=True)  # agency, category, life events
    weight_c = models.TextField(blank=True)  # summary, product
    weight_d = models.TextField(blank=True)  # requirements
    vector = models.GeneratedField(
        expression=(
            SearchVector("weight_a", weight="A", config=SEARCH_CONFIG)
            + SearchVector("weight_b", weight="B", config=SEARCH_CONFIG)
            + SearchVector("weight_c", weight="C", config=SEARCH_CONFIG)
            + SearchVector("weight_d", weight="D", config=SEARCH_CONFIG)
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        indexes = [
            GinIndex(fields=["vector"], name="service_search_vector"),
            GinIndex(
                fields=["trigram_text"], name="service_search_trgm", opclasses=["gin_trgm_ops"]
            ),
        ]

    def __str__(self) -> str:
        return self.name_norm


class SearchTerm(models.Model):
    """Every word that occurs in a search document: the vocabulary a misspelt query word is
    corrected against by trigram similarity (the pg_trgm documentation's recipe)."""

    term = models.CharField(max_length=64, primary_key=True)

    class Meta:
        indexes = [GinIndex(fields=["term"], name="search_term_trgm", opclasses=["gin_trgm_ops"])]

    def __str__(self) -> str:
        return self.term
