from django.db import models
from django.utils.translation import gettext_lazy as _

from mpp_platform.files import file_prefix


class Province(models.Model):
    code = models.CharField(_("kode Kemendagri"), max_length=2, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("provinsi")
        verbose_name_plural = _("provinsi")

    def __str__(self) -> str:
        return self.name


class Region(models.Model):
    """A kabupaten or kota: the unit that runs one MPP."""

    class Kind(models.TextChoices):
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")

    code = models.CharField(_("kode Kemendagri"), max_length=5, unique=True)  # e.g. "35.10"
    name = models.CharField(_("nama"), max_length=100)  # "Kabupaten Banyuwangi"
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="regions")
    slug = models.SlugField(_("subdomain"), max_length=63, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kabupaten/kota")
        verbose_name_plural = _("kabupaten/kota")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[0-9]{2}\.[0-9]{2}$"), name="region_code_format"
            ),
            models.CheckConstraint(
                condition=models.Q(slug__regex=r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$"),
                name="region_slug_dns_label",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def schema_name(self) -> str:
        """The schema this region's MPP lives in, derived from its code, never from free text."""
        return "mpp_" + self.code.replace(".", "_")

    @property
    def file_prefix(self) -> str:
        """Where every file this region's schema owns is stored (archived and removed with it)."""
        return file_prefix(self.schema_name)
