from zoneinfo import ZoneInfo

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from kernel.files import file_prefix
from kernel.routing import region_hostname, region_url
from kernel.schemas import SCHEMA_NAME_RE, schema_name_for_code

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
WIT = ZoneInfo("Asia/Jayapura")
# The provinces outside WIB, by Kemendagri code (UU 7/1987 and the Papua provinces of 2022).
PROVINCE_TIME_ZONES: dict[str, ZoneInfo] = {
    **dict.fromkeys(("51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"), WITA),
    **dict.fromkeys(("81", "82", "91", "92", "93", "94", "95", "96"), WIT),
}


class Province(models.Model):
    code = models.CharField(_("kode Kemendagri"), max_length=2, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("provinsi")
        verbose_name_plural = _("provinsi")

    def __str__(self) -> str:
        return self.name

    @property
    def time_zone(self) -> ZoneInfo:
        """WIB, WITA or WIT: the province's legal time zone."""
        return PROVINCE_TIME_ZONES.get(self.code, WIB)


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

    # --- the region's identity: everything else derives these from here ---------------------

    @property
    def schema_name(self) -> str:
        """The schema this region's MPP lives in, derived from its code, never from free text."""
        return schema_name_for_code(self.code)

    @property
    def hostname(self) -> str:
        """The host of its site, ``<slug>.<MPP_BASE_DOMAIN>``."""
        return region_hostname(self.slug)

    @property
    def time_zone(self) -> ZoneInfo:
        """Its local time zone, the province's (load ``province`` with the region)."""
        return self.province.time_zone

    def site_url(self, path: str = "/") -> str:
        """Absolute URL of ``path`` on its site (for mail, QR codes, the national site)."""
        return region_url(self.slug, path)

    @property
    def file_prefix(self) -> str:
        """Where every file this region's schema owns is stored (archived and removed with it)."""
        return file_prefix(self.schema_name)


# --- the register of MPPs (the django-tenants tenant and its domains) ------------------------
# They live here, beside the regions, so that every layer above may read the register; the
# onboarding flow that creates and changes them sits in ``onboarding``. The tables keep their
# original names (``onboarding_mpp``, ``onboarding_domain``): the move was state-only.


class Mpp(TenantMixin):
    """One region's MPP Digital: a tenant with its own schema."""

    class Status(models.TextChoices):
        PROVISIONING = "provisioning", _("Sedang disiapkan")
        LIVE = "live", _("Aktif")
        SUSPENDED = "suspended", _("Ditangguhkan")

    region = models.OneToOneField(Region, on_delete=models.PROTECT, related_name="mpp")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROVISIONING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    live_since = models.DateTimeField(null=True, blank=True)
    # Shown to citizens on the region's site while it is suspended (never the internal reason).
    public_notice = models.TextField(_("pengumuman untuk warga"), blank=True)

    # Provisioning creates and drops schemas explicitly (onboarding.provisioning), never as a side
    # effect of save() or delete().
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
        db_table = "onboarding_mpp"
        verbose_name = _("MPP")
        verbose_name_plural = _("MPP")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(schema_name__regex=SCHEMA_NAME_RE.pattern),
                name="mpp_schema_name_pattern",
            ),
        ]

    def __str__(self) -> str:
        return f"MPP {self.region.name}"

    @property
    def is_live(self) -> bool:
        return self.status == self.Status.LIVE

    @property
    def is_suspended(self) -> bool:
        return self.status == self.Status.SUSPENDED

    @property
    def slug(self) -> str:
        return self.region.slug


class Domain(DomainMixin):
    class Meta:
        db_table = "onboarding_domain"
        verbose_name = _("domain")
        verbose_name_plural = _("domain")
