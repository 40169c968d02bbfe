"""The yearly evaluation (PEKPPP): periods with their versioned indicators and grade bands, each
region's self-assessment with evidence, the evaluator's scores, and the history of every step.
All in ``public``: KemenPANRB reads every region's evaluation without touching a region schema.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kernel.files import PUBLIC_SCHEMA, extension_for, private_path, private_storage
from shared.regions.models import Region

SCORE_VALIDATORS = [MinValueValidator(0), MaxValueValidator(5)]


class Aspect(models.TextChoices):
    """PEKPPP's six aspects (PermenPANRB 29/2022); their default weights live in
    ``shared.monitoring.evaluation.defaults``."""

    KEBIJAKAN = "kebijakan", _("Kebijakan Pelayanan")
    SDM = "sdm", _("Profesionalisme SDM")
    SARPRAS = "sarpras", _("Sarana Prasarana")
    SIPP = "sipp", _("Sistem Informasi Pelayanan Publik")
    PENGADUAN = "pengaduan", _("Konsultasi dan Pengaduan")
    INOVASI = "inovasi", _("Inovasi")


class Indicator(models.Model):
    """One version of an indicator. Revising an indicator adds a version; a period keeps the
    versions it was opened with, so a revision never rewrites a past evaluation."""

    class Kind(models.TextChoices):
        MEASURED = "measured", _("Diukur dari rekap platform")
        ANSWERED = "answered", _("Dijawab daerah dengan bukti")

    code = models.SlugField(_("kode"), max_length=50)
    version = models.PositiveSmallIntegerField(_("versi"), default=1)
    aspect = models.CharField(_("aspek"), max_length=20, choices=Aspect.choices)
    name = models.CharField(_("nama"), max_length=255)
    guidance = models.TextField(_("petunjuk penilaian"), blank=True)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    # For measured indicators: which figure of the roll-ups (shared.monitoring.evaluation.measures).
    measure = models.CharField(_("ukuran"), max_length=40, blank=True)
    weight = models.DecimalField(
        _("bobot (%)"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0)]
    )
    is_current = models.BooleanField(_("versi berlaku"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["aspect", "code", "-version"]
        verbose_name = _("indikator evaluasi")
        verbose_name_plural = _("indikator evaluasi")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="indicator_version_unique"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(is_current=True), name="indicator_one_current"
            ),
            models.CheckConstraint(
                condition=Q(kind="answered") | ~Q(measure=""), name="indicator_measured_has_measure"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class EvaluationPeriod(models.Model):
    """One evaluation cycle. Its indicators and grade bands are fixed when it opens."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        OPEN = "open", _("Berjalan")
        CLOSED = "closed", _("Ditutup")

    name = models.CharField(_("nama"), max_length=150)
    year = models.PositiveSmallIntegerField(_("tahun"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="draft")
    # Measured indicators are computed over these days of the roll-ups.
    measure_start = models.DateField(_("data dari"))
    measure_end = models.DateField(_("data sampai"))
    deadline = models.DateField(_("batas pengajuan"))
    # [{"min": 4.51, "grade": "A", "label": "Pelayanan Prima"}, …] highest first, on the 0–5 scale.
    grade_bands = models.JSONField(_("ambang kategori"), default=list)
    indicators = models.ManyToManyField(Indicator, through="PeriodIndicator", related_name="+")
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-created_at"]
        verbose_name = _("periode evaluasi")
        verbose_name_plural = _("periode evaluasi")
        constraints = [
            models.CheckConstraint(
                condition=Q(measure_start__lte=models.F("measure_end")),
                name="evaluation_period_measure_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def grade_for(self, score: float | None) -> tuple[str, str]:
        """(grade, label) of a 0–5 score under this period's bands."""
        if score is None:
            return "", ""
        for band in sorted(self.grade_bands, key=lambda b: -float(b["min"])):
            if round(score, 2) >= float(band["min"]):
                return str(band["grade"]), str(band.get("label", ""))
        return "", ""


class PeriodIndicator(models.Model):
    period = models.ForeignKey(
        EvaluationPeriod, on_delete=models.CASCADE, related_name="period_indicators"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["period", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["period", "indicator"], name="period_indicator_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.period_id}: {self.indicator}"


class RegionEvaluation(models.Model):
    """One region's evaluation in one period: invited → draft → submitted → (returned →
    submitted …) → accepted."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Diundang")
        DRAFT = "draft", _("Sedang diisi")
        SUBMITTED = "submitted", _("Diajukan")
        RETURNED = "returned", _("Dikembalikan untuk perbaikan")
        ACCEPTED = "accepted", _("Diterima")

    period = models.ForeignKey(
        EvaluationPeriod, on_delete=models.CASCADE, related_name="evaluations"
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INVITED)
    invited_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # A return for revision gives the region until this day to resubmit.
    revision_due = models.DateField(_("batas perbaikan"), null=True, blank=True)
    return_note = models.TextField(_("catatan pengembalian"), blank=True)
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    evaluator_note = models.TextField(_("catatan evaluator"), blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    score = models.DecimalField(
        _("indeks (0–5)"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    grade = models.CharField(_("kategori"), max_length=4, blank=True)
    grade_label = models.CharField(max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["period", "region__code"]
        verbose_name = _("evaluasi daerah")
        verbose_name_plural = _("evaluasi daerah")
        constraints = [
            models.UniqueConstraint(fields=["period", "region"], name="region_evaluation_unique"),
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(score__isnull=False),
                name="region_evaluation_accepted_has_score",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} · {self.region}"

    @property
    def is_editable_by_region(self) -> bool:
        return self.status in (self.Status.INVITED, self.Status.DRAFT, self.Status.RETURNED)


class EvaluationAnswer(models.Model):
    """The region's answer to one indicator (or the measured value), and the evaluator's score."""

    evaluation = models.ForeignKey(
        RegionEvaluation, on_delete=models.CASCADE, related_name="answers"
    )
    period_indicator = models.ForeignKey(
        PeriodIndicator, on_delete=models.CASCADE, related_name="answers"
    )
    measured_value = models.FloatField(_("nilai terukur"), null=True, blank=True)
    measured_note = models.CharField(max_length=255, blank=True)
    self_score = models.DecimalField(
        _("nilai mandiri (0–5)"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=SCORE_VALIDATORS,
    )
    explanation = models.TextField(_("penjelasan"), blank=True)
    evaluator_score = models.DecimalField(
        _("nilai evaluator (0–5)"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=SCORE_VALIDATORS,
    )
    evaluator_comment = models.TextField(_("komentar evaluator"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["period_indicator__position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "period_indicator"], name="evaluation_answer_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_id}/{self.period_indicator_id}"


def evidence_path(instance: Evidence, filename: str) -> str:
    """Under the national prefix: the evaluation is KemenPANRB's record (public tables)."""
    return private_path(
        PUBLIC_SCHEMA,
        "evaluation",
        instance.answer.evaluation_id,
        suffix=extension_for(instance.content_type),
    )


class Evidence(models.Model):
    """A file the region uploads as evidence for an answer (PDF, JPEG or PNG, by content).
    Private: served only to the region's admin and to superadmins."""

    answer = models.ForeignKey(EvaluationAnswer, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(storage=private_storage, upload_to=evidence_path, max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("bukti")
        verbose_name_plural = _("bukti")

    def __str__(self) -> str:
        return self.original_name


class EvaluationEvent(models.Model):
    """The history of one region's evaluation, shown to both sides (also in the audit log)."""

    evaluation = models.ForeignKey(
        RegionEvaluation, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.evaluation_id} {self.action}"
