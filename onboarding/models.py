"""The onboarding of a region from signed commitment to a live MPP: readiness, designation,
provisioning, suspension and offboarding. Everything here lives in ``public``. The register itself
(``Mpp``, ``Domain``) sits lower, in ``shared.regions``.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kernel.files import PUBLIC_SCHEMA, private_path, private_storage
from shared.regions.models import Region

# --- onboarding -------------------------------------------------------------------------------


class Stage(models.TextChoices):
    COMMITTED = "committed", _("Komitmen ditandatangani")
    ASSESSED = "assessed", _("Kesiapan dinilai")
    DESIGNATED = "designated", _("Ditetapkan")
    PROVISIONING = "provisioning", _("Sedang disiapkan")
    LIVE = "live", _("Aktif")
    SUSPENDED = "suspended", _("Ditangguhkan")
    OFFBOARDING = "offboarding", _("Sedang diberhentikan")
    OFFBOARDED = "offboarded", _("Diberhentikan")
    REJECTED = "rejected", _("Ditolak")


class BulkBatch(models.Model):
    """One uploaded CSV of regions to onboard: provisioned together under one progress bar."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(_("nama berkas"), max_length=255, blank=True)
    row_count = models.PositiveIntegerField(_("jumlah baris"), default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("impor massal")
        verbose_name_plural = _("impor massal")

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name} ({self.row_count})"


class Onboarding(models.Model):
    """A region's way onto the platform. At most one open (not offboarded) record per region."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="onboardings")
    stage = models.CharField(
        _("tahap"), max_length=20, choices=Stage.choices, default=Stage.COMMITTED, db_index=True
    )
    stage_changed_at = models.DateTimeField(_("tahap berubah"), auto_now_add=True)
    # Commitment: signed by the regional head.
    signer_name = models.CharField(_("nama penanda tangan"), max_length=150)
    signer_title = models.CharField(_("jabatan penanda tangan"), max_length=150)
    signed_on = models.DateField(_("tanggal penandatanganan"))
    occasion = models.CharField(_("acara penandatanganan"), max_length=255, blank=True)
    # Designation by decree (KepMenPANRB).
    decree_number = models.CharField(_("nomor keputusan"), max_length=100, blank=True)
    decree_date = models.DateField(_("tanggal keputusan"), null=True, blank=True)
    # The DPMPTSP admin account that provisioning creates and invites.
    admin_email = models.EmailField(_("email admin DPMPTSP"), blank=True)
    admin_name = models.CharField(_("nama admin DPMPTSP"), max_length=150, blank=True)
    admin_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    invitation_sent_at = models.DateTimeField(null=True, blank=True)
    # The latest reason given for a rejection or suspension (all reasons stay in the audit log).
    status_reason = models.TextField(_("alasan"), blank=True)
    batch = models.ForeignKey(
        BulkBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="onboardings"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["region__code"]
        verbose_name = _("onboarding daerah")
        verbose_name_plural = _("onboarding daerah")
        constraints = [
            models.UniqueConstraint(
                fields=["region"],
                condition=~models.Q(stage="offboarded"),
                name="onboarding_one_open_per_region",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region.name} · {self.get_stage_display()}"

    @property
    def schema_name(self) -> str:
        return self.region.schema_name


class ReadinessIndicator(models.Model):
    """A readiness indicator that superadmins configure; each has a threshold to pass."""

    class Kind(models.TextChoices):
        PERCENT = "percent", _("Persentase (≥ ambang)")
        BOOLEAN = "boolean", _("Ya/tidak (harus ya)")
        TEXT = "text", _("Isian (harus diisi)")

    code = models.SlugField(_("kode"), max_length=50, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    description = models.TextField(_("penjelasan"), blank=True)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    threshold = models.DecimalField(
        _("ambang"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)
    is_active = models.BooleanField(_("aktif"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("indikator kesiapan")
        verbose_name_plural = _("indikator kesiapan")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="percent")
                | (
                    models.Q(threshold__isnull=False)
                    & models.Q(threshold__gte=0)
                    & models.Q(threshold__lte=100)
                ),
                name="indicator_percent_has_threshold",
                violation_error_message=_("Indikator persentase perlu ambang 0–100."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def passes(
        self, *, number: Decimal | None, flag: bool | None, text: str, threshold=None
    ) -> bool:
        if self.kind == self.Kind.PERCENT:
            limit = self.threshold if threshold is None else threshold
            return number is not None and limit is not None and number >= limit
        if self.kind == self.Kind.BOOLEAN:
            return flag is True
        return bool((text or "").strip())


class ReadinessValue(models.Model):
    """One indicator's value for one region, with its evidence. The threshold is copied in, so
    a later change of the indicator does not rewrite a past assessment."""

    onboarding = models.ForeignKey(
        Onboarding, on_delete=models.CASCADE, related_name="readiness_values"
    )
    indicator = models.ForeignKey(ReadinessIndicator, on_delete=models.PROTECT, related_name="+")
    value_number = models.DecimalField(
        _("nilai"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    value_bool = models.BooleanField(_("nilai ya/tidak"), null=True, blank=True)
    value_text = models.CharField(_("isian"), max_length=255, blank=True)
    evidence = models.TextField(_("bukti"), blank=True)
    threshold = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("memenuhi"), default=False)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator__position", "indicator_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["onboarding", "indicator"], name="readiness_value_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.display_value}"

    @property
    def display_value(self) -> str:
        kind = self.indicator.kind
        if kind == ReadinessIndicator.Kind.PERCENT:
            return "" if self.value_number is None else f"{self.value_number.normalize():f}%"
        if kind == ReadinessIndicator.Kind.BOOLEAN:
            if self.value_bool is None:
                return ""
            return str(_("Ya")) if self.value_bool else str(_("Tidak"))
        return self.value_text


def document_upload_to(instance: "OnboardingDocument", filename: str) -> str:
    """National prefix, per region: onboarding documents outlive the region's schema."""
    suffix = "." + filename.rsplit(".", 1)[-1].lower()[:10] if "." in filename else ""
    return private_path(PUBLIC_SCHEMA, "onboarding", instance.onboarding.region_id, suffix=suffix)


