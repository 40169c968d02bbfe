"""The register of MPPs: the django-tenants tenant (one region's MPP) and its domains."""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from shared.regions.models import Region

# Region schemas are "mpp_<province>_<regency>", from the Kemendagri code; the template schema
# that new regions are cloned from is "mpp_template". Nothing else is ever a schema name.
SCHEMA_NAME_RE = re.compile(r"^mpp_(?:[0-9]{2}_[0-9]{2}|template)$")


class InvalidSchemaName(ValueError):
    pass


def validate_schema_name(name: str) -> str:
    """Checked before any SQL touches a schema name."""
    if not isinstance(name, str) or not SCHEMA_NAME_RE.fullmatch(name):
        raise InvalidSchemaName(f"invalid schema name: {name!r}")
    return name


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

    # Provisioning creates and drops schemas explicitly (onboarding.services), never as a side
    # effect of save() or delete().
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
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
    def slug(self) -> str:
        return self.region.slug


class Domain(DomainMixin):
    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domain")
