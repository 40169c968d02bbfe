"""Region tasks that fail closed, enqueue-on-commit, and the per-region dispatcher.

tenant-schemas-celery runs a task without a schema header in ``public``; a region task must never
do that. So every region task takes ``schema_name`` as an explicit keyword argument, and refuses to
run unless the worker is really in that region's schema.
"""

import logging

from celery import shared_task
from django_tenants.utils import get_tenant_model
from tenant_schemas_celery.task import TenantTask

from kernel.errors import MissingRegionSchemaError
from kernel.schemas import validate_schema_name
from kernel.tenancy import connection

logger = logging.getLogger(__name__)


class RegionTask(TenantTask):
    abstract = True

    def __call__(self, *args, **kwargs):
        schema_name = kwargs.get("schema_name")
        if not schema_name or schema_name == "public":
            raise MissingRegionSchemaError(
                f"{self.name} is a region task and was called without schema_name"
            )
        validate_schema_name(schema_name)
        if connection.schema_name != schema_name:
            raise MissingRegionSchemaError(
                f"{self.name} asked for {schema_name} but runs in {connection.schema_name}"
            )
        return super().__call__(*args, **kwargs)


def region_task(*args, **options):
    """``@region_task`` declares a task that runs inside one region's schema."""
    options.setdefault("base", RegionTask)
    return shared_task(*args, **options)


def region_task_send(task, *, schema_name: str, **kwargs) -> None:
    """Enqueue a region task once the current transaction commits (never for rolled-back work),
    through the transactional outbox (settings.MPP_TASK_ENQUEUE), so a broker outage loses
    nothing."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    validate_schema_name(schema_name)
    import_string(settings.MPP_TASK_ENQUEUE)(task.name, kwargs=kwargs, schema_name=schema_name)


@shared_task(name="mpp_platform.dispatch_to_live_regions")
def dispatch_to_live_regions(task_name: str, **kwargs) -> int:
    """Fan a periodic region job out to every live region; regions not yet live are skipped."""
    from celery import current_app

    mpp = get_tenant_model()
    schemas = list(
        mpp.objects.filter(status=mpp.Status.LIVE)
        .order_by("schema_name")
        .values_list("schema_name", flat=True)
    )
    for schema_name in schemas:
        current_app.send_task(
            task_name,
            kwargs={**kwargs, "schema_name": schema_name},
            headers={"_schema_name": schema_name},
        )
    logger.info("dispatched %s to %d live regions", task_name, len(schemas))
    return len(schemas)
