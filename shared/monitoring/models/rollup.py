"""Public roll-up tables: one row per region per day, one per province per day, and the record
of roll-up runs (so that a run is resumable and a failing region is retried on its own).

National views read only these tables, never the 514 region schemas (DESIGN.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shared.monitoring.figures import COUNT_COLUMNS, QUANTILE_COLUMNS
from shared.regions.models import Province, Region


def _abstract(name: str, fields: dict) -> type[models.Model]:
    meta = type("Meta", (), {"abstract": True})
    return type(name, (models.Model,), {"__module__": __name__, "Meta": meta, **fields})


# The columns come from the contract (shared.monitoring.figures), declared once.
RegionFigures = _abstract(
    "RegionFigures",
    {
        **{n: models.IntegerField(null=True, blank=True) for n in COUNT_COLUMNS},
        **{n: models.FloatField(null=True, blank=True) for n in QUANTILE_COLUMNS},
    },
)
ProvinceFigures = _abstract(
    "ProvinceFigures",
    {
        **{n: models.BigIntegerField(null=True, blank=True) for n in COUNT_COLUMNS},
        **{f"{n}_wsum": models.FloatField(null=True, blank=True) for n in QUANTILE_COLUMNS},
        **{f"{n}_weight": models.BigIntegerField(null=True, blank=True) for n in QUANTILE_COLUMNS},
    },
)


class RegionDay(RegionFigures):  # type: ignore[misc,valid-type]
    """One region's figures for one local calendar day. NULL: the app that feeds the column was
    absent (unknown), never "none happened" (that is 0)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    # Denormalised from the region, so that province roll-ups and filters need no join.
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("tanggal"))
    computed_at = models.DateTimeField(_("dihitung"))

    class Meta:
        verbose_name = _("angka harian daerah")
        verbose_name_plural = _("angka harian daerah")
        constraints = [
            models.UniqueConstraint(fields=["region", "day"], name="region_day_unique"),
        ]
        indexes = [
            models.Index(fields=["day", "region"], name="region_day_by_day"),
            models.Index(fields=["province", "day"], name="region_day_by_province"),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.day}"


class ProvinceDay(ProvinceFigures):  # type: ignore[misc,valid-type]
    """The sum of a province's region rows for one day, refreshed whenever one of them is
    written (under an advisory lock per province and day). Charts and headline figures read
    these: 38 rows per day instead of 514."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("tanggal"))
    regions = models.PositiveIntegerField(_("daerah melapor"), default=0)
    computed_at = models.DateTimeField(_("dihitung"))

    class Meta:
        verbose_name = _("angka harian provinsi")
        verbose_name_plural = _("angka harian provinsi")
        constraints = [
            models.UniqueConstraint(fields=["province", "day"], name="province_day_unique"),
        ]
        indexes = [models.Index(fields=["day", "province"], name="province_day_by_day")]

    def __str__(self) -> str:
        return f"{self.province_id} {self.day}"


class RollupJob(models.Model):
    """One roll-up run: the nightly one, or one asked for by a superadmin (a region or all,
    over a date range)."""

    class Kind(models.TextChoices):
        NIGHTLY = "nightly", _("Malam hari")
        ON_DEMAND = "on_demand", _("Atas permintaan")

    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    start = models.DateField(_("dari"))
    end = models.DateField(_("sampai"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("rekap harian")
        verbose_name_plural = _("rekap harian")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__lte=models.F("end")), name="rollup_job_range"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.start}–{self.end}"


class RollupItem(models.Model):
    """One region's share of a job. Each is done, retried and reported on its own: a region
    that fails does not hold up the others."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        RUNNING = "running", _("Berjalan")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    job = models.ForeignKey(RollupJob, on_delete=models.CASCADE, related_name="items")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    schema_name = models.CharField(max_length=63)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    days_written = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["job", "region__code"]
        constraints = [
            models.UniqueConstraint(fields=["job", "region"], name="rollup_item_unique"),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="rollup_item_todo")]

    def __str__(self) -> str:
        return f"{self.job_id} {self.schema_name} {self.status}"


class RegionRollupState(models.Model):
    """When a region was last rolled up successfully: changes made since then are looked for
    (late changes recompute the days they touch)."""

    region = models.OneToOneField(Region, on_delete=models.CASCADE, related_name="+")
    last_success_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.region_id} {self.last_success_at}"


class RollupVersion(models.Model):
    """One row whose token changes (in the writing transaction) whenever a roll-up row does:
    cached dashboard figures are keyed by it, so they are never older than the tables."""

    key = models.PositiveSmallIntegerField(default=1, unique=True, editable=False)
    token = models.UUIDField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(key=1), name="rollup_version_singleton")
        ]

    def __str__(self) -> str:
        return str(self.token)