class OnboardingDocument(models.Model):
    """A private document of an onboarding: the signed commitment, the decree, the offboarding
    archive. Stored under PRIVATE_STORAGE_ROOT and served only through a superadmin view."""

    class Kind(models.TextChoices):
        COMMITMENT = "commitment", _("Komitmen bertanda tangan")
        DECREE = "decree", _("Keputusan penetapan")
        ARCHIVE = "archive", _("Arsip data daerah")

    onboarding = models.ForeignKey(Onboarding, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    file = models.FileField(
        _("berkas"), storage=private_storage, upload_to=document_upload_to, max_length=255
    )
    original_name = models.CharField(_("nama asli"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("ukuran (bita)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("dokumen onboarding")
        verbose_name_plural = _("dokumen onboarding")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"


class PipelineStep(models.Model):
    """One step of a region's provisioning or offboarding pipeline: its state is the progress bar
    and what a rerun resumes from."""

    class Pipeline(models.TextChoices):
        PROVISION = "provision", _("Penyiapan")
        OFFBOARD = "offboard", _("Pemberhentian")

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        RUNNING = "running", _("Berjalan")
        DONE = "done", _("Selesai")
        SKIPPED = "skipped", _("Dilewati")
        FAILED = "failed", _("Gagal")

    onboarding = models.ForeignKey(Onboarding, on_delete=models.CASCADE, related_name="steps")
    pipeline = models.CharField(max_length=10, choices=Pipeline.choices)
    name = models.CharField(max_length=40)
    position = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    detail = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["onboarding_id", "pipeline", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["onboarding", "pipeline", "name"], name="pipeline_step_unique"
            ),
        ]
        indexes = [models.Index(fields=["onboarding", "pipeline", "status"])]

    def __str__(self) -> str:
        return f"{self.onboarding_id}/{self.pipeline}/{self.name}: {self.status}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.SKIPPED)


# --- the template schema and migrations at scale ---------------------------------------------


class TemplateSnapshot(models.Model):
    """What Django's migrations ran to build ``mpp_template``, recorded once per migration state
    and replayed for every new region, so no region runs Django's migration machinery."""

    fingerprint = models.CharField(max_length=64, unique=True)
    # [["ddl" | "dml", sql], ...] in the order the migrations ran them, parameters bound.
    statements = models.JSONField(default=list)
    ddl = models.TextField()  # the DDL alone (archives restore it before their data)
    migrations = models.JSONField(default=list)  # [[app, name], ...] in the template's order
    tool = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.fingerprint[:12]} ({len(self.migrations)} migrasi)"


class SchemaMigrationState(models.Model):
    """Per-region outcome of the last ``migrate_regions``: one failure never blocks the others,
    and a rerun touches only the schemas that are still behind."""

    class Status(models.TextChoices):
        OK = "ok", _("Mutakhir")
        RUNNING = "running", _("Berjalan")
        FAILED = "failed", _("Gagal")

    schema_name = models.CharField(max_length=63, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OK)
    fingerprint = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["schema_name"]

    def __str__(self) -> str:
        return f"{self.schema_name}: {self.status}"


# --- idempotent API writes (used through kernel.idempotency) ---------------------------


class IdempotencyRecord(models.Model):
    """The first answer to a POST that carried an ``Idempotency-Key``; a retry replays it.

    Lives here because ``mpp_platform`` has no migrations; any app's API can use it through
    ``kernel.idempotency``.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(default=0)
    body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"
