"""Bringing a region's MPP to life."""

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from mpp_platform.audit import audit_log
from onboarding.models import Domain, Mpp, validate_schema_name
from shared.regions.models import Region


def region_hostname(region: Region) -> str:
    return f"{region.slug}.{settings.MPP_BASE_DOMAIN}"


def schema_exists(schema_name: str) -> bool:
    validate_schema_name(schema_name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema_name])
        return cursor.fetchone() is not None


def mpp_provision(*, region: Region, actor=None) -> Mpp:
    """Create (or finish creating) the region's MPP: tenant row, schema, domain, live.

    Idempotent: a second call, or a call after a crash part-way, ends in one live MPP.
    """
    schema_name = validate_schema_name(region.schema_name)
    with transaction.atomic():
        mpp, _created = Mpp.objects.select_for_update().get_or_create(
            region=region, defaults={"schema_name": schema_name}
        )
    if not schema_exists(schema_name):
        mpp.create_schema(check_if_exists=True, verbosity=0)
    with transaction.atomic():
        Domain.objects.get_or_create(
            domain=region_hostname(region), defaults={"tenant": mpp, "is_primary": True}
        )
        if mpp.status == Mpp.Status.PROVISIONING:
            mpp.status = Mpp.Status.LIVE
            mpp.live_since = timezone.now()
            mpp.save(update_fields=["status", "live_since"])
            audit_log(actor=actor, action="onboarding.region.live", target=mpp, region=region)
    return mpp
